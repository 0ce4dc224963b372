// All or nothing before the first write (issue 10, items 6 and 7), against real clusters: file-mode
// propagate refuses a sample of the invalid template and override fixtures with exit 1 and leaves
// every member as it was, and online validation reads each member's /openapi/v3, so a defect in a
// template of a CRD kind is caught before anything is written (render, offline, cannot see it).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import type { HasMetadata, KubeObject, ResourceType } from '../../src/api/objects.js';
import {
  CONFIG_MAPS,
  CUSTOM_RESOURCE_DEFINITIONS,
  DEPLOYMENTS,
  NAMESPACES,
  SERVICES,
} from '../../src/api/resources.js';
import {
  admin,
  closeClients,
  deleteNamespaces,
  eventually,
  kubefedctl,
  uniqueName,
  writeClustersFile,
} from './harness.js';

const root = resolve(import.meta.dirname, '..', '..', '..');
const MEMBERS = ['cluster1', 'cluster2', 'cluster3'];
const TYPES_API = 'types.kubefed.io/v1beta1';

const GROUP = 'tv.kubefed.example';
const SPROCKETS: ResourceType = {
  group: GROUP,
  version: 'v1',
  plural: 'sprockets',
  kind: 'Sprocket',
  namespaced: true,
};
const CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `sprockets.${GROUP}` },
  spec: {
    group: GROUP,
    scope: 'Namespaced',
    names: { kind: 'Sprocket', plural: 'sprockets', singular: 'sprocket' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                properties: {
                  teeth: { type: 'integer', minimum: 3 },
                  finish: { type: 'string', enum: ['matte', 'gloss'] },
                },
              },
            },
          },
        },
      },
    ],
  },
};
const CRD_MEMBERS = ['cluster1', 'cluster2'];

/** Names and resourceVersions of what a fixture could write: namespace `shop`, and the kinds of the sample in it. */
async function snapshot(): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const c of MEMBERS) {
    const client = admin(c);
    // Only the namespace the fixtures live in: other test files create and delete their own meanwhile.
    const shop = await client.get(NAMESPACES, 'shop');
    out[`${c} namespace shop`] = shop ? [`shop@${shop.metadata.resourceVersion ?? ''}`] : [];
    for (const type of [CONFIG_MAPS, DEPLOYMENTS, SERVICES]) {
      const list = await client.list(type, { namespace: 'shop' });
      out[`${c} shop/${type.plural}`] = list.items
        .map((o) => `${o.metadata.name ?? ''}@${o.metadata.resourceVersion ?? ''}`)
        .sort();
    }
  }
  return out;
}

const SAMPLE = [
  'templates/deployment-replicas-string.yaml',
  'templates/deployment-unknown-field.yaml',
  'templates/configmap-data-not-string.yaml',
  'templates/deployment-container-port-too-big.yaml',
  'templates/service-name-not-dns1035.yaml',
  'templates/missing-template.yaml',
  'overrides/replace-under-missing-member.yaml',
  'overrides/second-cluster-fails.yaml',
  'overrides/value-breaks-schema.yaml',
  'overrides/removes-required-field.yaml',
];

const namespaces: string[] = [];
after(async () => {
  await deleteNamespaces(MEMBERS, namespaces);
  for (const c of CRD_MEMBERS)
    await admin(c)
      .delete(CUSTOM_RESOURCE_DEFINITIONS, CRD.metadata.name)
      .catch(() => undefined);
  closeClients();
});

describe('file mode refuses invalid templates and overrides before the first write', () => {
  const clusters = writeClustersFile(MEMBERS);

  for (const fixture of SAMPLE) {
    it(`propagate -f ${fixture}: exit 1, nothing written in any member`, async () => {
      const folder = join('test', 'fixtures', 'invalid', fixture.split('/')[0]!);
      const name = fixture.split('/')[1]!;
      const cases = JSON.parse(readFileSync(join(root, folder, 'cases.json'), 'utf8')) as Record<
        string,
        { error: string }
      >;
      const file = join(folder, name);
      const beforeRun = await snapshot();
      const r = await kubefedctl([
        'propagate',
        '-f',
        join(root, 'examples', 'federated', 'namespace.yaml'),
        '-f',
        join(root, file),
        '--clusters',
        clusters,
      ]);
      assert.equal(r.code, 1, r.stderr);
      assert.equal(r.stdout, '');
      assert.ok(r.stderr.includes(file), r.stderr);
      assert.ok(r.stderr.includes(cases[name]!.error), `${cases[name]!.error} in ${r.stderr}`);
      assert.deepEqual(await snapshot(), beforeRun);
    });
  }
});

