// propagate against three real clusters; cluster1 is the host and also a member.
// cluster1: region=eu tier=prod, cluster2: region=eu tier=staging, cluster3: region=us tier=prod.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import type { HasMetadata, KubeObject, ResourceType } from '../../src/api/objects.js';
import { CONFIG_MAPS, CUSTOM_RESOURCE_DEFINITIONS, DEPLOYMENTS, NAMESPACES, SECRETS } from '../../src/api/resources.js';
import {
  admin,
  closeClients,
  editor,
  controlPlane,
  eventually,
  kubeconfigDoc,
  kubefedctl,
  namespaceSettled,
  propagateJson,
  testClusters,
  uniqueName,
  writeKubeconfig,
} from './harness.js';
import { GETS_BEFORE_LIST } from '../../src/engine/propagate.js';

const HOST = 'cluster1';
const MEMBERS = ['cluster1', 'cluster2', 'cluster3'];
const LABELS: Record<string, string[]> = {
  cluster1: ['region=eu', 'tier=prod'],
  cluster2: ['region=eu', 'tier=staging'],
  cluster3: ['region=us', 'tier=prod'],
};
const SERVICES: ResourceType = { group: '', version: 'v1', plural: 'services', kind: 'Service', namespaced: true };
const GIZMOS: ResourceType = {
  group: 'test.kubefed.example',
  version: 'v1',
  plural: 'gizmos',
  kind: 'Gizmo',
  namespaced: true,
};
const TYPES_API = 'types.kubefed.io/v1beta1';

function fedType(kind: string, plural: string, namespaced = true): ResourceType {
  return {
    group: 'types.kubefed.io',
    version: 'v1beta1',
    kind: `Federated${kind}`,
    plural: `federated${plural}`,
    namespaced,
  };
}

function federated(kind: string, namespace: string, name: string, spec: Record<string, unknown>): KubeObject {
  return { apiVersion: TYPES_API, kind: `Federated${kind}`, metadata: { name, namespace }, spec };
}

/** A namespace in the host with its FederatedNamespace placed in every cluster (or the given ones). */
async function federatedNamespace(ns: string, clusters?: string[]): Promise<void> {
  await admin(HOST).create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  await admin(HOST).create(
    fedType('Namespace', 'namespaces'),
    federated('Namespace', ns, ns, {
      placement: clusters ? { clusters: clusters.map((name) => ({ name })) } : { clusterSelector: {} },
    }),
  );
}

async function memberObject(
  cluster: string,
  type: ResourceType,
  ns: string,
  name: string,
): Promise<KubeObject | undefined> {
  return admin(cluster).get<KubeObject>(type, name, ns);
}

async function inClusters(type: ResourceType, ns: string, name: string): Promise<string[]> {
  const found: string[] = [];
  for (const c of MEMBERS) {
    const o = await memberObject(c, type, ns, name);
    if (o && !o.metadata.deletionTimestamp) found.push(c);
  }
  return found;
}

async function propagateNs(ns: string, extra: string[] = []) {
  return propagateJson(['--host-cluster-context', HOST, '-n', ns, ...extra]);
}

const crd: KubeObject = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'gizmos.test.kubefed.example' },
  spec: {
    group: 'test.kubefed.example',
    scope: 'Namespaced',
    names: { kind: 'Gizmo', plural: 'gizmos', singular: 'gizmo' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: { type: 'object', properties: { size: { type: 'integer' }, color: { type: 'string' } } },
            },
          },
        },
      },
    ],
  },
};

async function crdEstablished(client: ReturnType<typeof admin>): Promise<boolean> {
  const c = await client.get<HasMetadata & { status?: { conditions?: { type: string; status: string }[] } }>(
    CUSTOM_RESOURCE_DEFINITIONS,
    crd.metadata.name ?? '',
  );
  return Boolean(c?.status?.conditions?.some((x) => x.type === 'Established' && x.status === 'True'));
}

