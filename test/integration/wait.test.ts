// propagate --wait against the real test clusters, in file mode. The clusters run the deployment
// and replicaset controllers but no scheduler, kubelet, job, statefulset or service controller, so
// readiness is driven the way those components would: by writing the status subresource (pods for
// a Deployment, the object itself for the rest) while propagate waits.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { stringify } from 'yaml';
import type { KubeObject, ResourceType } from '../../src/api/objects.js';
import { DEPLOYMENTS, SERVICES } from '../../src/api/resources.js';
import { clusterEndpoint, kubeconfigWithServers, startFaultProxy, type FaultProxy } from './fault-proxy.js';
import {
  admin,
  closeClients,
  deleteNamespaces,
  eventually,
  kubefedctl,
  propagateJson,
  testClusters,
  uniqueName,
  writeClustersFile,
} from './harness.js';

const MEMBERS = ['cluster1', 'cluster2'];
const PODS: ResourceType = { group: '', version: 'v1', plural: 'pods', kind: 'Pod', namespaced: true };
const STATEFUL_SETS: ResourceType = { ...DEPLOYMENTS, plural: 'statefulsets', kind: 'StatefulSet' };
const JOBS: ResourceType = { group: 'batch', version: 'v1', plural: 'jobs', kind: 'Job', namespaced: true };
const TEST_TIMEOUT = { timeout: 180_000 };

const clustersFile = writeClustersFile(MEMBERS);
const namespaces: string[] = [];
const proxies: FaultProxy[] = [];
after(async () => {
  for (const p of proxies) await p.close();
  await deleteNamespaces(MEMBERS, namespaces);
  closeClients();
});

function newNamespace(prefix: string): string {
  const ns = uniqueName(prefix);
  namespaces.push(ns);
  return ns;
}

const everywhere = { placement: { clusterSelector: {} } };
const podTemplate = (app: string) => ({
  metadata: { labels: { app } },
  spec: { containers: [{ name: app, image: 'registry.k8s.io/pause:3.10' }] },
});

function federated(kind: string, ns: string, name: string, template: object): object {
  return {
    apiVersion: 'types.kubefed.io/v1beta1',
    kind,
    metadata: { name, namespace: ns },
    spec: { ...everywhere, template },
  };
}

function federatedNamespace(ns: string): object {
  return {
    apiVersion: 'types.kubefed.io/v1beta1',
    kind: 'FederatedNamespace',
    metadata: { name: ns, namespace: ns },
    spec: everywhere,
  };
}

function deployment(ns: string, name: string, replicas = 1): object {
  return federated('FederatedDeployment', ns, name, {
    spec: { replicas, selector: { matchLabels: { app: name } }, template: podTemplate(name) },
  });
}

function writeInput(docs: object[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'kf-wait-')), 'objects.yaml');
  writeFileSync(path, docs.map((d) => stringify(d)).join('---\n'));
  return path;
}

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

/** What a kubelet would report: each pod of the app Running and Ready (the replicaset controller counts them). */
async function podsBecomeReady(cluster: string, ns: string, app: string, replicas: number): Promise<void> {
  const client = admin(cluster);
  let pods: KubeObject[] = [];
  await eventually(
    `${replicas} pod(s) of ${app} in ${cluster}`,
    async () => {
      pods = (await client.list(PODS, { namespace: ns, labelSelector: `app=${app}` })).items;
      return pods.length >= replicas;
    },
    60_000,
  );
  for (const pod of pods)
    await client.mergePatch(
      PODS,
      pod.metadata.name ?? '',
      ns,
      { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now() }] } },
      { subresource: 'status' },
    );
}

/** Writes `status` into an object once it exists, as its controller would. */
async function setStatus(
  { cluster, type, ns, name }: { cluster: string; type: ResourceType; ns: string; name: string },
  status: object,
): Promise<void> {
  const client = admin(cluster);
  await eventually(
    `${type.plural} ${ns}/${name} in ${cluster}`,
    async () => !!(await client.get(type, name, ns)),
    60_000,
  );
  await client.mergePatch(type, name, ns, { status }, { subresource: 'status' });
}

