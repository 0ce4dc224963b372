// One plan for the whole pass: diff shows exactly what propagate then writes, replica scheduling
// included, and finds conflicts from bulk lists instead of a request per object.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import type { KubeObject, ResourceType } from '../../src/api/objects.js';
import { CONFIG_MAPS, DEPLOYMENTS, KUBEFED_CLUSTERS, NAMESPACES } from '../../src/api/resources.js';
import {
  admin,
  closeClients,
  deleteNamespaces,
  kubefedctl,
  namespaceSettled,
  uniqueName,
  writeClustersFile,
  deploymentTemplate,
} from './harness.js';

const HOST = 'cluster1';
const MEMBERS = ['cluster1', 'cluster2', 'cluster3'];
const TYPES_API = 'types.kubefed.io/v1beta1';
const RSPS: ResourceType = {
  group: 'scheduling.kubefed.io',
  version: 'v1alpha1',
  plural: 'replicaschedulingpreferences',
  kind: 'ReplicaSchedulingPreference',
  namespaced: true,
};
const fedType = (kind: string, plural: string): ResourceType => ({
  group: 'types.kubefed.io',
  version: 'v1beta1',
  kind: `Federated${kind}`,
  plural: `federated${plural}`,
  namespaced: true,
});

const deployment = (ns: string) => ({
  apiVersion: TYPES_API,
  kind: 'FederatedDeployment',
  metadata: { name: 'web', namespace: ns },
  spec: {
    template: deploymentTemplate('web', 'registry.invalid/web:1'),
    placement: { clusters: [{ name: 'cluster2' }, { name: 'cluster3' }] },
  },
});
const rsp = (ns: string) => ({
  apiVersion: 'scheduling.kubefed.io/v1alpha1',
  kind: 'ReplicaSchedulingPreference',
  metadata: { name: 'web', namespace: ns },
  spec: {
    targetKind: 'FederatedDeployment',
    totalReplicas: 9,
    clusters: { cluster2: { weight: 2 }, cluster3: { weight: 1 } },
  },
});

/** The replicas each cluster's diff says propagate would write for deployment `web`. */
function replicasInDiff(diff: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const section of diff.split(/^--- /m).slice(1)) {
    const cluster = /^(\S+?)\/deployment\//.exec(section)?.[1];
    const replicas = /^\+\s{2}replicas: (\d+)$/m.exec(section)?.[1];
    if (cluster && replicas) out[cluster] = Number(replicas);
  }
  return out;
}

async function replicasIn(ns: string, clusters: string[]): Promise<Record<string, number | undefined>> {
  const out: Record<string, number | undefined> = {};
  for (const c of clusters)
    out[c] = ((await admin(c).get<KubeObject>(DEPLOYMENTS, 'web', ns))?.['spec'] as { replicas?: number } | undefined)
      ?.replicas;
  return out;
}

/** Request lines of `-v=6` that read one object by name (GET …/<plural>/<name>), by cluster. */
function perObjectReads(stderr: string, plural: string): string[] {
  return stderr.split('\n').filter((l) => new RegExp(`: GET \\S+/${plural}/[^/?\\s]+(\\?\\S*)? \\d{3} in`).test(l));
}

const namespaces: string[] = [];
after(async () => {
  await deleteNamespaces(MEMBERS, namespaces);
  closeClients();
});