describe('propagate against real clusters', () => {
  before(async () => {
    // An earlier file's unjoin may still be deleting the KubeFed namespace in a member.
    for (const c of MEMBERS) await namespaceSettled(c, 'kube-federation-system');
    assert.equal((await kubefedctl(['init', '--host-cluster-context', HOST])).code, 0);
    for (const c of MEMBERS) {
      const r = await kubefedctl([
        'join',
        c,
        '--host-cluster-context',
        HOST,
        ...LABELS[c]!.flatMap((l) => ['--label', l]),
      ]);
      assert.equal(r.code, 0, r.stderr);
    }
    for (const c of MEMBERS) {
      await admin(c).apply(CUSTOM_RESOURCE_DEFINITIONS, crd);
      await eventually(`gizmos CRD in ${c}`, () => crdEstablished(admin(c)));
    }
    for (const t of [
      'namespaces',
      'configmaps',
      'secrets',
      'deployments.apps',
      'services',
      'gizmos.test.kubefed.example',
    ]) {
      const r = await kubefedctl(['enable', t, '--host-cluster-context', HOST]);
      assert.equal(r.code, 0, r.stderr);
    }
  });
  after(async () => {
    for (const c of MEMBERS) await kubefedctl(['unjoin', c, '--host-cluster-context', HOST]);
    closeClients();
  });

  const kinds: {
    kind: string;
    plural: string;
    type: ResourceType;
    template: (v: string) => Record<string, unknown>;
    read: (o: KubeObject) => unknown;
    overridePath: string;
    overrideValue: unknown;
  }[] = [
    {
      kind: 'ConfigMap',
      plural: 'configmaps',
      type: CONFIG_MAPS,
      template: (v) => ({ data: { key: v } }),
      read: (o) => (o['data'] as Record<string, string>)['key'],
      overridePath: '/data/key',
      overrideValue: 'overridden',
    },
    {
      kind: 'Secret',
      plural: 'secrets',
      type: SECRETS,
      template: (v) => ({ type: 'Opaque', stringData: { key: v } }),
      read: (o) => Buffer.from((o['data'] as Record<string, string>)['key'] ?? '', 'base64').toString(),
      overridePath: '/stringData/key',
      overrideValue: 'overridden',
    },
    {
      kind: 'Deployment',
      plural: 'deployments',
      type: DEPLOYMENTS,
      template: (v) => ({
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'x' } },
          template: {
            metadata: { labels: { app: 'x' } },
            spec: { containers: [{ name: 'c', image: `registry.invalid/app:${v}` }] },
          },
        },
      }),
      read: (o) =>
        (
          (o['spec'] as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]
            ?.image ?? ''
        ).split(':')[1],
      overridePath: '/spec/template/spec/containers/0/image',
      overrideValue: 'registry.invalid/app:overridden',
    },
    {
      kind: 'Service',
      plural: 'services',
      type: SERVICES,
      template: (v) => ({
        metadata: { labels: { version: v } },
        spec: { selector: { app: 'x' }, ports: [{ name: 'http', port: 80 }] },
      }),
      read: (o) => o.metadata.labels?.['version'],
      overridePath: '/metadata/labels/version',
      overrideValue: 'overridden',
    },
    {
      kind: 'Gizmo',
      plural: 'gizmos',
      type: GIZMOS,
      template: (v) => ({ spec: { color: v, size: 1 } }),
      read: (o) => (o['spec'] as { color: string }).color,
      overridePath: '/spec/color',
      overrideValue: 'overridden',
    },
  ];

  for (const k of kinds) {
    it(`full lifecycle of a Federated${k.kind}: create, update, overrides, placement, delete, orphan`, async () => {
      const ns = uniqueName('life');
      await federatedNamespace(ns);
      const ft = fedType(k.kind, k.plural);
      const host = admin(HOST);
      const values = async () =>
        Object.fromEntries(
          await Promise.all(
            MEMBERS.map(async (c) => [
              c,
              await memberObject(c, k.type, ns, 'obj').then((o) => (o ? k.read(o) : undefined)),
            ]),
          ),
        );

      await host.create(
        ft,
        federated(k.kind, ns, 'obj', {
          template: k.template('v1'),
          placement: { clusters: [{ name: 'cluster1' }, { name: 'cluster2' }] },
        }),
      );
      let r = await propagateNs(ns);
      assert.equal(r.code, 0, JSON.stringify(r.report.resources));
      assert.deepEqual(await values(), { cluster1: 'v1', cluster2: 'v1', cluster3: undefined });
      const live = await memberObject('cluster2', k.type, ns, 'obj');
      assert.equal(live?.metadata.labels?.['kubefed.io/managed'], 'true');

      const patchSpec = async (spec: Record<string, unknown>) => host.mergePatch(ft, 'obj', ns, { spec });
      await patchSpec({ template: k.template('v2') });
      r = await propagateNs(ns);
      assert.equal(r.code, 0);
      assert.deepEqual(
        await values(),
        { cluster1: 'v2', cluster2: 'v2', cluster3: undefined },
        'template update reaches every placed cluster',
      );

      await patchSpec({
        overrides: [{ clusterName: 'cluster2', clusterOverrides: [{ path: k.overridePath, value: k.overrideValue }] }],
      });
      await propagateNs(ns);
      assert.deepEqual(
        await values(),
        { cluster1: 'v2', cluster2: 'overridden', cluster3: undefined },
        'override added',
      );

      const changed =
        typeof k.overrideValue === 'string' && k.overrideValue.includes(':')
          ? k.overrideValue.replace('overridden', 'changed')
          : 'changed';
      await patchSpec({
        overrides: [{ clusterName: 'cluster2', clusterOverrides: [{ path: k.overridePath, value: changed }] }],
      });
      await propagateNs(ns);
      assert.deepEqual(
        await values(),
        { cluster1: 'v2', cluster2: 'changed', cluster3: undefined },
        'override changed',
      );

      await patchSpec({ overrides: null });
      await propagateNs(ns);
      assert.deepEqual(await values(), { cluster1: 'v2', cluster2: 'v2', cluster3: undefined }, 'override removed');

      await patchSpec({ placement: { clusters: [{ name: 'cluster1' }] } });
      r = await propagateNs(ns);
      assert.equal(r.code, 0);
      assert.deepEqual(await inClusters(k.type, ns, 'obj'), ['cluster1'], 'placement shrunk: removed from cluster2');

      await patchSpec({ placement: { clusters: [{ name: 'cluster1' }, { name: 'cluster3' }] } });
      await propagateNs(ns);
      assert.deepEqual(await values(), { cluster1: 'v2', cluster2: undefined, cluster3: 'v2' }, 'placement grown');

      const status = (
        await host.get<
          KubeObject & {
            status?: {
              conditions?: { type: string; status: string }[];
              clusters?: { name: string; status?: string }[];
            };
          }
        >(ft, 'obj', ns)
      )?.status;
      assert.equal(status?.conditions?.find((c) => c.type === 'Propagation')?.status, 'True');
      assert.deepEqual(status?.clusters, [{ name: 'cluster1' }, { name: 'cluster3' }]);

      await host.delete(ft, 'obj', ns);
      r = await propagateNs(ns);
      assert.equal(r.code, 0);
      assert.deepEqual(await inClusters(k.type, ns, 'obj'), [], 'deleted from every cluster');
      assert.equal(await host.get(ft, 'obj', ns), undefined, 'the federated object is gone once its copies are');

      await host.create(ft, {
        ...federated(k.kind, ns, 'kept', { template: k.template('v1'), placement: { clusterSelector: {} } }),
        metadata: { name: 'kept', namespace: ns, annotations: { 'kubefed.io/orphan': 'true' } },
      });
      await propagateNs(ns);
      await host.delete(ft, 'kept', ns);
      await propagateNs(ns);
      assert.equal(await host.get(ft, 'kept', ns), undefined);
      for (const c of MEMBERS) {
        const o = await memberObject(c, k.type, ns, 'kept');
        assert.ok(o, `orphaned copy kept in ${c}`);
        assert.equal(o.metadata.labels?.['kubefed.io/managed'], undefined, 'and no longer managed');
      }
    });
  }

  it('Namespace lifecycle: created where placed, removed where not, never deleted in the host', async () => {
    const ns = uniqueName('nsl');
    await federatedNamespace(ns, ['cluster1', 'cluster2']);
    let r = await propagateNs(ns);
    assert.equal(r.code, 0);
    assert.deepEqual(await inClusters(NAMESPACES, '', ns), ['cluster1', 'cluster2']);
    await admin(HOST).mergePatch(fedType('Namespace', 'namespaces'), ns, ns, {
      spec: { placement: { clusters: [{ name: 'cluster3' }] } },
    });
    r = await propagateNs(ns);
    assert.equal(r.code, 0, JSON.stringify(r.report.resources));
    assert.deepEqual(
      await inClusters(NAMESPACES, '', ns),
      ['cluster1', 'cluster3'],
      'cluster2 loses it; the host keeps its own namespace',
    );
    assert.equal(
      (await admin(HOST).get(NAMESPACES, ns))?.metadata.labels?.['kubefed.io/managed'],
      undefined,
      'the host namespace is only unlabelled',
    );
  });

  it('a run limited to one namespace leaves other namespaces and their objects alone', async () => {
    const a = uniqueName('only-a');
    const b = uniqueName('only-b');
    await federatedNamespace(a);
    await federatedNamespace(b);
    assert.equal((await propagateNs(b)).code, 0);
    const r = await propagateNs(a);
    assert.equal(r.code, 0);
    assert.deepEqual((r.report as unknown as { strays: unknown[] }).strays, []);
    for (const c of MEMBERS)
      assert.equal(
        (await admin(c).get(NAMESPACES, b))?.metadata.labels?.['kubefed.io/managed'],
        'true',
        `${b} still managed in ${c}`,
      );
  });

  it('selector placement follows cluster labels, intersected with the namespace placement', async () => {
    const ns = uniqueName('sel');
    await federatedNamespace(ns, ['cluster1', 'cluster2']);
    await admin(HOST).create(
      fedType('ConfigMap', 'configmaps'),
      federated('ConfigMap', ns, 'prod-only', {
        template: { data: { a: 'b' } },
        placement: { clusterSelector: { matchLabels: { tier: 'prod' } } },
      }),
    );
    await admin(HOST).create(
      fedType('ConfigMap', 'configmaps'),
      federated('ConfigMap', ns, 'eu', {
        template: { data: { a: 'b' } },
        placement: { clusterSelector: { matchExpressions: [{ key: 'region', operator: 'In', values: ['eu'] }] } },
      }),
    );
    const r = await propagateNs(ns);
    assert.equal(r.code, 0);
    assert.deepEqual(
      await inClusters(CONFIG_MAPS, ns, 'prod-only'),
      ['cluster1'],
      'tier=prod is cluster1 and cluster3, but the namespace is not in cluster3',
    );
    assert.deepEqual(await inClusters(CONFIG_MAPS, ns, 'eu'), ['cluster1', 'cluster2']);
  });

  it('a namespace without a FederatedNamespace: NamespaceNotFederated, nothing written', async () => {
    const ns = uniqueName('nofed');
    await admin(HOST).create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    await admin(HOST).create(
      fedType('ConfigMap', 'configmaps'),
      federated('ConfigMap', ns, 'lonely', { template: { data: { a: 'b' } }, placement: { clusterSelector: {} } }),
    );
    const r = await propagateNs(ns);
    assert.equal(r.code, 2);
    assert.equal(r.report.resources.find((x) => x.name === 'lonely')?.reason, 'NamespaceNotFederated');
    assert.deepEqual(await inClusters(CONFIG_MAPS, ns, 'lonely'), []);
    const status = (
      await admin(HOST).get<KubeObject & { status?: { conditions?: { reason?: string }[] } }>(
        fedType('ConfigMap', 'configmaps'),
        'lonely',
        ns,
      )
    )?.status;
    assert.equal(status?.conditions?.[0]?.reason, 'NamespaceNotFederated');
  });

  it('an unlabelled object of the same name is left untouched and reported', async () => {
    const ns = uniqueName('own');
    await federatedNamespace(ns);
    await propagateNs(ns);
    const mine: KubeObject = await admin('cluster2').create<KubeObject>(CONFIG_MAPS, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'users-own', namespace: ns },
      data: { owner: 'someone else' },
    });
    await admin(HOST).create(
      fedType('ConfigMap', 'configmaps'),
      federated('ConfigMap', ns, 'users-own', {
        template: { data: { owner: 'kubefed' } },
        placement: { clusterSelector: {} },
      }),
    );
    const r = await propagateNs(ns);
    assert.equal(r.code, 2);
    const res = r.report.resources.find((x) => x.name === 'users-own');
    assert.deepEqual(
      res?.clusters.find((c) => c.cluster === 'cluster2'),
      {
        cluster: 'cluster2',
        action: 'create',
        outcome: 'conflict',
        status: 'AlreadyExists',
        message: res?.clusters.find((c) => c.cluster === 'cluster2')?.message,
      },
    );
    const after = await memberObject('cluster2', CONFIG_MAPS, ns, 'users-own');
    assert.equal(after?.metadata.resourceVersion, mine.metadata.resourceVersion, 'not written');
    assert.deepEqual(after?.['data'], { owner: 'someone else' });
    assert.deepEqual(await inClusters(CONFIG_MAPS, ns, 'users-own'), MEMBERS, 'the other clusters got theirs');
    const status = (
      await admin(HOST).get<KubeObject & { status?: { clusters?: { name: string; status?: string }[] } }>(
        fedType('ConfigMap', 'configmaps'),
        'users-own',
        ns,
      )
    )?.status;
    assert.deepEqual(
      status?.clusters?.find((c) => c.name === 'cluster2'),
      { name: 'cluster2', status: 'AlreadyExists' },
    );
    // Adoption is an explicit choice.
    const adopted = await propagateNs(ns, ['--adopt']);
    assert.equal(adopted.code, 0);
    assert.deepEqual((await memberObject('cluster2', CONFIG_MAPS, ns, 'users-own'))?.['data'], { owner: 'kubefed' });
  });

  it('a second run makes zero writes, and an out-of-band edit is put back', async () => {
    const ns = uniqueName('idem');
    await federatedNamespace(ns);
    for (const name of ['a', 'b', 'c'])
      await admin(HOST).create(
        fedType('ConfigMap', 'configmaps'),
        federated('ConfigMap', ns, name, {
          template: { data: { v: name } },
          placement: { clusterSelector: {} },
          overrides: [{ clusterName: 'cluster3', clusterOverrides: [{ path: '/data/v', value: 'us' }] }],
        }),
      );
    await admin(HOST).create(
      fedType('Deployment', 'deployments'),
      federated('Deployment', ns, 'web', { template: kinds[2]!.template('1'), placement: { clusterSelector: {} } }),
    );
    const first = await propagateNs(ns);
    assert.equal(first.code, 0);
    const versions = async () => {
      const out: string[] = [];
      for (const c of MEMBERS)
        for (const t of [CONFIG_MAPS, DEPLOYMENTS])
          for (const o of (await admin(c).list(t, { namespace: ns, labelSelector: 'kubefed.io/managed=true' })).items)
            out.push(`${c}/${o.metadata.name}@${o.metadata.resourceVersion}`);
      return out.sort();
    };
    const before = await versions();
    const second = await propagateNs(ns);
    assert.equal(second.code, 0);
    assert.deepEqual(await versions(), before, 'no member object changed');
    assert.equal(second.report.summary['unchanged'], 15);
    for (const c of second.report.clusters)
      assert.deepEqual(Object.keys(c.requests), ['GET'], `${c.name} got only reads`);

    await editor('cluster2').mergePatch(CONFIG_MAPS, 'b', ns, { data: { v: 'edited by hand' } });
    const third = await propagateNs(ns);
    assert.equal(third.code, 0);
    assert.equal(third.report.summary['updated'], 1);
    assert.deepEqual((await memberObject('cluster2', CONFIG_MAPS, ns, 'b'))?.['data'], { v: 'b' });
  });

  it('after a hand edit of many objects, a run reads them whole with one LIST per cluster, not a GET each', async () => {
    const ns = uniqueName('bulk');
    await federatedNamespace(ns);
    const names = Array.from({ length: GETS_BEFORE_LIST + 8 }, (_, i) => `cm-${i}`);
    for (const name of names)
      await admin(HOST).create(
        fedType('ConfigMap', 'configmaps'),
        federated('ConfigMap', ns, name, { template: { data: { v: name } }, placement: { clusterSelector: {} } }),
      );
    assert.equal((await propagateNs(ns)).code, 0);
    const gets = (r: Awaited<ReturnType<typeof propagateNs>>, cluster: string) =>
      r.report.clusters.find((c) => c.name === cluster)?.requests['GET'] ?? 0;
    const noop = await propagateNs(ns);
    assert.equal(noop.report.summary['unchanged'], 3 * (names.length + 1));

    // Someone else changes a field we set in every ConfigMap of cluster2 (and in one of cluster3).
    for (const name of names)
      await editor('cluster2').mergePatch(CONFIG_MAPS, name, ns, { data: { v: 'edited by hand' } });
    await editor('cluster3').mergePatch(CONFIG_MAPS, 'cm-0', ns, { data: { v: 'edited by hand' } });
    const r = await propagateNs(ns);
    assert.equal(r.code, 0);
    assert.equal(r.report.summary['updated'], names.length + 1);
    // cluster2: one more LIST (a single page) instead of one GET per edited object; cluster3: one GET.
    assert.equal(gets(r, 'cluster2'), gets(noop, 'cluster2') + 1, 'cluster2 read its ConfigMaps with one LIST');
    assert.equal(gets(r, 'cluster3'), gets(noop, 'cluster3') + 1, 'cluster3 read its one edited ConfigMap');
    for (const name of ['cm-0', names.at(-1)!])
      assert.deepEqual((await memberObject('cluster2', CONFIG_MAPS, ns, name))?.['data'], { v: name });
    assert.deepEqual((await memberObject('cluster3', CONFIG_MAPS, ns, 'cm-0'))?.['data'], { v: 'cm-0' });
  });

  it('a stopped member is reported, the others are fully propagated, exit 2; nothing is lost', async () => {
    const ns = uniqueName('down');
    await federatedNamespace(ns);
    await admin(HOST).create(
      fedType('ConfigMap', 'configmaps'),
      federated('ConfigMap', ns, 'before', { template: { data: { a: '1' } }, placement: { clusterSelector: {} } }),
    );
    assert.equal((await propagateNs(ns)).code, 0);
    const cp = await controlPlane();
    await cp.stopCluster(testClusters().dir, 'cluster3');
    try {
      await admin(HOST).create(
        fedType('ConfigMap', 'configmaps'),
        federated('ConfigMap', ns, 'during', { template: { data: { a: '1' } }, placement: { clusterSelector: {} } }),
      );
      // Removing cluster3 from the placement must not delete anything there while it is down.
      await admin(HOST).mergePatch(fedType('ConfigMap', 'configmaps'), 'before', ns, {
        spec: { placement: { clusters: [{ name: 'cluster1' }, { name: 'cluster2' }] } },
      });
      const r = await propagateNs(ns, ['--request-timeout', '5s']);
      assert.equal(r.code, 2);
      const c3 = r.report.clusters.find((c) => c.name === 'cluster3');
      assert.equal(c3?.ready, false);
      const during = r.report.resources.find((x) => x.name === 'during');
      assert.equal(during?.clusters.find((c) => c.cluster === 'cluster3')?.status, 'ClusterNotReady');
      assert.deepEqual(
        await inClusters(CONFIG_MAPS, ns, 'during')
          .catch(() => [])
          .then(() =>
            Promise.all(
              ['cluster1', 'cluster2'].map((c) => memberObject(c, CONFIG_MAPS, ns, 'during').then((o) => Boolean(o))),
            ),
          ),
        [true, true],
      );
    } finally {
      await cp.startCluster(testClusters().dir, 'cluster3');
    }
    closeClients(); // connections to the restarted server are new ones
    assert.ok(
      await memberObject('cluster3', CONFIG_MAPS, ns, 'before'),
      'nothing was deleted from the cluster while it was down',
    );
    const back = await propagateNs(ns);
    assert.equal(back.code, 0, JSON.stringify(back.report.resources));
    assert.deepEqual(await inClusters(CONFIG_MAPS, ns, 'during'), MEMBERS);
    assert.deepEqual(
      await inClusters(CONFIG_MAPS, ns, 'before'),
      ['cluster1', 'cluster2'],
      'now that it is back, it is cleaned up',
    );
  });

  it('file mode gives the same member objects as host mode, and render shows what propagate applies', async () => {
    const ns = uniqueName('files');
    const docs = [
      federated('Namespace', ns, ns, { placement: { clusterSelector: {} } }),
      federated('ConfigMap', ns, 'settings', {
        template: { data: { a: 'b' } },
        placement: { clusterSelector: { matchLabels: { region: 'eu' } } },
        overrides: [{ clusterName: 'cluster2', clusterOverrides: [{ path: '/data/a', value: 'c' }] }],
      }),
      federated('Deployment', ns, 'web', {
        template: kinds[2]!.template('7'),
        placement: { clusters: [{ name: 'cluster3' }] },
      }),
    ];
    const dir = mkdtempSync(join(tmpdir(), 'kf-files-'));
    writeFileSync(join(dir, 'objects.yaml'), docs.map((d) => stringify(d)).join('---\n'));
    const clustersFile = join(dir, 'clusters.yaml');
    writeFileSync(
      clustersFile,
      MEMBERS.map((c) =>
        stringify({
          apiVersion: 'core.kubefed.io/v1beta1',
          kind: 'KubeFedCluster',
          metadata: { name: c, labels: Object.fromEntries(LABELS[c]!.map((l) => l.split('='))) },
          spec: { kubeconfigContext: c },
        }),
      ).join('---\n'),
    );

    const rendered = await kubefedctl(
      ['render', '-f', join(dir, 'objects.yaml'), '--clusters', clustersFile, '-o', 'json'],
      { env: { KUBECONFIG: '/nonexistent' } },
    );
    assert.equal(rendered.code, 0, rendered.stderr);
    const byCluster = new Map(
      (JSON.parse(rendered.stdout) as { clusters: { name: string; objects: KubeObject[] }[] }).clusters.map((c) => [
        c.name,
        c.objects,
      ]),
    );

    const fileRun = await propagateJson(['-f', join(dir, 'objects.yaml'), '--clusters', clustersFile]);
    assert.equal(fileRun.code, 0, JSON.stringify(fileRun.report.resources));
    const snapshot = async () => {
      const out: Record<string, unknown> = {};
      for (const c of MEMBERS) {
        for (const [type, name] of [
          [NAMESPACES, ns],
          [CONFIG_MAPS, 'settings'],
          [DEPLOYMENTS, 'web'],
        ] as const) {
          const o = await memberObject(c, type, type === NAMESPACES ? '' : ns, name);
          if (o)
            out[`${c}/${type.kind}/${name}`] = {
              labels: o.metadata.labels,
              annotations: o.metadata.annotations,
              data: o['data'],
              replicas: (o['spec'] as { replicas?: number } | undefined)?.replicas,
            };
        }
      }
      return out;
    };
    const fromFiles = await snapshot();
    for (const [cluster, objects] of byCluster) {
      for (const o of objects) {
        const live = await memberObject(
          cluster,
          o.kind === 'Namespace' ? NAMESPACES : o.kind === 'ConfigMap' ? CONFIG_MAPS : DEPLOYMENTS,
          o.metadata.namespace ?? '',
          o.metadata.name ?? '',
        );
        assert.ok(live, `${cluster}: rendered ${o.kind} ${o.metadata.name} exists`);
        for (const [k, v] of Object.entries(o.metadata.labels ?? {}))
          assert.equal(live.metadata.labels?.[k], v, `label ${k} as rendered`);
        assert.equal(
          live.metadata.annotations?.['kubefed.io/applied-hash'],
          o.metadata.annotations?.['kubefed.io/applied-hash'],
          'the very object render printed',
        );
      }
    }
    assert.equal(
      [...byCluster.values()].flat().length,
      Object.keys(fromFiles).length,
      'render lists exactly what propagate created',
    );

    // The same objects through the host, after removing what file mode made.
    for (const c of MEMBERS) {
      for (const [type, name] of [
        [CONFIG_MAPS, 'settings'],
        [DEPLOYMENTS, 'web'],
      ] as const)
        await admin(c).delete(type, name, ns);
      if (c !== HOST) await admin(c).delete(NAMESPACES, ns);
    }
    for (const c of MEMBERS.filter((x) => x !== HOST))
      await eventually(`namespace ${ns} gone from ${c}`, async () => !(await admin(c).get(NAMESPACES, ns)), 60_000);
    await admin(HOST).mergePatch(NAMESPACES, ns, '', {
      metadata: { labels: { 'kubefed.io/managed': null }, annotations: { 'kubefed.io/applied-hash': null } },
    });
    for (const d of docs)
      await admin(HOST).create(
        fedType(d.kind!.replace('Federated', ''), `${d.kind!.replace('Federated', '').toLowerCase()}s`),
        d,
      );
    const hostRun = await propagateNs(ns, ['--adopt']);
    assert.equal(hostRun.code, 0, JSON.stringify(hostRun.report.resources));
    assert.deepEqual(await snapshot(), fromFiles);
  });

  it('invalid input in file mode: nothing is written and each error says where', async () => {
    const ns = uniqueName('bad');
    const dir = mkdtempSync(join(tmpdir(), 'kf-bad-'));
    writeFileSync(
      join(dir, 'a-good.yaml'),
      stringify(federated('ConfigMap', ns, 'fine', { template: { data: {} }, placement: { clusterSelector: {} } })),
    );
    writeFileSync(
      join(dir, 'b-bad.yaml'),
      [
        stringify(federated('ConfigMap', ns, 'bad-placement', { template: {}, placement: { clusters: 'cluster1' } })),
        stringify(
          federated('ConfigMap', ns, 'bad-override', {
            template: {},
            overrides: [{ clusterName: 'cluster1', clusterOverrides: [{ path: '/metadata/name', value: 'x' }] }],
          }),
        ),
        stringify({
          apiVersion: TYPES_API,
          kind: 'FederatedNothing',
          metadata: { name: 'x', namespace: ns },
          spec: {},
        }),
      ].join('---\n'),
    );
    writeFileSync(join(dir, 'c-broken.yaml'), 'kind: FederatedConfigMap\nmetadata: [unclosed\n');
    const clustersFile = join(dir, 'clusters.yaml');
    writeFileSync(
      clustersFile,
      stringify({
        apiVersion: 'core.kubefed.io/v1beta1',
        kind: 'KubeFedCluster',
        metadata: { name: 'cluster1' },
        spec: { kubeconfigContext: 'cluster1' },
      }),
    );
    const broken = await kubefedctl(['propagate', '-f', dir, '--clusters', clustersFile]);
    assert.equal(broken.code, 1);
    assert.match(broken.stderr, /c-broken\.yaml is not valid YAML/);
    const r = await kubefedctl([
      'propagate',
      '-f',
      join(dir, 'a-good.yaml'),
      '-f',
      join(dir, 'b-bad.yaml'),
      '--clusters',
      clustersFile,
    ]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /nothing was written/);
    assert.match(
      r.stderr,
      /b-bad\.yaml:1 \(document 1\): FederatedConfigMap .*\/bad-placement: spec\.placement\.clusters: must be array/,
    );
    assert.match(
      r.stderr,
      /b-bad\.yaml:\d+ \(document 2\): FederatedConfigMap .*\/bad-override: spec\.overrides\[0\]\.clusterOverrides\[0\]\.path: \/metadata\/name cannot be overridden/,
    );
    assert.match(
      r.stderr,
      /b-bad\.yaml:\d+ \(document 3\): FederatedNothing \S+\/x: kind: FederatedNothing is not a federated type/,
    );
    assert.equal(await memberObject('cluster1', CONFIG_MAPS, ns, 'fine'), undefined);
    assert.equal(await admin('cluster1').get(NAMESPACES, ns), undefined);
  });

  it('a dry run, client or server, writes nothing', async () => {
    const ns = uniqueName('dry');
    await federatedNamespace(ns);
    await admin(HOST).create(
      fedType('ConfigMap', 'configmaps'),
      federated('ConfigMap', ns, 'x', { template: { data: { a: 'b' } }, placement: { clusterSelector: {} } }),
    );
    for (const mode of ['client', 'server']) {
      const r = await propagateNs(ns, [`--dry-run=${mode}`]);
      assert.equal(r.code, 0, JSON.stringify(r.report));
      // The host's own namespace is taken over rather than created.
      assert.equal(r.report.summary['created'], 5);
      assert.equal(r.report.summary['adopted'], 1);
      for (const c of r.report.clusters) assert.equal(c.requests['POST'] === undefined || mode === 'server', true);
    }
    assert.deepEqual(await inClusters(CONFIG_MAPS, ns, 'x'), []);
    const fed = await admin(HOST).get<KubeObject & { status?: unknown }>(fedType('ConfigMap', 'configmaps'), 'x', ns);
    assert.equal(fed?.status, undefined, 'no status written in a dry run');
    assert.equal(fed?.metadata.finalizers, undefined, 'no finalizer added in a dry run');
  });

  it('propagate without the KubeFed API, or with a bad kubeconfig context, fails clearly', async () => {
    const r = await kubefedctl(['propagate', '--host-cluster-context', 'cluster2']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no KubeFed API/);
    const k = await kubefedctl(['propagate', '--host-cluster-context', 'cluster1'], {
      env: { KUBECONFIG: writeKubeconfig({ ...kubeconfigDoc(), contexts: [] }) },
    });
    assert.equal(k.code, 1);
    assert.match(k.stderr, /context "cluster1" not found/);
  });
});