describe('propagate --wait', () => {
  it('exits 0 once every object is ready in every cluster, each by its own rule', TEST_TIMEOUT, async () => {
    const ns = newNamespace('wait-ready');
    const file = writeInput([
      federatedNamespace(ns),
      federated('FederatedConfigMap', ns, 'settings', { data: { a: 'b' } }),
      deployment(ns, 'web', 2),
      federated('FederatedStatefulSet', ns, 'db', {
        spec: { replicas: 1, serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: podTemplate('db') },
      }),
      federated('FederatedJob', ns, 'migrate', {
        spec: {
          template: { ...podTemplate('migrate'), spec: { ...podTemplate('migrate').spec, restartPolicy: 'Never' } },
        },
      }),
      federated('FederatedService', ns, 'front', {
        spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 80 }] },
      }),
    ]);
    const started = Date.now();
    const run = propagateJson(['-f', file, '--clusters', clustersFile, '--wait=120s', '-v=2']);
    const drive = MEMBERS.map(async (c) => {
      await podsBecomeReady(c, ns, 'web', 2);
      await setStatus(
        { cluster: c, type: STATEFUL_SETS, ns, name: 'db' },
        {
          observedGeneration: 1,
          replicas: 1,
          readyReplicas: 1,
          updatedReplicas: 1,
          availableReplicas: 1,
          currentRevision: 'db-1',
          updateRevision: 'db-1',
        },
      );
      const t = now();
      await setStatus(
        { cluster: c, type: JOBS, ns, name: 'migrate' },
        {
          startTime: t,
          completionTime: t,
          succeeded: 1,
          conditions: [
            { type: 'SuccessCriteriaMet', status: 'True', lastTransitionTime: t, lastProbeTime: t },
            { type: 'Complete', status: 'True', lastTransitionTime: t, lastProbeTime: t },
          ],
        },
      );
      await setStatus(
        { cluster: c, type: SERVICES, ns, name: 'front' },
        { loadBalancer: { ingress: [{ ip: '192.0.2.10' }] } },
      );
    });
    await Promise.all(drive);
    const { code, report, stderr } = await run;
    assert.equal(code, 0, stderr);
    const wait = (report as { wait?: { objects: number; ready: number; notReady: unknown[]; timeoutMs: number } }).wait;
    assert.deepEqual(wait && { objects: wait.objects, ready: wait.ready, notReady: wait.notReady }, {
      objects: 12, // 6 objects (the namespace too) × 2 clusters
      ready: 12,
      notReady: [],
    });
    assert.equal(wait?.timeoutMs, 120_000);
    assert.ok(Date.now() - started < 100_000, 'it stopped once everything was ready, not at the deadline');
    assert.match(stderr, /waiting up to 2m for 12 object\(s\) in 2 cluster\(s\) to be ready/);
    assert.match(stderr, /cluster1: 6 of 6 object\(s\) ready/);
    for (const c of report.clusters) assert.ok((c.requests['WATCH'] ?? 0) >= 1, `${c.name} was watched`);
  });

  it(
    'exits 3 at the deadline and names what is not ready, where and why, with its conditions',
    TEST_TIMEOUT,
    async () => {
      const ns = newNamespace('wait-late');
      const file = writeInput([federatedNamespace(ns), deployment(ns, 'web', 1)]);
      const started = Date.now();
      const { code, report, stderr } = await propagateJson(['-f', file, '--clusters', clustersFile, '--wait=5s']);
      const elapsed = Date.now() - started;
      assert.equal(code, 3, stderr);
      assert.ok(elapsed >= 5_000 && elapsed < 30_000, `${elapsed} ms`);
      const wait = (
        report as {
          wait?: {
            ready: number;
            notReady: {
              cluster: string;
              name: string;
              kind: string;
              reason: string;
              conditions: { type: string; status: string }[];
            }[];
          };
        }
      ).wait;
      assert.equal(wait?.ready, 2, 'the namespaces are ready');
      assert.deepEqual(
        wait?.notReady.map((o) => [o.cluster, o.kind, o.name, o.reason]),
        MEMBERS.map((c) => [c, 'Deployment', 'web', 'RolloutInProgress']),
      );
      // The deployment controller's own words.
      for (const o of wait?.notReady ?? [])
        assert.ok(
          o.conditions.some((x) => x.type === 'Available' && x.status === 'False'),
          JSON.stringify(o.conditions),
        );

      // The human report says the same; --wait=0 checks once without waiting.
      const human = await kubefedctl(['propagate', '-f', file, '--clusters', clustersFile, '--wait=0']);
      assert.equal(human.code, 3, human.stderr);
      assert.match(human.stdout, /\nchecked once: 2 of 4 member object\(s\) ready\n/);
      assert.match(
        human.stdout,
        new RegExp(
          `\\ncluster1: deployment\\.apps/${ns}/web not ready: RolloutInProgress \\(0 of 1 updated replicas available\\)\\n {4}Available=False MinimumReplicasUnavailable: `,
        ),
      );
    },
  );

  it('a cluster lost while waiting is reported as unreadable, and the run does not hang', TEST_TIMEOUT, async () => {
    const ns = newNamespace('wait-down');
    const file = writeInput([federatedNamespace(ns), deployment(ns, 'web', 1)]);
    const proxy = await startFaultProxy({ ...clusterEndpoint(testClusters().dir, 'cluster2'), seed: 1 });
    proxies.push(proxy);
    // cluster2 goes away as soon as the wait starts watching it.
    proxy.onRequest = (_method, path) => {
      if (path.includes('watch=1')) void proxy.refuseConnections();
    };
    const env = { KUBECONFIG: kubeconfigWithServers({ cluster2: proxy.url }) };
    const started = Date.now();
    const run = propagateJson(['-f', file, '--clusters', clustersFile, '--wait=90s'], { env });
    await podsBecomeReady('cluster1', ns, 'web', 1);
    const { code, report, stderr } = await run;
    const elapsed = Date.now() - started;
    assert.equal(code, 3, stderr);
    assert.ok(elapsed < 60_000, `it ended once cluster1 was ready and cluster2 was found gone (${elapsed} ms)`);
    const wait = (
      report as {
        wait?: { ready: number; notReady: { cluster: string; state: string; reason: string; message: string }[] };
      }
    ).wait;
    assert.ok(wait);
    const lost = wait.notReady.filter((o) => o.cluster === 'cluster2');
    assert.ok(lost.length > 0 && lost.every((o) => o.state === 'unknown' && o.reason === 'ClusterUnreadable'));
    assert.match(lost[0]!.message, /unreachable|ECONNREFUSED/);
    assert.deepEqual(
      wait.notReady.filter((o) => o.cluster === 'cluster1'),
      [],
      'cluster1 became ready regardless',
    );
  });
});
