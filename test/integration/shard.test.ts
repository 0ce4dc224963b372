// propagate --shard against six real member clusters (cluster1 is also the host): three shards run
// in parallel, as three processes, write exactly the member objects and federated status one
// unsharded run writes (with a ReplicaSchedulingPreference too: each shard schedules with the
// whole fleet), and a shard that fails leaves the other shards' clusters and status entries
// correct. The suite starts three clusters; harness.withClusters starts the other three.
// cluster1, cluster2 -> shard 0; cluster3, cluster5 -> shard 1; cluster4, cluster6 -> shard 2 (of 3).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject, ResourceType } from '../../src/api/objects.js';
import {
  CONFIG_MAPS,
  DEPLOYMENTS,
  KUBEFED_CLUSTERS,
  NAMESPACES,
  REPLICA_SCHEDULING_PREFERENCES,
  SECRETS,
} from '../../src/api/resources.js';
import type { FederatedObject } from '../../src/federation/federated-object.js';
import { ClientFactory } from '../../src/kube/factory.js';
import type { KubeClient } from '../../src/kube/client.js';
import { shardOfCluster } from '../../src/federation/shard.js';
import { refusingPort } from './fault-proxy.js';
import {
  deploymentTemplate,
  kubefedctl,
  propagateJson,
  uniqueName,
  withClusters,
  type PropagationReport,
} from './harness.js';
import { parse, stringify } from 'yaml';
import { readFileSync, writeFileSync } from 'node:fs';

const HOST = 'cluster1';
const MEMBERS = ['cluster1', 'cluster2', 'cluster3', 'cluster4', 'cluster5', 'cluster6'];
const REGION: Record<string, string> = {
  cluster1: 'eu',
  cluster2: 'eu',
  cluster3: 'us',
  cluster4: 'eu',
  cluster5: 'us',
  cluster6: 'us',
};
const KF_NS = uniqueName('kf-shard');
const TYPES_API = 'types.kubefed.io/v1beta1';
const fedType = (kind: string, plural: string): ResourceType => ({
  group: 'types.kubefed.io',
  version: 'v1beta1',
  kind: `Federated${kind}`,
  plural: `federated${plural}`,
  namespaced: true,
});
const FED_NAMESPACES = fedType('Namespace', 'namespaces');
const FED_CONFIG_MAPS = fedType('ConfigMap', 'configmaps');
const FED_DEPLOYMENTS = fedType('Deployment', 'deployments');

let env: { kubeconfig: string; stop: () => Promise<void> };
let clients: ClientFactory;
const admin = (context: string): KubeClient => clients.forContext(context);
const namespaces: string[] = [];

/** The federated objects of one namespace; identical in every namespace but for the namespace. */
function federatedObjects(ns: string, value: string): KubeObject[] {
  const cm = (name: string, spec: Record<string, unknown>): KubeObject => ({
    apiVersion: TYPES_API,
    kind: 'FederatedConfigMap',
    metadata: { name, namespace: ns },
    spec,
  });
  return [
    {
      apiVersion: TYPES_API,
      kind: 'FederatedNamespace',
      metadata: { name: ns, namespace: ns },
      spec: { placement: { clusterSelector: {} } },
    },
    cm('everywhere', {
      template: { data: { value } },
      placement: { clusterSelector: {} },
      overrides: [
        { clusterName: 'cluster2', clusterOverrides: [{ path: '/data/value', value: `${value}-c2` }] },
        { clusterName: 'cluster5', clusterOverrides: [{ path: '/data/extra', value: 'c5' }] },
      ],
    }),
    cm('eu-only', { template: { data: { value } }, placement: { clusterSelector: { matchLabels: { region: 'eu' } } } }),
    cm('named', {
      template: { data: { value } },
      placement: { clusters: [{ name: 'cluster3' }, { name: 'cluster6' }, { name: 'not-joined' }] },
    }),
    // cluster5 has an unmanaged ConfigMap of this name: its entry says AlreadyExists, the condition CheckClusters.
    cm('taken', { template: { data: { value } }, placement: { clusterSelector: {} } }),
  ];
}