describe('online validation against each member /openapi/v3', () => {
  const ns = uniqueName('tv');
  const dir = mkdtempSync(join(tmpdir(), 'kf-tv-'));
  const clusters = writeClustersFile(CRD_MEMBERS);
  namespaces.push(ns);

  before(async () => {
    for (const c of CRD_MEMBERS) {
      await admin(c)
        .create(CUSTOM_RESOURCE_DEFINITIONS, CRD as unknown as KubeObject)
        .catch((e: unknown) => {
          if (!/already exists/i.test(String(e))) throw e;
        });
      await eventually(`${c} serves ${GROUP}/v1 in /openapi/v3`, async () => {
        const crd = await admin(c).get<HasMetadata & { status?: { conditions?: { type: string; status: string }[] } }>(
          CUSTOM_RESOURCE_DEFINITIONS,
          CRD.metadata.name,
        );
        if (!crd?.status?.conditions?.some((x) => x.type === 'Established' && x.status === 'True')) return false;
        const res = await admin(c).raw('/openapi/v3');
        return res.statusCode === 200 && res.body.includes(`apis/${GROUP}/v1`);
      });
    }
  });

  function inputWith(template: Record<string, unknown>): string {
    const docs = [
      {
        apiVersion: 'core.kubefed.io/v1beta1',
        kind: 'FederatedTypeConfig',
        metadata: { name: `sprockets.${GROUP}` },
        spec: {
          targetType: { group: GROUP, version: 'v1', kind: 'Sprocket', pluralName: 'sprockets', scope: 'Namespaced' },
          propagation: 'Enabled',
          federatedType: {
            group: 'types.kubefed.io',
            version: 'v1beta1',
            kind: 'FederatedSprocket',
            pluralName: 'federatedsprockets',
            scope: 'Namespaced',
          },
        },
      },
      {
        apiVersion: TYPES_API,
        kind: 'FederatedNamespace',
        metadata: { name: ns, namespace: ns },
        spec: { placement: { clusterSelector: {} } },
      },
      {
        apiVersion: TYPES_API,
        kind: 'FederatedSprocket',
        metadata: { name: 'gear', namespace: ns },
        spec: { template, placement: { clusterSelector: {} } },
      },
    ];
    const file = join(dir, `${uniqueName('input')}.yaml`);
    writeFileSync(file, docs.map((d) => stringify(d)).join('---\n'));
    return file;
  }

  it('a defect in a CRD-typed template is caught from the members schema; nothing is written', async () => {
    const file = inputWith({ spec: { teeth: 'many', finish: 'shiny', colour: 'red' } });
    const r = await kubefedctl(['propagate', '-f', file, '--clusters', clusters, '-v=2']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stderr,
      /FederatedSprocket [\w-]+\/gear in clusters cluster1 and cluster2: spec\.template\.spec\.teeth: must be an integer/,
    );
    assert.match(r.stderr, /spec\.template\.spec\.finish: must be one of "matte", "gloss", not the string "shiny"/);
    assert.match(r.stderr, /spec\.template\.spec\.colour: unknown field/);
    assert.match(r.stderr, /cluster1: templates are checked against its \/openapi\/v3 \([^)]*tv\.kubefed\.example\/v1/);
    assert.ok(r.stderr.includes(file));
    for (const c of CRD_MEMBERS) {
      assert.equal(await admin(c).get(NAMESPACES, ns), undefined, `${c}: the namespace was not created`);
      assert.equal(await admin(c).get(SPROCKETS, 'gear', ns), undefined);
    }
    // Offline, render has no schema for the CRD kind, so it does not validate it (and says so at -v=2).
    const offline = await kubefedctl(['render', '-f', file, '--clusters', clusters, '-v=2']);
    assert.equal(offline.code, 0, offline.stderr);
    assert.match(offline.stderr, /Sprocket tv\.kubefed\.example\/v1: no bundled schema/);
  });

  it('a bound the CRD schema sets (minimum) is checked too, and a valid sprocket propagates', async () => {
    const few = await kubefedctl(['propagate', '-f', inputWith({ spec: { teeth: 2 } }), '--clusters', clusters]);
    assert.equal(few.code, 1, few.stderr);
    assert.match(few.stderr, /spec\.template\.spec\.teeth: must be at least 3, not 2/);
    const ok = await kubefedctl([
      'propagate',
      '-f',
      inputWith({ spec: { teeth: 12, finish: 'matte' } }),
      '--clusters',
      clusters,
    ]);
    assert.equal(ok.code, 0, ok.stderr);
    for (const c of CRD_MEMBERS) {
      const got = await admin(c).get<KubeObject>(SPROCKETS, 'gear', ns);
      assert.deepEqual(got?.['spec'], { teeth: 12, finish: 'matte' }, c);
    }
  });
});
