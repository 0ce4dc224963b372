// The rest of KubeFed's controllers in one pass, against real clusters: replica scheduling, cluster
// health, multicluster DNS, and the status command. cluster1 is the host and also a member.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { HasMetadata, KubeObject, ResourceType } from '../../src/api/objects.js';
import { DEPLOYMENTS, KUBEFED_CLUSTERS, NAMESPACES } from '../../src/api/resources.js';
import { plan } from '../../src/scheduling/planner.js';
import {
  admin,
  closeClients,
  controlPlane,
  eventually,
  kubefedctl,
  propagateJson,
  testClusters,
  uniqueName,
  deploymentTemplate,
} from './harness.js';

const HOST = 'cluster1';
const NS = 'kube-federation-system';
const MEMBERS = ['cluster1', 'cluster2', 'cluster3'];
const TOPOLOGY: Record<string, string[]> = {
  cluster1: ['--region', 'eu', '--zone', 'eu-a'],
  cluster2: ['--region', 'eu', '--zone', 'eu-b'],
  cluster3: ['--region', 'us', '--zone', 'us-a'],
};
const PODS: ResourceType = { group: '', version: 'v1', plural: 'pods', kind: 'Pod', namespaced: true };
const SERVICES: ResourceType = { group: '', version: 'v1', plural: 'services', kind: 'Service', namespaced: true };
const RSPS: ResourceType = {
  group: 'scheduling.kubefed.io',
  version: 'v1alpha1',
  plural: 'replicaschedulingpreferences',
  kind: 'ReplicaSchedulingPreference',
  namespaced: true,
};
const dns = (plural: string, kind: string): ResourceType => ({
  group: 'multiclusterdns.kubefed.io',
  version: 'v1alpha1',
  plural,
  kind,
  namespaced: true,
});
const fed = (kind: string, plural: string): ResourceType => ({
  group: 'types.kubefed.io',
  version: 'v1beta1',
  kind: `Federated${kind}`,
  plural: `federated${plural}`,
  namespaced: true,
});

async function namespaceEverywhere(ns: string): Promise<void> {
  await admin(HOST).create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  await admin(HOST).create(fed('Namespace', 'namespaces'), {
    apiVersion: 'types.kubefed.io/v1beta1',
    kind: 'FederatedNamespace',
    metadata: { name: ns, namespace: ns },
    spec: { placement: { clusterSelector: {} } },
  });
}

async function replicasIn(ns: string, name: string): Promise<Record<string, number | undefined>> {
  const out: Record<string, number | undefined> = {};
  for (const c of MEMBERS)
    out[c] = (await admin(c).get<KubeObject & { spec: { replicas?: number } }>(DEPLOYMENTS, name, ns))?.spec.replicas;
  return out;
}

const run = (ns: string, extra: string[] = []) => propagateJson(['--host-cluster-context', HOST, '-n', ns, ...extra]);