describe('file mode: diff and propagate plan the same pass', () => {
  const ns = uniqueName('plan-file');
  namespaces.push(ns);
  const dir = mkdtempSync(join(tmpdir(), 'kf-plan-'));
  const objects = join(dir, 'objects.yaml');
  const clusters = writeClustersFile(['cluster2', 'cluster3']);
  before(() => {
    const configMaps = Array.from({ length: 20 }, (_, i) => ({
      apiVersion: TYPES_API,
      kind: 'FederatedConfigMap',
      metadata: { name: `cm-${i}`, namespace: ns },
      spec: { template: { data: { i: String(i) } }, placement: { clusterSelector: {} } },
    }));
    const docs = [
      {
        apiVersion: TYPES_API,
        kind: 'FederatedNamespace',
        metadata: { name: ns, namespace: ns },
        spec: { placement: { clusterSelector: {} } },
      },
      deployment(ns),
      rsp(ns),
      ...configMaps,
    ];
    writeFileSync(objects, docs.map((d) => stringify(d)).join('---\n'));
  });

  it('diff shows the replicas the RSP schedules, and propagate writes exactly those', async () => {
    await admin('cluster2').create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    await admin('cluster2').create(CONFIG_MAPS, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cm-7', namespace: ns },
      data: { mine: 'yes' },
    });
    const diff = await kubefedctl(['diff', '-f', objects, '--clusters', clusters, '-v=6']);
    // The conflict is an object diff cannot compare: exit 2 (kubectl diff: an error), after the changes it could.
    assert.equal(diff.code, 2, diff.stderr);
    assert.deepEqual(replicasInDiff(diff.stdout), { cluster2: 6, cluster3: 3 }, diff.stdout);
    // The unlabelled cm-7 in cluster2 is a conflict, found from a bulk list, without a GET of its own.
    assert.match(diff.stderr, new RegExp(`cluster2: configmap/${ns}/cm-7 exists and is not managed by KubeFed`));
    assert.deepEqual(perObjectReads(diff.stderr, 'configmaps'), [], 'no per-object read of ConfigMaps');

    const run = await kubefedctl(['propagate', '-f', objects, '--clusters', clusters]);
    assert.equal(run.code, 2, 'the conflict fails the run');
    assert.match(run.stdout, new RegExp(`cluster2: configmap/${ns}/cm-7 conflict AlreadyExists`));
    assert.deepEqual(await replicasIn(ns, ['cluster2', 'cluster3']), { cluster2: 6, cluster3: 3 });
    assert.deepEqual(
      (await admin('cluster2').get<KubeObject>(CONFIG_MAPS, 'cm-7', ns))?.['data'],
      { mine: 'yes' },
      'the unmanaged object is left alone',
    );
  });
});

describe('host mode: diff and propagate plan the same pass', () => {
  const ns = uniqueName('plan-host');
  namespaces.push(ns);
  before(async () => {
    for (const c of MEMBERS) await namespaceSettled(c, 'kube-federation-system');
    assert.equal((await kubefedctl(['init', '--host-cluster-context', HOST])).code, 0);
    for (const c of ['cluster2', 'cluster3'])
      assert.equal((await kubefedctl(['join', c, '--host-cluster-context', HOST])).code, 0);
    for (const t of ['namespaces', 'deployments.apps'])
      assert.equal((await kubefedctl(['enable', t, '--host-cluster-context', HOST])).code, 0);
    await admin(HOST).create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    await admin(HOST).create(fedType('Namespace', 'namespaces'), {
      apiVersion: TYPES_API,
      kind: 'FederatedNamespace',
      metadata: { name: ns, namespace: ns },
      spec: { placement: { clusterSelector: {} } },
    });
    await admin(HOST).create(fedType('Deployment', 'deployments'), deployment(ns));
    await admin(HOST).create(RSPS, rsp(ns));
  });
  after(async () => {
    for (const c of ['cluster2', 'cluster3']) await kubefedctl(['unjoin', c, '--host-cluster-context', HOST]);
    // Unjoin deletes the KubeFed namespace in the members; the next file joins them again.
    for (const c of ['cluster2', 'cluster3']) await namespaceSettled(c, 'kube-federation-system');
  });

  it('diff shows the scheduled replicas and leaves the host untouched; propagate writes the same numbers', async () => {
    const before = await admin(HOST).get<KubeObject>(fedType('Deployment', 'deployments'), 'web', ns);
    const clusterBefore = await admin(HOST).get<KubeObject>(KUBEFED_CLUSTERS, 'cluster2', 'kube-federation-system');
    const diff = await kubefedctl(['diff', '--host-cluster-context', HOST, '-n', ns]);
    assert.equal(diff.code, 1, diff.stderr);
    assert.deepEqual(replicasInDiff(diff.stdout), { cluster2: 6, cluster3: 3 }, diff.stdout);
    const unchanged = await admin(HOST).get<KubeObject>(fedType('Deployment', 'deployments'), 'web', ns);
    assert.equal(
      unchanged?.metadata.resourceVersion,
      before?.metadata.resourceVersion,
      'diff records no schedule in the host',
    );
    const clusterAfter = await admin(HOST).get<KubeObject>(KUBEFED_CLUSTERS, 'cluster2', 'kube-federation-system');
    assert.equal(
      clusterAfter?.metadata.resourceVersion,
      clusterBefore?.metadata.resourceVersion,
      'diff writes no cluster health either',
    );

    const run = await kubefedctl(['propagate', '--host-cluster-context', HOST, '-n', ns]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.deepEqual(await replicasIn(ns, ['cluster2', 'cluster3']), { cluster2: 6, cluster3: 3 });
    const after = await kubefedctl(['diff', '--host-cluster-context', HOST, '-n', ns]);
    assert.equal(after.code, 0, after.stdout + after.stderr);
  });
});