/** A host namespace with the federated objects, and the unmanaged ConfigMap "taken" in cluster5. */
async function federatedNamespace(prefix: string, value: string): Promise<string> {
  const ns = uniqueName(prefix);
  namespaces.push(ns);
  await admin(HOST).create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  for (const o of federatedObjects(ns, value))
    await admin(HOST).create(o.kind === 'FederatedNamespace' ? FED_NAMESPACES : FED_CONFIG_MAPS, o);
  await admin('cluster5').create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  await admin('cluster5').create(CONFIG_MAPS, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'taken', namespace: ns },
    data: { owner: 'someone else' },
  });
  return ns;
}

/** Sets data.value of every federated ConfigMap in a namespace. */
async function setValue(ns: string, value: string): Promise<void> {
  for (const o of federatedObjects(ns, value).filter((x) => x.kind === 'FederatedConfigMap'))
    await admin(HOST).mergePatch(FED_CONFIG_MAPS, o.metadata.name ?? '', ns, {
      spec: { template: { data: { value } } },
    });
}

/** Every member object in a namespace, per cluster, without what the API server sets and with the namespace made "NS". */
async function memberState(ns: string): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const c of MEMBERS) {
    const namespace = await admin(c).get(NAMESPACES, ns);
    const items = namespace ? (await admin(c).list(CONFIG_MAPS, { namespace: ns })).items : [];
    out[c] = {
      namespace: namespace ? normalised(namespace, ns) : null,
      configMaps: items
        .filter((o) => o.metadata.name !== 'kube-root-ca.crt')
        .map((o) => normalised(o, ns))
        .sort((a, b) => String(a['name']).localeCompare(String(b['name']))),
    };
  }
  return out;
}

function normalised(o: KubeObject, ns: string): Record<string, unknown> {
  const { uid: _u, resourceVersion: _r, creationTimestamp: _c, managedFields: _m, ...metadata } = o.metadata;
  const annotations = { ...metadata.annotations };
  // The hash covers the rendered object, namespace included: present in both, compared nowhere.
  if (annotations['kubefed.io/applied-hash']) annotations['kubefed.io/applied-hash'] = 'HASH';
  const rest = { ...o } as Record<string, unknown>;
  delete rest['metadata'];
  delete rest['status'];
  delete rest['spec']; // a Namespace's spec.finalizers only
  const text = JSON.stringify({ ...metadata, annotations, ...rest });
  return JSON.parse(text.split(ns).join('NS')) as Record<string, unknown>;
}

/** The federated status of every object in a namespace, without timestamps. */
async function federatedStatus(ns: string): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const type of [FED_NAMESPACES, FED_CONFIG_MAPS])
    for (const o of (await admin(HOST).list<FederatedObject>(type, { namespace: ns })).items) {
      const status = o.status ?? {};
      out[`${o.kind ?? ''}/${o.metadata.name === ns ? 'NS' : (o.metadata.name ?? '')}`] = {
        ...status,
        conditions: (status.conditions ?? []).map(
          ({ lastUpdateTime: _u, lastTransitionTime: _t, ...condition }) => condition,
        ),
      };
    }
  return out;
}

async function propagate(ns: string, extra: string[]) {
  return propagateJson(['--host-cluster-context', HOST, '--kubefed-namespace', KF_NS, '-n', ns, ...extra], {
    env: { KUBECONFIG: env.kubeconfig },
  });
}

/** Three shards at once, as three processes. */
async function propagateSharded(ns: string): Promise<{ code: number; stderr: string; report: PropagationReport }[]> {
  return Promise.all([0, 1, 2].map((i) => propagate(ns, ['--shard', `${i}/3`])));
}

/** The test kubeconfig with the host's context pointing at a port that refuses connections. */
async function brokenHostKubeconfig(): Promise<string> {
  const doc = parse(readFileSync(env.kubeconfig, 'utf8')) as {
    clusters: { name: string; cluster: Record<string, unknown> }[];
  };
  const host = doc.clusters.find((c) => c.name === HOST)!;
  host.cluster = { ...host.cluster, server: `https://127.0.0.1:${await refusingPort()}` };
  const path = `${env.kubeconfig}-broken-host`;
  writeFileSync(path, stringify(doc), { mode: 0o600 });
  return path;
}

