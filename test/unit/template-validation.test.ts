// Templates checked before the first write (issue 10, items 6 and 7): the OpenAPI v3 validator,
// the API server's own checks, the bundled schemas, online schemas from members, and the file-mode
// pre-flight. The corpus under test/fixtures/{invalid,odd-valid}/{templates,overrides} runs the CLI.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/errors.js';
import { checkFileInput, preflightOffline } from '../../src/engine/preflight.js';
import { bundledSchemas, memberSchemas, offlineSchemas, BUNDLE_FILE } from '../../src/engine/template-schemas.js';
import { defaultTypeConfigForKind } from '../../src/engine/builtin-types.js';
import type { FederatedObject } from '../../src/federation/federated-object.js';
import { MAX_OBJECT_BYTES, memberObjectIssues } from '../../src/federation/member-checks.js';
import { templateProblems } from '../../src/federation/template-validation.js';
import { planResource } from '../../src/federation/plan.js';
import { renderForCluster, renderKey, type RenderCache } from '../../src/federation/render.js';
import type { Operation } from 'fast-json-patch';
import type { ClusterClient } from '../../src/kube/cluster-client.js';
import { OpenApiCompiler, type OpenApiSchema } from '../../src/util/openapi.js';

const root = resolve(import.meta.dirname, '..', '..', '..');

function validate(schemas: Record<string, OpenApiSchema>, doc: unknown, lenient = false): string[] {
  return new OpenApiCompiler(schemas, { lenient }).validator('Root')!(doc).map((i) => `${i.path}: ${i.message}`);
}

function federated(kind: string, template: Record<string, unknown> | undefined, extra: object = {}): FederatedObject {
  return {
    apiVersion: 'types.kubefed.io/v1beta1',
    kind: `Federated${kind}`,
    metadata: { name: 'web', namespace: 'shop' },
    spec: { ...(template ? { template } : {}), placement: { clusterSelector: {} }, ...extra },
  };
}

function deployment(spec: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
      },
      ...spec,
    },
  };
}

function problemsOf(fed: FederatedObject, clusters = ['c1', 'c2']): string[] {
  const ftc = defaultTypeConfigForKind(fed)!;
  return templateProblems({ fed, ftc, clusters, validatorFor: offlineSchemas(), mode: 'strict' }).map(
    (p) => `${p.clusters.join(',')}|${p.field}: ${p.message}`,
  );
}

