// Policies through `render`, offline, where the rule spans several steps of the pass: replica
// scheduling spreads replicas only over the clusters PlacementPolicies allow, whether the
// schedule comes from a policy's replicaScheduling or a separate ReplicaSchedulingPreference.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli } from '../cli.js';

const render = (stdin: string) =>
  runCli(['render', '-f', '-', '--clusters', 'examples/clusters.yaml', '-o', 'json'], { stdin });

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx:1.27}]
`;
const EU_ONLY = `apiVersion: policy.kubefed.io/v1alpha1
kind: PlacementPolicy
metadata: {name: eu-only}
spec:
  resourceSelectors: [{kind: Deployment, namespace: shop}]
  allowedClusters: {clusterSelector: {matchLabels: {region: eu}}}
`;
const policy = (scheduling: string) => `apiVersion: policy.kubefed.io/v1alpha1
kind: ClusterPropagationPolicy
metadata: {name: web}
spec:
  resourceSelectors: [{kind: Deployment, namespace: shop}]
  placement: {clusterSelector: {}}
${scheduling}`;

/** Replicas of the Deployment per cluster ("-" where it is not rendered). */
async function replicas(input: string): Promise<Record<string, number | string>> {
  const r = await render(input);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as {
    clusters: { name: string; objects: { kind: string; spec?: { replicas?: number } }[] }[];
  };
  return Object.fromEntries(
    out.clusters.map((c) => [c.name, c.objects.find((o) => o.kind === 'Deployment')?.spec?.replicas ?? '-']),
  );
}

describe('replica scheduling under a PlacementPolicy', () => {
  it("a policy's replicaScheduling spreads replicas only over the allowed clusters", async () => {
    const scheduled = policy('  replicaScheduling: {totalReplicas: 6, clusters: {"*": {weight: 1}}}\n');
    assert.deepEqual(await replicas([DEPLOYMENT, scheduled].join('---\n')), {
      cluster1: 2,
      cluster2: 2,
      cluster3: 2,
    });
    assert.deepEqual(await replicas([DEPLOYMENT, scheduled, EU_ONLY].join('---\n')), {
      cluster1: 3,
      cluster2: 3,
      cluster3: '-',
    });
  });

  it('so does a separate ReplicaSchedulingPreference for the plain Deployment', async () => {
    const rsp = `apiVersion: scheduling.kubefed.io/v1alpha1
kind: ReplicaSchedulingPreference
metadata: {name: web, namespace: shop}
spec:
  targetKind: FederatedDeployment
  totalReplicas: 4
  clusters: {"*": {weight: 1}}
`;
    assert.deepEqual(await replicas([DEPLOYMENT, policy(''), rsp, EU_ONLY].join('---\n')), {
      cluster1: 2,
      cluster2: 2,
      cluster3: '-',
    });
  });
});

describe('system namespaces', () => {
  it('render writes no Namespace "default" for objects there, as propagate never writes it', async () => {
    const input = `apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {colour: blue}
---
apiVersion: policy.kubefed.io/v1alpha1
kind: PropagationPolicy
metadata: {name: settings}
spec:
  resourceSelectors: [{kind: ConfigMap, name: settings}]
  placement: {clusters: [{name: cluster1}]}
`;
    const r = await render(input);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as {
      clusters: { name: string; objects: { kind: string; metadata: { namespace?: string } }[] }[];
    };
    const cluster1 = out.clusters.find((c) => c.name === 'cluster1')?.objects ?? [];
    assert.deepEqual(
      cluster1.map((o) => `${o.kind} ${o.metadata.namespace ?? ''}`),
      ['ConfigMap default'],
    );
  });
});