describe('scheduling, health, DNS and status in one pass', () => {
  before(async () => {
    assert.equal((await kubefedctl(['init', '--host-cluster-context', HOST])).code, 0);
    for (const c of MEMBERS) {
      const r = await kubefedctl(['join', c, '--host-cluster-context', HOST, ...TOPOLOGY[c]!]);
      assert.equal(r.code, 0, r.stderr);
    }
    for (const t of ['namespaces', 'deployments.apps', 'services', 'configmaps'])
      assert.equal((await kubefedctl(['enable', t, '--host-cluster-context', HOST])).code, 0);
  });
  after(async () => {
    for (const c of MEMBERS) await kubefedctl(['unjoin', c, '--host-cluster-context', HOST]);
    closeClients();
  });

  it('a ReplicaSchedulingPreference gives the planner numbers in the members, and follows weight changes', async () => {
    const ns = uniqueName('rsp');
    await namespaceEverywhere(ns);
    await admin(HOST).create(fed('Deployment', 'deployments'), {
      apiVersion: 'types.kubefed.io/v1beta1',
      kind: 'FederatedDeployment',
      metadata: { name: 'web', namespace: ns },
      spec: { template: deploymentTemplate('web'), placement: { clusterSelector: {} } },
    });
    await admin(HOST).create(RSPS, {
      apiVersion: 'scheduling.kubefed.io/v1alpha1',
      kind: 'ReplicaSchedulingPreference',
      metadata: { name: 'web', namespace: ns },
      spec: {
        targetKind: 'FederatedDeployment',
        totalReplicas: 9,
        clusters: { cluster1: { weight: 2 }, cluster2: { weight: 1 } },
      },
    });
    let r = await run(ns);
    assert.equal(r.code, 0, JSON.stringify(r.report));
    // Two weighted members: 2:1 of 9. cluster3 is a candidate without a preference: placed with 0, as in KubeFed.
    assert.deepEqual(await replicasIn(ns, 'web'), { cluster1: 6, cluster2: 3, cluster3: 0 });

    await admin(HOST).mergePatch(RSPS, 'web', ns, {
      spec: { totalReplicas: 10, clusters: { '*': { weight: 1 }, cluster1: null, cluster2: null } },
    });
    r = await run(ns);
    assert.equal(r.code, 0);
    const expected = plan({
      preferences: { '*': { weight: 1 } },
      totalReplicas: 10,
      rebalance: false,
      availableClusters: MEMBERS,
      currentReplicas: { cluster1: 0, cluster2: 0, cluster3: 0 },
      key: `${ns}/web`,
    }).plan;
    assert.deepEqual(await replicasIn(ns, 'web'), expected, 'three equal weights over 10 replicas, in FNV-1 order');
    assert.deepEqual(Object.values(expected).sort(), [2, 4, 4]);
    const stored = await admin(HOST).get<KubeObject & { spec: { overrides?: { clusterName: string }[] } }>(
      fed('Deployment', 'deployments'),
      'web',
      ns,
    );
    assert.equal(stored?.spec.overrides?.length, 3, 'the result is written into the federated object, as KubeFed does');
    const again = await run(ns);
    assert.equal(again.report.summary['updated'] ?? 0, 0, 'a second pass changes nothing');
  });

  it('rebalance moves replicas away from a cluster whose pods cannot be scheduled', async () => {
    const ns = uniqueName('rebal');
    await namespaceEverywhere(ns);
    await admin(HOST).create(fed('Deployment', 'deployments'), {
      apiVersion: 'types.kubefed.io/v1beta1',
      kind: 'FederatedDeployment',
      metadata: { name: 'api', namespace: ns },
      spec: { template: deploymentTemplate('api'), placement: { clusterSelector: {} } },
    });
    await admin(HOST).create(RSPS, {
      apiVersion: 'scheduling.kubefed.io/v1alpha1',
      kind: 'ReplicaSchedulingPreference',
      metadata: { name: 'api', namespace: ns },
      spec: {
        targetKind: 'FederatedDeployment',
        totalReplicas: 6,
        rebalance: true,
        clusters: { cluster2: { weight: 1 }, cluster3: { weight: 1 } },
      },
    });
    await run(ns);
    assert.deepEqual(await replicasIn(ns, 'api'), { cluster1: 0, cluster2: 3, cluster3: 3 });
    // There is no scheduler in the test clusters: mark cluster3's pods as unschedulable for 10 minutes.
    let pods: KubeObject[] = [];
    await eventually(
      '3 pods in cluster3',
      async () =>
        (pods = (await admin('cluster3').list<KubeObject>(PODS, { namespace: ns, labelSelector: 'app=api' })).items)
          .length === 3,
    );
    const longAgo = new Date(Date.now() - 600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    for (const p of pods.slice(0, 2)) {
      await admin('cluster3').mergePatch(
        PODS,
        p.metadata.name ?? '',
        ns,
        {
          status: {
            phase: 'Pending',
            conditions: [
              {
                type: 'PodScheduled',
                status: 'False',
                reason: 'Unschedulable',
                lastTransitionTime: longAgo,
                message: '0/0 nodes are available',
              },
            ],
          },
        },
        { subresource: 'status' },
      );
    }
    const r = await run(ns);
    assert.equal(r.code, 0, JSON.stringify(r.report.scheduling));
    // cluster3 can run 1 (3 - 2 unschedulable); the other 2 move to cluster2. As in KubeFed, the
    // overflow stays on cluster3 too (1 + 2), so its pending pods start if room appears there.
    assert.deepEqual(r.report.scheduling, [
      { rsp: `${ns}/api`, outcome: 'scheduled', replicas: { cluster1: 0, cluster2: 5, cluster3: 3 } },
    ]);
    assert.deepEqual(await replicasIn(ns, 'api'), { cluster1: 0, cluster2: 5, cluster3: 3 });
  });

  it('a stopped member turns Offline and gets no writes; it turns Ready again when restarted', async () => {
    const ns = uniqueName('health');
    await namespaceEverywhere(ns);
    // KubeFed reports a failure only once the Ready state has been reported failureThreshold (3) times.
    for (let i = 0; i < 3; i++) assert.equal((await run(ns)).code, 0);
    const conditions = async (c: string) =>
      (
        await admin(HOST).get<
          HasMetadata & {
            status?: {
              conditions?: { type: string; status: string; reason?: string }[];
              kubernetesVersion?: string;
              region?: string;
              zones?: string[];
            };
          }
        >(KUBEFED_CLUSTERS, c, NS)
      )?.status;
    const healthy = await conditions('cluster3');
    assert.deepEqual(
      healthy?.conditions?.map((c) => [c.type, c.status, c.reason]),
      [['Ready', 'True', 'ClusterReady']],
    );
    assert.equal(healthy?.kubernetesVersion, 'v1.34.4');
    assert.equal(healthy?.region, 'us', 'region from join --region (the test clusters have no nodes)');
    assert.deepEqual(healthy?.zones, ['us-a']);

    const cp = await controlPlane();
    await cp.stopCluster(testClusters().dir, 'cluster3');
    try {
      await admin(HOST).create(fed('ConfigMap', 'configmaps'), {
        apiVersion: 'types.kubefed.io/v1beta1',
        kind: 'FederatedConfigMap',
        metadata: { name: 'late', namespace: ns },
        spec: { template: { data: { a: 'b' } }, placement: { clusterSelector: {} } },
      });
      const r = await run(ns);
      assert.equal(r.code, 2);
      const c3 = r.report.clusters.find((c) => c.name === 'cluster3');
      assert.equal(c3?.ready, false);
      // The probe tries a refused connection twice (one retry), then nothing else is sent.
      assert.deepEqual(c3?.requests, { GET: 2 }, 'nothing but the health probe was sent to the stopped member');
      const offline = await conditions('cluster3');
      assert.deepEqual(
        offline?.conditions?.map((c) => [c.type, c.status, c.reason]),
        [['Offline', 'True', 'ClusterNotReachable']],
      );
      const status = await kubefedctl(['status', 'clusters', '--host-cluster-context', HOST]);
      assert.match(status.stdout, /^cluster3\s+Offline\s/m);
      const table = await kubefedctl(['status', 'configmaps', '-n', ns, '--host-cluster-context', HOST]);
      assert.match(
        table.stdout,
        new RegExp(`${ns}\\s+FederatedConfigMap\\s+late\\s+CheckClusters\\s+ok\\s+ok\\s+ClusterNotReady`),
      );
    } finally {
      await cp.startCluster(testClusters().dir, 'cluster3');
      closeClients();
    }
    const r = await run(ns);
    assert.equal(r.code, 0, JSON.stringify(r.report.resources));
    assert.deepEqual(
      (await conditions('cluster3'))?.conditions?.map((c) => [c.type, c.status]),
      [['Ready', 'True']],
    );
    assert.ok(
      await admin('cluster3').get(
        { group: '', version: 'v1', plural: 'configmaps', kind: 'ConfigMap', namespaced: true },
        'late',
        ns,
      ),
      'propagated once it is back',
    );
  });

  it('Services with load balancer addresses in two members produce the DNSEndpoint; removing one updates it', async () => {
    const ns = uniqueName('dns');
    await namespaceEverywhere(ns);
    await admin(HOST).apply(dns('domains', 'Domain'), {
      apiVersion: 'multiclusterdns.kubefed.io/v1alpha1',
      kind: 'Domain',
      metadata: { name: 'test-domain', namespace: NS },
      domain: 'example.test',
    });
    await admin(HOST).create(fed('Service', 'services'), {
      apiVersion: 'types.kubefed.io/v1beta1',
      kind: 'FederatedService',
      metadata: { name: 'shop', namespace: ns },
      spec: {
        template: { spec: { type: 'LoadBalancer', selector: { app: 'shop' }, ports: [{ name: 'http', port: 80 }] } },
        placement: { clusterSelector: {} },
      },
    });
    await admin(HOST).create(dns('servicednsrecords', 'ServiceDNSRecord'), {
      apiVersion: 'multiclusterdns.kubefed.io/v1alpha1',
      kind: 'ServiceDNSRecord',
      metadata: { name: 'shop', namespace: ns },
      spec: { domainRef: 'test-domain', recordTTL: 300, allowServiceWithoutEndpoints: true },
    });
    assert.equal((await run(ns)).code, 0);
    const setAddress = async (cluster: string, ip: string | undefined) =>
      admin(cluster).mergePatch(
        SERVICES,
        'shop',
        ns,
        { status: { loadBalancer: ip ? { ingress: [{ ip }] } : null } },
        { subresource: 'status' },
      );
    await setAddress('cluster1', '192.0.2.1');
    await setAddress('cluster3', '198.51.100.3');
    const r = await run(ns);
    assert.equal(r.code, 0, JSON.stringify(r.report.dns));
    type Endpoint = { dnsName: string; recordType: string; targets: string[]; recordTTL: number };
    const endpoints = async () =>
      (
        (
          await admin(HOST).get<KubeObject & { spec: { endpoints: Endpoint[] } }>(
            dns('dnsendpoints', 'DNSEndpoint'),
            'service-shop',
            ns,
          )
        )?.spec.endpoints ?? []
      )
        .map((e) => `${e.dnsName} ${e.recordType} ${[...e.targets].sort().join(',')} ${e.recordTTL}`)
        .sort();
    const prefix = `shop.${ns}.test-domain.svc`;
    assert.deepEqual(await endpoints(), [
      `${prefix}.eu-a.eu.example.test A 192.0.2.1 300`,
      `${prefix}.eu-b.eu.example.test CNAME ${prefix}.eu.example.test 300`,
      `${prefix}.eu.example.test A 192.0.2.1 300`,
      `${prefix}.example.test A 192.0.2.1,198.51.100.3 300`,
      `${prefix}.us-a.us.example.test A 198.51.100.3 300`,
      `${prefix}.us.example.test A 198.51.100.3 300`,
    ]);
    const record = await admin(HOST).get<KubeObject & { status?: { domain?: string; dns?: { cluster: string }[] } }>(
      dns('servicednsrecords', 'ServiceDNSRecord'),
      'shop',
      ns,
    );
    assert.equal(record?.status?.domain, 'example.test');
    assert.deepEqual(
      record?.status?.dns?.map((d) => d.cluster),
      MEMBERS,
    );

    await setAddress('cluster3', undefined);
    assert.equal((await run(ns)).code, 0);
    assert.deepEqual(await endpoints(), [
      `${prefix}.eu-a.eu.example.test A 192.0.2.1 300`,
      `${prefix}.eu-b.eu.example.test CNAME ${prefix}.eu.example.test 300`,
      `${prefix}.eu.example.test A 192.0.2.1 300`,
      `${prefix}.example.test A 192.0.2.1 300`,
      `${prefix}.us-a.us.example.test CNAME ${prefix}.us.example.test 300`,
      `${prefix}.us.example.test CNAME ${prefix}.example.test 300`,
    ]);
    const quiet = await run(ns);
    assert.deepEqual(
      quiet.report.dns?.map((d) => [d.outcome, d.endpoint]),
      [['unchanged', 'unchanged']],
      'nothing rewritten when nothing changed',
    );
  });

  it('status collection copies each member object status into the federated status', async () => {
    const ns = uniqueName('collect');
    await namespaceEverywhere(ns);
    await admin(HOST).create(fed('Deployment', 'deployments'), {
      apiVersion: 'types.kubefed.io/v1beta1',
      kind: 'FederatedDeployment',
      metadata: { name: 'web', namespace: ns },
      spec: {
        template: deploymentTemplate('web'),
        placement: { clusters: [{ name: 'cluster1' }, { name: 'cluster2' }] },
      },
    });
    assert.equal((await run(ns)).code, 0);
    // The deployment controller fills in status after the create; the next pass collects it.
    await eventually('member Deployments to have a status', async () => {
      for (const c of ['cluster1', 'cluster2'])
        if (
          !(await admin(c).get<KubeObject & { status?: { replicas?: number } }>(DEPLOYMENTS, 'web', ns))?.status
            ?.replicas
        )
          return false;
      return true;
    });
    assert.equal((await run(ns, ['--collect-status'])).code, 0);
    const stored = await admin(HOST).get<
      KubeObject & {
        status?: { clusters?: { name: string; remoteStatus?: { replicas?: number; observedGeneration?: number } }[] };
      }
    >(fed('Deployment', 'deployments'), 'web', ns);
    assert.deepEqual(
      stored?.status?.clusters?.map((c) => [c.name, c.remoteStatus?.replicas]),
      [
        ['cluster1', 1],
        ['cluster2', 1],
      ],
    );
  });

  it('an invalid federated object gets a failed status in host mode, and the others go on', async () => {
    const ns = uniqueName('invalid');
    await namespaceEverywhere(ns);
    const cm = fed('ConfigMap', 'configmaps');
    await admin(HOST).create(cm, {
      apiVersion: 'types.kubefed.io/v1beta1',
      kind: 'FederatedConfigMap',
      metadata: { name: 'bad', namespace: ns },
      spec: {
        template: { data: {} },
        placement: { clusterSelector: {} },
        overrides: [{ clusterName: 'cluster1', clusterOverrides: [{ path: '/metadata/name', value: 'x' }] }],
      },
    });
    await admin(HOST).create(cm, {
      apiVersion: 'types.kubefed.io/v1beta1',
      kind: 'FederatedConfigMap',
      metadata: { name: 'good', namespace: ns },
      spec: { template: { data: {} }, placement: { clusterSelector: {} } },
    });
    const r = await run(ns);
    assert.equal(r.code, 2);
    assert.match(
      r.report.resources.find((x) => x.name === 'bad')?.message ?? '',
      /\/metadata\/name cannot be overridden/,
    );
    const bad = await admin(HOST).get<
      KubeObject & { status?: { conditions?: { type: string; status: string; reason?: string }[] } }
    >(cm, 'bad', ns);
    assert.deepEqual(
      bad?.status?.conditions?.map((c) => [c.type, c.status, c.reason]),
      [['Propagation', 'False', 'ComputeResourceFailed']],
    );
    for (const c of MEMBERS)
      assert.ok(
        await admin(c).get(
          { group: '', version: 'v1', plural: 'configmaps', kind: 'ConfigMap', namespaced: true },
          'good',
          ns,
        ),
        `good propagated to ${c}`,
      );
  });

  it('status shows the fleet: propagation state, replicas, a failed cluster and a conflict', async () => {
    const ns = uniqueName('table');
    await namespaceEverywhere(ns);
    await admin('cluster2')
      .create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } })
      .catch(() => undefined);
    await admin('cluster2').create(
      { group: '', version: 'v1', plural: 'configmaps', kind: 'ConfigMap', namespaced: true },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'taken', namespace: ns }, data: {} },
    );
    await admin(HOST).create(fed('ConfigMap', 'configmaps'), {
      apiVersion: 'types.kubefed.io/v1beta1',
      kind: 'FederatedConfigMap',
      metadata: { name: 'taken', namespace: ns },
      spec: { template: { data: { a: 'b' } }, placement: { clusterSelector: {} } },
    });
    await admin(HOST).create(fed('Deployment', 'deployments'), {
      apiVersion: 'types.kubefed.io/v1beta1',
      kind: 'FederatedDeployment',
      metadata: { name: 'web', namespace: ns },
      spec: {
        template: deploymentTemplate('web'),
        placement: { clusters: [{ name: 'cluster1' }, { name: 'cluster2' }] },
      },
    });
    assert.equal((await run(ns)).code, 2, 'the conflict makes the run fail');
    const table = await kubefedctl(['status', '-n', ns, '--host-cluster-context', HOST]);
    assert.equal(table.code, 0, table.stderr);
    const lines = table.stdout.trim().split('\n');
    assert.match(lines[0] ?? '', /^NAMESPACE\s+KIND\s+NAME\s+PROPAGATION\s+CLUSTER1\s+CLUSTER2\s+CLUSTER3$/);
    assert.ok(
      lines.some((l) =>
        new RegExp(`^${ns}\\s+FederatedConfigMap\\s+taken\\s+CheckClusters\\s+ok\\s+AlreadyExists\\s+ok$`).test(l),
      ),
      table.stdout,
    );
    assert.ok(
      lines.some((l) => new RegExp(`^${ns}\\s+FederatedDeployment\\s+web\\s+True\\s+ok 0/1\\s+ok 0/1\\s+-$`).test(l)),
      table.stdout,
    );
    const json = JSON.parse(
      (await kubefedctl(['status', '-n', ns, '-o', 'json', '--host-cluster-context', HOST])).stdout,
    ) as { resources: { name: string; clusters: Record<string, { state: string }> }[] };
    assert.equal(json.resources.find((x) => x.name === 'taken')?.clusters['cluster2']?.state, 'AlreadyExists');
  });
});