describe('OpenAPI v3 validator', () => {
  it('reads $ref, allOf wrappers, int32 ranges and unknown fields', () => {
    const schemas: Record<string, OpenApiSchema> = {
      Root: {
        type: 'object',
        required: ['spec'],
        properties: { spec: { allOf: [{ $ref: '#/components/schemas/Spec' }] } },
      },
      Spec: {
        type: 'object',
        properties: { replicas: { type: 'integer', format: 'int32' }, name: { type: 'string' } },
      },
    };
    assert.deepEqual(validate(schemas, { spec: { replicas: 3 } }), []);
    assert.deepEqual(validate(schemas, { spec: { replicas: 2 ** 31 } }), [
      'spec.replicas: must be a 32-bit integer (-2147483648 to 2147483647), not 2147483648',
    ]);
    assert.deepEqual(validate(schemas, { spec: { replcas: 3 } }), [
      'spec.replcas: unknown field (did you mean replicas?)',
    ]);
    assert.deepEqual(validate(schemas, {}), ['spec: is required']);
  });

  it('int-or-string, preserve-unknown-fields, nullable and enums', () => {
    const schemas: Record<string, OpenApiSchema> = {
      Root: {
        type: 'object',
        properties: {
          port: { 'x-kubernetes-int-or-string': true },
          legacy: { format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }] },
          free: {
            type: 'object',
            'x-kubernetes-preserve-unknown-fields': true,
            properties: { known: { type: 'boolean' } },
          },
          opt: { type: 'string', nullable: true },
          mode: { type: 'string', enum: ['A', 'B'] },
          q: { oneOf: [{ type: 'string' }, { type: 'number' }] },
        },
      },
    };
    assert.deepEqual(validate(schemas, { port: 'http', legacy: 8080, free: { anything: [1], known: true } }), []);
    assert.deepEqual(validate(schemas, { port: true, legacy: 1.5, free: { known: 'yes' } }), [
      'port: must be an integer or a string, not the boolean true',
      'legacy: must be an integer or a string, not the number 1.5',
      'free.known: must be a boolean (true or false), not the string "yes"',
    ]);
    assert.deepEqual(validate(schemas, { opt: null, mode: null }), ['mode: must not be null']);
    assert.deepEqual(validate(schemas, { mode: null }, true), [], 'built-in types take null as "not set"');
    assert.deepEqual(validate(schemas, { mode: 'C', q: [] }), [
      'mode: must be one of "A", "B", not the string "C"',
      'q: must be a string or a number, not an array',
    ]);
    assert.deepEqual(validate(schemas, { mode: '' }, true), [], 'an empty enum value is defaulted by the API server');
  });

  it('compiles recursive schemas (JSONSchemaProps) and CRD bounds', () => {
    const schemas: Record<string, OpenApiSchema> = {
      Root: {
        type: 'object',
        properties: {
          child: { $ref: '#/components/schemas/Root' },
          size: { type: 'integer', minimum: 1, maximum: 10 },
          name: { type: 'string', pattern: '^[a-z]+$', maxLength: 5 },
          tags: { type: 'array', items: { type: 'string' }, maxItems: 1 },
        },
      },
    };
    assert.deepEqual(validate(schemas, { child: { child: { size: 5 } } }), []);
    assert.deepEqual(validate(schemas, { child: { size: 0, name: 'Abcdef', tags: ['a', 2] } }), [
      'child.size: must be at least 1, not 0',
      'child.name: must be at most 5 characters long',
      'child.name: must match ^[a-z]+$, not the string "Abcdef"',
      'child.tags: must have at most 1 item(s)',
      'child.tags[1]: must be a string, not the number 2',
    ]);
  });

  it('quotes map keys that are not plain words in field paths', () => {
    const schemas: Record<string, OpenApiSchema> = {
      Root: { type: 'object', additionalProperties: { type: 'string' } },
    };
    assert.deepEqual(validate(schemas, { 'app.kubernetes.io/name': 1 }), [
      '["app.kubernetes.io/name"]: must be a string, not the number 1',
    ]);
  });
});

describe('the bundled schemas', () => {
  it(`${BUNDLE_FILE} records its Kubernetes version and covers every built-in federated kind`, () => {
    const bundle = JSON.parse(readFileSync(join(root, 'schemas', BUNDLE_FILE), 'utf8')) as {
      kubernetesVersion: string;
      kinds: Record<string, string>;
    };
    assert.match(bundle.kubernetesVersion, /^v1\.34\.\d+$/);
    const source = readFileSync(join(root, 'src', 'engine', 'builtin-types.ts'), 'utf8');
    const builtin = [...source.matchAll(/^ {2}(\w+): \['([^']*)', '(v\w+)'/gm)].map(
      ([, kind, group, version]) => `${group ? `${group}/` : ''}${version}/${kind}`,
    );
    assert.ok(builtin.length >= 20, 'the table of built-in kinds was read');
    for (const gvk of builtin) assert.ok(bundle.kinds[gvk], `${gvk} has a bundled schema`);
    assert.ok(bundledSchemas().compiler.validator(bundle.kinds['apps/v1/Deployment']!));
  });

  it('the examples are valid', () => {
    const ftcDeploy = defaultTypeConfigForKind(federated('Deployment', deployment()))!;
    const ok = templateProblems({
      fed: federated('Deployment', deployment()),
      ftc: ftcDeploy,
      clusters: ['c1'],
      validatorFor: offlineSchemas(),
      mode: 'strict',
    });
    assert.deepEqual(ok, []);
  });
});

