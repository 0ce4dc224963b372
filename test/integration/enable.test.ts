// enable and disable against a real host cluster: CRDs established, federated objects validated by
// the API server, idempotence, offline printing, and the refusals.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import type { HasMetadata, KubeObject, ResourceType } from '../../src/api/objects.js';
import { isNotFound, KubeApiError } from '../../src/kube/api-error.js';
import { CUSTOM_RESOURCE_DEFINITIONS, FEDERATED_TYPE_CONFIGS, NAMESPACES } from '../../src/api/resources.js';
import { admin, closeClients, eventually, kubefedctl, uniqueName } from './harness.js';

const HOST = 'cluster1';
const NS = 'kube-federation-system';

function crd(group: string, kind: string, scope: 'Namespaced' | 'Cluster', scalable: boolean): KubeObject {
  const plural = `${kind.toLowerCase()}s`;
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      scope,
      names: { kind, plural, singular: kind.toLowerCase(), shortNames: [kind.slice(0, 2).toLowerCase()] },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          ...(scalable
            ? {
                subresources: {
                  status: {},
                  scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' },
                },
              }
            : {}),
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: { type: 'object', properties: { size: { type: 'integer' }, replicas: { type: 'integer' } } },
                status: { type: 'object', properties: { replicas: { type: 'integer' } } },
              },
            },
          },
        },
      ],
    },
  };
}

const WIDGETS = crd('test.kubefed.example', 'Widget', 'Namespaced', true);
const GADGETS = crd('test.kubefed.example', 'Gadget', 'Cluster', false);

function federatedType(kind: string, plural: string, namespaced: boolean): ResourceType {
  return {
    group: 'types.kubefed.io',
    version: 'v1beta1',
    kind: `Federated${kind}`,
    plural: `federated${plural}`,
    namespaced,
  };
}

async function established(name: string): Promise<boolean> {
  const c = await admin(HOST).get<HasMetadata & { status?: { conditions?: { type: string; status: string }[] } }>(
    CUSTOM_RESOURCE_DEFINITIONS,
    name,
  );
  return Boolean(c?.status?.conditions?.some((x) => x.type === 'Established' && x.status === 'True'));
}

