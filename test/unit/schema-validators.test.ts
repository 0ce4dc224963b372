// The validators generated at build time (scripts/gen-validators.mjs) are those of the schemas in
// the tree: the generated module is not stale, and it reports what ajv compiling the same schema
// at run time reports, with the same messages and paths.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { controlPlaneSchema } from '../../src/federation/control-plane-schemas.js';
import { federatedObjectSchema } from '../../src/federation/federated-crd.js';
import { loadCrdIndex, loadKubefedSchemas } from '../../src/federation/schema-files.js';
import { compileValidator } from '../../src/util/schema-compile.js';
import { validatorOf } from '../../src/util/schema.js';
import { VALIDATORS } from '../../src/util/schema-validators.generated.js';
import { repoRoot } from '../cli.js';

const SAMPLES: unknown[] = [
  {},
  null,
  'text',
  { apiVersion: 5, kind: [], metadata: 'x', spec: 'y' },
  { spec: { placement: { clusters: [{}, { name: 3 }] }, overrides: [{ clusterOverrides: [{ op: 'move' }] }] } },
  { spec: { deleteOptions: { gracePeriodSeconds: 1.5, propagationPolicy: 'Later' }, retainReplicas: 'yes' } },
  { status: { conditions: [{ type: 'Ready', status: 'True', lastUpdateTime: 'yesterday' }] }, spec: {} },
  { spec: { replicas: -1, clusters: { a: { weight: 'x', minReplicas: 2 ** 40 } } } },
  { spec: { apiEndpoint: '', caBundle: '%%%', secretRef: {}, kubeconfigContext: '' } },
];

describe('generated schema validators', () => {
  it('are up to date with schemas/ and federatedObjectSchema()', () => {
    const r = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'gen-validators.mjs'), '--check'], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
  });

  it('report what ajv reports for the federated object schema', () => {
    const runtime = compileValidator(federatedObjectSchema(true));
    const generated = validatorOf(VALIDATORS['federatedObject']!);
    for (const doc of SAMPLES) assert.deepEqual(generated(doc), runtime(doc), JSON.stringify(doc));
  });

  it('report what ajv reports for every kind of schemas/index.json', () => {
    const index = loadCrdIndex();
    const schemas = loadKubefedSchemas(index);
    for (const entry of index) {
      const validate = VALIDATORS[entry.kind];
      assert.ok(validate, `a validator for ${entry.kind}`);
      const runtime = compileValidator(controlPlaneSchema(entry.kind, schemas.get(entry.schemaFile)!));
      for (const doc of SAMPLES)
        assert.deepEqual(validatorOf(validate)(doc), runtime(doc), `${entry.kind}: ${JSON.stringify(doc)}`);
    }
  });
});