describe('template problems', () => {
  it('names the field in the federated object and the clusters', () => {
    assert.deepEqual(problemsOf(federated('Deployment', deployment({ replicas: 'two' }))), [
      'c1,c2|spec.template.spec.replicas: must be a 32-bit integer, not the string "two"',
    ]);
  });

  it('a cluster whose overrides break the template is named alone, after its overrides', () => {
    const fed = federated('Deployment', deployment(), {
      overrides: [
        { clusterName: 'c2', clusterOverrides: [{ path: '/spec/replicas', value: 'three' }] },
        { clusterName: 'c1', clusterOverrides: [{ path: '/spec/replicas', value: 3 }] },
      ],
    });
    assert.deepEqual(problemsOf(fed), [
      'c2|spec.template.spec.replicas (after spec.overrides[0]): must be a 32-bit integer, not the string "three"',
    ]);
  });

  it('an override that cannot apply is a problem of its cluster', () => {
    const fed = federated(
      'ConfigMap',
      { data: { a: 'b' } },
      {
        overrides: [{ clusterName: 'c1', clusterOverrides: [{ op: 'remove', path: '/data/x' }] }],
      },
    );
    assert.deepEqual(problemsOf(fed), [
      'c1|spec.overrides[0]: cannot apply remove /data/x: there is no member "x" to remove',
    ]);
  });

  it('a missing template is refused, except for namespaces', () => {
    assert.match(problemsOf(federated('ConfigMap', undefined))[0]!, /Unable to retrieve template body/);
    const ns = {
      ...federated('Namespace', undefined),
      metadata: { name: 'shop', namespace: 'shop' },
    } as FederatedObject;
    assert.deepEqual(problemsOf(ns), []);
  });

  it('a template over 1 MiB is refused (a unit test rather than a 1 MiB fixture)', () => {
    const big = federated('ConfigMap', { data: { blob: 'x'.repeat(MAX_OBJECT_BYTES) } });
    const [problem, ...rest] = problemsOf(big, ['c1']);
    assert.match(
      problem!,
      /^c1\|spec\.template: is 10\d{5} bytes as JSON; the API server refuses objects over 1 MiB \(1048576 bytes\)$/,
    );
    assert.deepEqual(rest, []);
    const multiByte = memberObjectIssues({ data: { blob: 'é'.repeat(MAX_OBJECT_BYTES / 2) } }, 'ConfigMap');
    assert.equal(multiByte.length, 1, 'sizes are counted in UTF-8 bytes');
  });

  it('ignore mode skips the schema, but an override that cannot apply is still refused', () => {
    const fed = federated('Deployment', deployment({ replicas: 'two' }), {
      overrides: [{ clusterName: 'c1', clusterOverrides: [{ op: 'remove', path: '/spec/nothing' }] }],
    });
    const ftc = defaultTypeConfigForKind(fed)!;
    const found = templateProblems({ fed, ftc, clusters: ['c1'], validatorFor: offlineSchemas(), mode: 'ignore' });
    assert.deepEqual(
      found.map((p) => p.kind),
      ['override'],
    );
  });
});