describe('propagate --shard: six clusters, three shards in parallel', () => {
  before(async () => {
    env = await withClusters(MEMBERS.length);
    clients = new ClientFactory({ kubeconfig: env.kubeconfig, requestTimeoutMs: 30_000 });
    const run = (args: string[]) =>
      kubefedctl([...args, '--host-cluster-context', HOST, '--kubefed-namespace', KF_NS], {
        env: { KUBECONFIG: env.kubeconfig },
      });
    const init = await run(['init']);
    assert.equal(init.code, 0, init.stderr);
    for (const t of ['namespaces', 'configmaps', 'deployments']) {
      const r = await run(['enable', t]);
      assert.equal(r.code, 0, r.stderr);
    }
    // Members as KubeFedClusters with the test kubeconfig's admin tokens: no join needed for this test.
    const doc = parse(readFileSync(env.kubeconfig, 'utf8')) as {
      clusters: { name: string; cluster: { server: string; 'certificate-authority-data': string } }[];
      users: { name: string; user: { token: string } }[];
      contexts: { name: string; context: { cluster: string; user: string } }[];
    };
    for (const name of MEMBERS) {
      const context = doc.contexts.find((c) => c.name === name)!.context;
      const cluster = doc.clusters.find((c) => c.name === context.cluster)!.cluster;
      const token = doc.users.find((u) => u.name === context.user)!.user.token;
      await admin(HOST).create(SECRETS, {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: `${name}-token`, namespace: KF_NS },
        data: { token: Buffer.from(token).toString('base64') },
      });
      await admin(HOST).create(KUBEFED_CLUSTERS, {
        apiVersion: 'core.kubefed.io/v1beta1',
        kind: 'KubeFedCluster',
        metadata: { name, namespace: KF_NS, labels: { region: REGION[name]! } },
        spec: {
          apiEndpoint: cluster.server,
          caBundle: cluster['certificate-authority-data'],
          secretRef: { name: `${name}-token` },
        },
      });
    }
  });
  after(async () => {
    // Federated objects keep our finalizer until a run completes their deletion: drop it, then the namespaces.
    for (const ns of namespaces) {
      for (const type of [FED_NAMESPACES, FED_CONFIG_MAPS, FED_DEPLOYMENTS])
        for (const o of (
          await admin(HOST)
            .list(type, { namespace: ns })
            .catch(() => ({ items: [] }))
        ).items)
          await admin(HOST)
            .mergePatch(type, o.metadata.name ?? '', ns, { metadata: { finalizers: null } })
            .catch(() => undefined);
      for (const c of MEMBERS)
        await admin(c)
          .delete(NAMESPACES, ns)
          .catch(() => undefined);
    }
    await admin(HOST)
      .delete(NAMESPACES, KF_NS)
      .catch(() => undefined);
    clients?.closeAll();
    await env?.stop();
  });

  it('the shards own the clusters their names hash to, with no overlap and no gap', () => {
    assert.deepEqual(
      MEMBERS.map((c) => shardOfCluster(c, 3)),
      [0, 0, 1, 2, 1, 2],
    );
  });

  it('three shards in parallel write the member objects and federated status of one unsharded run', async () => {
    const whole = await federatedNamespace('shard-whole', 'v1');
    const split = await federatedNamespace('shard-split', 'v1');

    const unsharded = await propagate(whole, []);
    const shards = await propagateSharded(split);
    // The ConfigMap "taken" in cluster5 fails the unsharded run and shard 1 alike.
    assert.equal(unsharded.code, 2, unsharded.stderr);
    assert.deepEqual(
      shards.map((s) => s.code),
      [0, 2, 0],
      shards.map((s) => s.stderr).join('\n'),
    );
    assert.equal(unsharded.report.shard, undefined);
    assert.deepEqual(
      shards.map((s) => s.report.shard),
      [
        { index: 0, count: 3, clusters: ['cluster1', 'cluster2'] },
        { index: 1, count: 3, clusters: ['cluster3', 'cluster5'] },
        { index: 2, count: 3, clusters: ['cluster4', 'cluster6'] },
      ],
    );
    for (const s of shards)
      assert.deepEqual(
        s.report.clusters.map((c) => c.name),
        s.report.shard?.clusters,
        'a shard reports (and touches) only its own clusters',
      );
    const sum = (key: string) => shards.reduce((n, s) => n + (s.report.summary[key] ?? 0), 0);
    for (const key of Object.keys(unsharded.report.summary))
      assert.equal(sum(key), unsharded.report.summary[key], `summary ${key}`);

    const expectedMembers = await memberState(whole);
    assert.deepEqual(await memberState(split), expectedMembers);
    const expectedStatus = await federatedStatus(whole);
    assert.deepEqual(await federatedStatus(split), expectedStatus);
    // The status really is the whole fleet's: six entries, cluster5's AlreadyExists, condition False.
    const taken = expectedStatus['FederatedConfigMap/taken'] as {
      clusters: { name: string; status?: string }[];
      conditions: { status: string; reason?: string }[];
    };
    assert.deepEqual(
      taken.clusters.map((c) => `${c.name}${c.status ? `:${c.status}` : ''}`),
      ['cluster1', 'cluster2', 'cluster3', 'cluster4', 'cluster5:AlreadyExists', 'cluster6'],
    );
    assert.deepEqual(taken.conditions, [{ type: 'Propagation', status: 'False', reason: 'CheckClusters' }]);

    // Run again: nothing changed, so no shard writes a member object or a federated status.
    const versions = async () =>
      (await Promise.all([FED_NAMESPACES, FED_CONFIG_MAPS].map((t) => admin(HOST).list(t, { namespace: split }))))
        .flatMap((l) => l.items)
        .map((o) => `${o.metadata.name ?? ''}@${o.metadata.resourceVersion ?? ''}`);
    const before = await versions();
    for (const s of await propagateSharded(split))
      for (const [k, n] of Object.entries(s.report.summary))
        if (k !== 'unchanged' && k !== 'conflict') assert.equal(n, 0, `${k} on the second run`);
    assert.deepEqual(await versions(), before);
  });

  it('with a ReplicaSchedulingPreference, every shard places the replicas one unsharded run places', async () => {
    const scheduled = async (prefix: string) => {
      const ns = uniqueName(prefix);
      namespaces.push(ns);
      await admin(HOST).create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
      await admin(HOST).create(FED_NAMESPACES, {
        apiVersion: TYPES_API,
        kind: 'FederatedNamespace',
        metadata: { name: ns, namespace: ns },
        spec: { placement: { clusterSelector: {} } },
      });
      await admin(HOST).create(FED_DEPLOYMENTS, {
        apiVersion: TYPES_API,
        kind: 'FederatedDeployment',
        metadata: { name: 'web', namespace: ns },
        spec: { template: deploymentTemplate('web'), placement: { clusterSelector: {} } },
      });
      // Weighted across shards: cluster1 (shard 0) 3, cluster3 (shard 1) 2, cluster6 (shard 2) 1.
      await admin(HOST).create(REPLICA_SCHEDULING_PREFERENCES, {
        apiVersion: 'scheduling.kubefed.io/v1alpha1',
        kind: 'ReplicaSchedulingPreference',
        metadata: { name: 'web', namespace: ns },
        spec: {
          targetKind: 'FederatedDeployment',
          totalReplicas: 12,
          clusters: { cluster1: { weight: 3 }, cluster3: { weight: 2 }, cluster6: { weight: 1 } },
        },
      });
      return ns;
    };
    const replicas = async (ns: string) =>
      Object.fromEntries(
        await Promise.all(
          MEMBERS.map(async (c) => [
            c,
            (await admin(c).get<KubeObject & { spec: { replicas?: number } }>(DEPLOYMENTS, 'web', ns))?.spec.replicas,
          ]),
        ),
      );
    const whole = await scheduled('rsp-whole');
    const split = await scheduled('rsp-split');
    const unsharded = await propagate(whole, []);
    assert.equal(unsharded.code, 0, unsharded.stderr);
    const shards = await propagateSharded(split);
    assert.deepEqual(
      shards.map((s) => s.code),
      [0, 0, 0],
      shards.map((s) => s.stderr).join('\n'),
    );
    const expected = await replicas(whole);
    assert.deepEqual(expected, {
      cluster1: 6,
      cluster2: 0,
      cluster3: 4,
      cluster4: 0,
      cluster5: 0,
      cluster6: 2,
    });
    assert.deepEqual(await replicas(split), expected);
    // The schedule recorded in the host (shard 0 alone writes it) is the unsharded run's.
    const overrides = async (ns: string) =>
      (await admin(HOST).get<FederatedObject>(FED_DEPLOYMENTS, 'web', ns))?.spec.overrides ?? [];
    assert.deepEqual(await overrides(split), await overrides(whole));
    // A second sharded run changes nothing.
    for (const s of await propagateSharded(split))
      for (const [k, n] of Object.entries(s.report.summary))
        if (k !== 'unchanged') assert.equal(n, 0, `${k} on the second run`);
    assert.deepEqual(await replicas(split), expected);
  });

  it("a shard that fails leaves the other shards' clusters and status entries correct", async () => {
    const whole = await federatedNamespace('shard-whole', 'v1');
    const split = await federatedNamespace('shard-split', 'v1');
    assert.equal((await propagate(whole, [])).code, 2);
    await propagateSharded(split);

    await setValue(whole, 'v2');
    await setValue(split, 'v2');
    assert.equal((await propagate(whole, [])).code, 2);
    // Shard 1 cannot reach the host at all: it fails before writing anything.
    const broken = await brokenHostKubeconfig();
    const [first, failed, last] = await Promise.all([
      propagate(split, ['--shard', '0/3']),
      kubefedctl(
        ['propagate', '--host-cluster-context', HOST, '--kubefed-namespace', KF_NS, '-n', split, '--shard', '1/3'],
        {
          env: { KUBECONFIG: broken },
        },
      ),
      propagate(split, ['--shard', '2/3']),
    ]);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(last.code, 0, last.stderr);
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /cannot reach/);

    const expected = await memberState(whole);
    const got = await memberState(split);
    for (const c of ['cluster1', 'cluster2', 'cluster4', 'cluster6'])
      assert.deepEqual(got[c], expected[c], `${c} is as the unsharded run left it`);
    const value = (c: string) =>
      (got[c] as { configMaps: { name: string; data?: Record<string, string> }[] }).configMaps.find(
        (m) => m.name === 'everywhere',
      )?.data?.['value'];
    assert.equal(value('cluster3'), 'v1', "the failed shard's clusters keep what they had");
    assert.equal(value('cluster5'), 'v1');

    // The other shards' entries are this run's; the failed shard's are the last ones it wrote.
    const status = await federatedStatus(split);
    const expectedStatus = await federatedStatus(whole);
    for (const [key, s] of Object.entries(status)) {
      const entries = (s as { clusters?: { name: string }[] }).clusters ?? [];
      const want = (expectedStatus[key] as { clusters?: { name: string }[] }).clusters ?? [];
      assert.deepEqual(
        entries.map((e) => e.name),
        want.map((e) => e.name),
        `${key}: every cluster keeps its entry`,
      );
      assert.deepEqual(entries, want, key);
    }

    // Shard 1 runs again, alone: now everything is as one unsharded run.
    const retry = await propagate(split, ['--shard', '1/3']);
    assert.equal(retry.code, 2, retry.stderr);
    assert.deepEqual(await memberState(split), await memberState(whole));
    assert.deepEqual(await federatedStatus(split), await federatedStatus(whole));
  });

  it('diff --shard compares only its own clusters', async () => {
    const ns = await federatedNamespace('shard-diff', 'v1');
    const r = await kubefedctl(
      ['diff', '--host-cluster-context', HOST, '--kubefed-namespace', KF_NS, '-n', ns, '--shard', '2/3'],
      { env: { KUBECONFIG: env.kubeconfig } },
    );
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^shard 2\/3: 2 cluster\(s\): cluster4, cluster6$/m);
    const clustersShown = new Set([...r.stdout.matchAll(/^\+\+\+ (cluster\d+)\//gm)].map((m) => m[1]));
    assert.deepEqual([...clustersShown].sort(), ['cluster4', 'cluster6']);
  });

  it('a malformed shard is a usage error naming where it came from', async () => {
    const flag = await kubefedctl(['propagate', '--shard', '3/3'], { env: { KUBECONFIG: env.kubeconfig } });
    assert.equal(flag.code, 1);
    assert.match(flag.stderr, /invalid --shard "3\/3": INDEX must be from 0 to 2/);
    const fromEnv = await kubefedctl(['propagate'], {
      env: { KUBECONFIG: env.kubeconfig, JOB_COMPLETION_INDEX: '4', KUBEFEDCTL_SHARD_COUNT: '3' },
    });
    assert.equal(fromEnv.code, 1);
    assert.match(fromEnv.stderr, /JOB_COMPLETION_INDEX="4", KUBEFEDCTL_SHARD_COUNT="3"/);
  });
});