describe('enable and disable', () => {
  const testNs = uniqueName('enable-test');
  before(async () => {
    assert.equal((await kubefedctl(['init', '--host-cluster-context', HOST])).code, 0);
    const host = admin(HOST);
    for (const c of [WIDGETS, GADGETS]) await host.apply(CUSTOM_RESOURCE_DEFINITIONS, c);
    await eventually(
      'test CRDs to be established',
      async () =>
        (await established('widgets.test.kubefed.example')) && (await established('gadgets.test.kubefed.example')),
    );
    await host.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: testNs } });
  });
  after(async () => {
    const host = admin(HOST);
    await host.delete(NAMESPACES, testNs);
    for (const t of ['widgets.test.kubefed.example', 'gadgets.test.kubefed.example'])
      await kubefedctl(['disable', t, '--host-cluster-context', HOST, '--delete-crd', '--force']);
    for (const c of [WIDGETS, GADGETS]) await host.delete(CUSTOM_RESOURCE_DEFINITIONS, c.metadata.name ?? '');
    closeClients();
  });

  const cases: { type: string; kind: string; plural: string; namespaced: boolean; scalable: boolean }[] = [
    { type: 'configmaps', kind: 'ConfigMap', plural: 'configmaps', namespaced: true, scalable: false },
    { type: 'deploy', kind: 'Deployment', plural: 'deployments', namespaced: true, scalable: true },
    { type: 'Service', kind: 'Service', plural: 'services', namespaced: true, scalable: false },
    { type: 'namespaces', kind: 'Namespace', plural: 'namespaces', namespaced: true, scalable: false },
    { type: 'widgets.test.kubefed.example', kind: 'Widget', plural: 'widgets', namespaced: true, scalable: true },
    { type: 'gadget', kind: 'Gadget', plural: 'gadgets', namespaced: false, scalable: false },
  ];
  for (const c of cases) {
    it(`enable ${c.type}: the CRD is established and validates federated objects`, async () => {
      const r = await kubefedctl(['enable', c.type, '--host-cluster-context', HOST]);
      assert.equal(r.code, 0, r.stderr);
      const crdName = `federated${c.plural}.types.kubefed.io`;
      assert.match(
        r.stdout,
        new RegExp(`customresourcedefinition\\.apiextensions\\.k8s\\.io/${crdName} (created|unchanged)`),
      );
      assert.ok(await established(crdName), `${crdName} is established when enable returns`);
      const stored = await admin(HOST).get<
        HasMetadata & {
          spec: {
            scope: string;
            versions: {
              schema: { openAPIV3Schema: { properties: { spec: { properties: Record<string, unknown> } } } };
            }[];
          };
        }
      >(CUSTOM_RESOURCE_DEFINITIONS, crdName);
      assert.equal(stored?.spec.scope, c.namespaced ? 'Namespaced' : 'Cluster');
      assert.equal(
        'retainReplicas' in (stored?.spec.versions[0]?.schema.openAPIV3Schema.properties.spec.properties ?? {}),
        c.scalable,
      );

      const type = federatedType(c.kind, c.plural, c.namespaced);
      const name = uniqueName('obj');
      const namespace = c.kind === 'Namespace' ? testNs : c.namespaced ? testNs : undefined;
      const objName = c.kind === 'Namespace' ? testNs : name;
      const valid: KubeObject = {
        apiVersion: 'types.kubefed.io/v1beta1',
        kind: type.kind,
        metadata: { name: objName, ...(namespace ? { namespace } : {}) },
        spec: {
          template: { data: { a: 'b' } },
          placement: { clusters: [{ name: 'cluster2' }] },
          overrides: [{ clusterName: 'cluster2', clusterOverrides: [{ path: '/data/a', value: 'c' }] }],
        },
      };
      await admin(HOST).create(type, valid);
      const invalid: KubeObject = {
        ...valid,
        metadata: { ...valid.metadata, name: c.kind === 'Namespace' ? 'x' : uniqueName('bad') },
        spec: {
          template: {},
          placement: { clusters: 'cluster2' },
          overrides: [{ clusterName: 'c', clusterOverrides: [{ op: 'move', path: '/x' }] }],
        },
      };
      await assert.rejects(admin(HOST).create(type, invalid), (e: Error) => {
        assert.ok(e instanceof KubeApiError && e.statusCode === 422, e.message);
        assert.match(e.message, /spec\.placement\.clusters/);
        assert.match(e.message, /spec\.overrides\[0\]\.clusterOverrides\[0\]\.op/);
        return true;
      });
      await admin(HOST).delete(type, objName, namespace);
    });
  }

  it('enabling again changes nothing', async () => {
    const before = (await admin(HOST).get(CUSTOM_RESOURCE_DEFINITIONS, 'federatedconfigmaps.types.kubefed.io'))
      ?.metadata.resourceVersion;
    const r = await kubefedctl(['enable', 'configmaps', '--host-cluster-context', HOST]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), [
      'customresourcedefinition.apiextensions.k8s.io/federatedconfigmaps.types.kubefed.io unchanged',
      'federatedtypeconfig.core.kubefed.io/configmaps unchanged',
    ]);
    assert.equal(
      (await admin(HOST).get(CUSTOM_RESOURCE_DEFINITIONS, 'federatedconfigmaps.types.kubefed.io'))?.metadata
        .resourceVersion,
      before,
    );
  });

  it('changing the federated group of an enabled type is refused', async () => {
    const r = await kubefedctl([
      'enable',
      'configmaps',
      '--host-cluster-context',
      HOST,
      '--federated-group',
      'other.example.com',
    ]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /already enabled with federated type federatedconfigmaps\.types\.kubefed\.io\/v1beta1/);
  });

  it('enable -f CRD -o yaml needs no cluster; -f directive looks the type up', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kf-enable-'));
    const crdFile = join(dir, 'crd.yaml');
    writeFileSync(crdFile, stringify(WIDGETS));
    const offline = await kubefedctl(['enable', '-f', crdFile, '-o', 'yaml', '--kubeconfig', '/nonexistent'], {
      env: { KUBECONFIG: '/nonexistent' },
    });
    assert.equal(offline.code, 0, offline.stderr);
    assert.match(offline.stdout, /name: widgets\.test\.kubefed\.example/);
    assert.match(offline.stdout, /kind: FederatedWidget/);
    assert.match(offline.stdout, /retainReplicas/);
    const live = await kubefedctl([
      'enable',
      'widgets.test.kubefed.example',
      '-o',
      'yaml',
      '--host-cluster-context',
      HOST,
    ]);
    assert.equal(live.stdout, offline.stdout, 'the file and the server describe the same type');

    const directive = join(dir, 'directive.yaml');
    writeFileSync(
      directive,
      stringify({
        apiVersion: 'core.kubefed.io/v1beta1',
        kind: 'EnableTypeDirective',
        metadata: { name: 'jobs.batch' },
        spec: { federatedVersion: 'v1beta1' },
      }),
    );
    const viaDirective = await kubefedctl(['enable', '-f', directive, '-o', 'json', '--host-cluster-context', HOST]);
    assert.equal(viaDirective.code, 0, viaDirective.stderr);
    assert.equal(
      (JSON.parse(viaDirective.stdout) as { items: { kind: string; spec: { federatedType?: { kind: string } } }[] })
        .items[0]?.spec.federatedType?.kind,
      'FederatedJob',
    );

    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      stringify({
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'x' },
        spec: { names: { kind: 'X' } },
      }),
    );
    const badRun = await kubefedctl(['enable', '-f', bad, '-o', 'yaml']);
    assert.equal(badRun.code, 1);
    assert.match(badRun.stderr, new RegExp(`${bad}:1 \\(document 1\\): spec\\.group: must be a non-empty string`));
  });

  it('enable --dry-run writes nothing', async () => {
    const r = await kubefedctl(['enable', 'statefulsets.apps', '--host-cluster-context', HOST, '--dry-run']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /federatedstatefulsets\.types\.kubefed\.io created \(dry run\)/);
    assert.equal(
      await admin(HOST).get(CUSTOM_RESOURCE_DEFINITIONS, 'federatedstatefulsets.types.kubefed.io'),
      undefined,
    );
  });

  it('an unknown type is an error', async () => {
    for (const cmd of ['enable', 'disable']) {
      const r = await kubefedctl([cmd, 'nosuchthings', '--host-cluster-context', HOST]);
      assert.equal(r.code, 1, cmd);
      assert.match(r.stderr, /the server has no resource type "nosuchthings"/);
    }
    const dotted = await kubefedctl(['disable', 'nosuch.example.com', '--host-cluster-context', HOST]);
    assert.equal(dotted.code, 1);
    assert.match(dotted.stderr, /is not enabled/);
  });

  it('disable removes the FederatedTypeConfig and keeps the CRD', async () => {
    const r = await kubefedctl(['disable', 'services', '--host-cluster-context', HOST]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /federatedtypeconfig\.core\.kubefed\.io\/services deleted/);
    assert.equal(await admin(HOST).get(FEDERATED_TYPE_CONFIGS, 'services', NS), undefined);
    assert.ok(await admin(HOST).get(CUSTOM_RESOURCE_DEFINITIONS, 'federatedservices.types.kubefed.io'));
    const again = await kubefedctl(['disable', 'services', '--host-cluster-context', HOST]);
    assert.equal(again.code, 0);
    assert.match(again.stderr, /does not exist: the type is not enabled/);
  });

  it('disable --delete-crd refuses while federated objects exist, unless --force', async () => {
    const type = federatedType('Widget', 'widgets', true);
    await admin(HOST).create(type, {
      apiVersion: 'types.kubefed.io/v1beta1',
      kind: 'FederatedWidget',
      metadata: { name: 'w1', namespace: testNs },
      spec: { template: { spec: { size: 1 } } },
    });
    const refused = await kubefedctl([
      'disable',
      'widgets.test.kubefed.example',
      '--host-cluster-context',
      HOST,
      '--delete-crd',
    ]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /1 FederatedWidget object\(s\) exist \(.*\/w1\)/);
    assert.match(refused.stderr, /--force/);
    assert.ok(
      await admin(HOST).get(CUSTOM_RESOURCE_DEFINITIONS, 'federatedwidgets.types.kubefed.io'),
      'the CRD is still there',
    );
    assert.ok(
      await admin(HOST).get(FEDERATED_TYPE_CONFIGS, 'widgets.test.kubefed.example', NS),
      'the FTC is still there',
    );

    const forced = await kubefedctl([
      'disable',
      'widgets.test.kubefed.example',
      '--host-cluster-context',
      HOST,
      '--delete-crd',
      '--force',
    ]);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(
      forced.stdout,
      /customresourcedefinition\.apiextensions\.k8s\.io\/federatedwidgets\.types\.kubefed\.io deleted/,
    );
    await eventually(
      'the federated CRD to be gone',
      async () =>
        (await admin(HOST).get(CUSTOM_RESOURCE_DEFINITIONS, 'federatedwidgets.types.kubefed.io')) === undefined,
    );
    await assert.rejects(admin(HOST).list(type, { namespace: testNs }), (e: Error) => isNotFound(e));
  });
});