describe('file-mode pre-flight', () => {
  const ftcOf = (fed: FederatedObject) => defaultTypeConfigForKind(fed)!;
  const input = (...objects: FederatedObject[]) => ({
    types: objects.map((o) => ({ ftc: ftcOf(o), objects: [o] })),
    clusters: [{ name: 'c1', ready: true }],
    rsps: [] as unknown[],
  });

  it('lists every problem of every object in one input error', () => {
    const a = federated('Deployment', deployment({ replicas: 'two' }));
    const b = federated('ConfigMap', { data: { port: 8080 } });
    assert.throws(
      () => preflightOffline(input(a, b)),
      (e: unknown) =>
        e instanceof ValidationError &&
        /nothing was written/.test(e.message) &&
        e.issues.length === 2 &&
        e.issues[0]!.includes('FederatedDeployment shop/web in cluster c1: spec.template.spec.replicas') &&
        e.issues[1]!.includes('FederatedConfigMap shop/web in cluster c1: spec.template.data.port'),
    );
  });

  it('keeps its renders, with their hashes, and the plan uses them instead of rendering again', () => {
    const fed = federated('Deployment', deployment(), {
      overrides: [{ clusterName: 'c2', clusterOverrides: [{ path: '/spec/replicas', value: 5 }] }],
    });
    const keepRenders = new Map<FederatedObject, RenderCache>();
    preflightOffline(
      {
        ...input(fed),
        clusters: [
          { name: 'c1', ready: true },
          { name: 'c2', ready: true },
        ],
      },
      {
        keepRenders,
      },
    );
    const kept = keepRenders.get(fed)!;
    assert.deepEqual(
      [...kept.keys()],
      [renderKey([]), renderKey([{ op: 'replace', path: '/spec/replicas', value: 5 }])],
    );
    for (const [key, rendered] of kept)
      assert.deepEqual(rendered, renderForCluster(fed, ftcOf(fed), JSON.parse(key) as Operation[]));
    const clusters = ['c1', 'c2'].map((name) => ({ name, ready: true, labels: {} }));
    const plan = (renders?: RenderCache) =>
      planResource({
        federated: fed,
        ftc: ftcOf(fed),
        clusters,
        live: new Map(),
        namespacePlacement: { kind: 'not-applicable' },
        scope: 'Namespaced',
        adopt: false,
        manageFinalizer: false,
        ...(renders ? { renders } : {}),
      });
    const shared = plan(kept);
    assert.deepEqual(shared, plan());
    assert.equal(
      shared.actions[1]!.desired,
      kept.get(renderKey([{ op: 'replace', path: '/spec/replicas', value: 5 }]))!.object,
    );
  });

  it('warn mode reports template problems as warnings and goes on', () => {
    const warned: string[] = [];
    preflightOffline(input(federated('Deployment', deployment({ replicas: 'two' }))), {
      mode: 'warn',
      warn: (l) => warned.push(l),
    });
    assert.equal(warned.length, 1);
  });

  it('an invalid ReplicaSchedulingPreference is an input error', () => {
    const rsp = {
      apiVersion: 'scheduling.kubefed.io/v1alpha1',
      kind: 'ReplicaSchedulingPreference',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { targetKind: 'FederatedDeployment', totalReplicas: -1 },
    };
    assert.throws(
      () => checkFileInput({ ...input(), rsps: [rsp] }, offlineSchemas()),
      (e: unknown) => e instanceof ValidationError && e.issues.some((i) => i.includes('spec.totalReplicas')),
    );
  });
});

describe('schemas from the members', () => {
  /** A member that serves a small /openapi/v3 with a Widget CRD, counting what it is asked. */
  function member(
    name: string,
    asked: string[],
    serves = true,
  ): { name: string; ready: boolean; client: ClusterClient } {
    const index = {
      paths: { 'apis/example.com/v1': { serverRelativeURL: '/openapi/v3/apis/example.com/v1?hash=AB' } },
    };
    const doc = {
      components: {
        schemas: {
          'com.example.v1.Widget': {
            type: 'object',
            'x-kubernetes-group-version-kind': [{ group: 'example.com', version: 'v1', kind: 'Widget' }],
            properties: {
              apiVersion: { type: 'string' },
              kind: { type: 'string' },
              metadata: { type: 'object' },
              spec: { type: 'object', properties: { size: { type: 'integer' } } },
            },
          },
        },
      },
    };
    const client = {
      raw: (path: string) => {
        asked.push(`${name} ${path}`);
        if (!serves) return Promise.resolve({ statusCode: 404, headers: {}, body: 'not found', attempts: 1 });
        const body = JSON.stringify(path === '/openapi/v3' ? index : doc);
        return Promise.resolve({ statusCode: 200, headers: {}, body, attempts: 1 });
      },
    } as unknown as ClusterClient;
    return { name, ready: true, client };
  }

  it('fetches a group-version document once for members that serve the same one, and validates CRD kinds', async () => {
    const asked: string[] = [];
    const lookup = await memberSchemas([member('c1', asked), member('c2', asked)], ['example.com/v1']);
    assert.deepEqual(asked.filter((a) => a.includes('hash')).length, 1);
    const v = lookup('c2', 'example.com/v1', 'Widget')!;
    assert.deepEqual(
      v({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: {}, spec: { size: 'big' } }).map((i) => i.path),
      ['spec.size'],
    );
  });

  it('falls back to the bundle, and says so at -v, when a member does not serve /openapi/v3', async () => {
    const lines: string[] = [];
    const lookup = await memberSchemas([member('c1', [], false)], ['apps/v1'], (level, l) =>
      lines.push(`${level} ${l}`),
    );
    assert.ok(lookup('c1', 'apps/v1', 'Deployment'));
    assert.ok(lines.some((l) => l.startsWith('1 c1: cannot read its OpenAPI v3 schemas')));
  });
});
