// ReplicaSchedulingPreference: validation, pod analysis, one scheduling pass, and writing the result
// into the federated object (spec §10.1–§10.6).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UserError, ValidationError } from '../../src/errors.js';
import type { FederatedObject, LabelSelector, Override } from '../../src/federation/federated-object.js';
import type { KubeObject } from '../../src/api/objects.js';
import { plan } from '../../src/scheduling/planner.js';
import {
  analyzePods,
  applySchedulingResult,
  currentReplicasFrom,
  mergeSchedule,
  podsNeeded,
  replicaMapsFrom,
  replicaOverridesNeedUpdate,
  scheduleRsp,
  validateRsp,
  workloadPodSelector,
  type ReplicaSchedulingPreference,
  type RspSpec,
} from '../../src/scheduling/rsp.js';

const NOW = new Date('2026-03-01T12:00:00Z');

function rsp(spec: Partial<RspSpec> = {}, name = 'web', namespace = 'ns'): ReplicaSchedulingPreference {
  return {
    apiVersion: 'scheduling.kubefed.io/v1alpha1',
    kind: 'ReplicaSchedulingPreference',
    metadata: { name, namespace },
    spec: { targetKind: 'FederatedDeployment', totalReplicas: 9, ...spec },
  };
}

function fedDeployment(spec: FederatedObject['spec'] = {}, name = 'web', namespace = 'ns'): FederatedObject {
  return {
    apiVersion: 'types.kubefed.io/v1beta1',
    kind: 'FederatedDeployment',
    metadata: { name, namespace },
    spec: { template: { spec: { replicas: 1 } }, ...spec },
  };
}

function fedNamespace(selector?: LabelSelector, name = 'ns'): FederatedObject {
  return {
    apiVersion: 'types.kubefed.io/v1beta1',
    kind: 'FederatedNamespace',
    metadata: { name, namespace: name },
    spec: { placement: selector === undefined ? {} : { clusterSelector: selector } },
  };
}

function cluster(name: string, labels: Record<string, string> = {}, ready = true) {
  return { name, labels, ready };
}

const ABC = [cluster('A'), cluster('B'), cluster('C')];

/** Overrides as `{cluster: {path: value}}`, to compare without caring about list order. */
function overridesByCluster(overrides: Override[] | undefined): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    (overrides ?? []).map((o) => [
      o.clusterName,
      Object.fromEntries((o.clusterOverrides ?? []).map((c) => [c.path, c.value])),
    ]),
  );
}

function pod(phase: string, conditions: Record<string, unknown>[] = []): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, status: { phase, conditions } };
}

const runningReady = () => pod('Running', [{ type: 'Ready', status: 'True' }]);
const unschedulableFor = (ms: number) =>
  pod('Pending', [
    {
      type: 'PodScheduled',
      status: 'False',
      reason: 'Unschedulable',
      lastTransitionTime: new Date(NOW.getTime() - ms).toISOString(),
    },
  ]);

describe('validateRsp', () => {
  it('accepts a complete RSP with a "*" entry and maxReplicas null', () => {
    const doc = rsp({
      rebalance: true,
      intersectWithClusterSelector: false,
      clusters: { '*': { weight: 1 }, c1: { minReplicas: 2, maxReplicas: 6, weight: 2 }, c2: { maxReplicas: null } },
    });
    const result = validateRsp(doc);
    assert.equal(result.ok, true);
  });

  it('rejects a targetKind other than FederatedDeployment or FederatedReplicaSet', () => {
    assert.deepEqual(validateRsp(rsp({ targetKind: 'FederatedStatefulSet' })), {
      ok: false,
      issues: ['spec.targetKind: must be FederatedDeployment or FederatedReplicaSet (got "FederatedStatefulSet")'],
    });
    assert.equal(validateRsp(rsp({ targetKind: 'FederatedReplicaSet' })).ok, true);
  });

  it('requires totalReplicas to be a non-negative int32', () => {
    const spec = (v: unknown) => ({ ...rsp(), spec: { targetKind: 'FederatedDeployment', totalReplicas: v } });
    assert.deepEqual(validateRsp(spec(-1)), {
      ok: false,
      issues: ['spec.totalReplicas: must be an integer from 0 to 2147483647 (got -1)'],
    });
    assert.deepEqual(validateRsp(spec(1.5)), {
      ok: false,
      issues: ['spec.totalReplicas: must be an integer from 0 to 2147483647 (got 1.5)'],
    });
    assert.deepEqual(validateRsp(spec('3')), {
      ok: false,
      issues: ['spec.totalReplicas: must be an integer from 0 to 2147483647 (got "3")'],
    });
    assert.deepEqual(validateRsp(spec(undefined)), { ok: false, issues: ['spec.totalReplicas: is required'] });
    assert.equal(validateRsp(spec(0)).ok, true);
  });

  it('names the cluster and field of negative or non-integer preferences', () => {
    const result = validateRsp(rsp({ clusters: { c1: { minReplicas: -1, weight: 1.5 }, '*': { maxReplicas: -2 } } }));
    assert.deepEqual(result, {
      ok: false,
      issues: [
        'spec.clusters["c1"].minReplicas: must be a non-negative integer (got -1)',
        'spec.clusters["c1"].weight: must be a non-negative integer (got 1.5)',
        'spec.clusters["*"].maxReplicas: must be a non-negative integer (got -2)',
      ],
    });
  });

  it('requires minReplicas ≤ maxReplicas', () => {
    assert.deepEqual(validateRsp(rsp({ clusters: { c1: { minReplicas: 5, maxReplicas: 3 } } })), {
      ok: false,
      issues: ['spec.clusters["c1"].minReplicas: must not exceed maxReplicas (5 > 3)'],
    });
    assert.equal(validateRsp(rsp({ clusters: { c1: { minReplicas: 3, maxReplicas: 3 } } })).ok, true);
  });

  it('checks the shape: object, metadata.name, spec, booleans, cluster entries', () => {
    assert.deepEqual(validateRsp('nope'), { ok: false, issues: ['must be an object'] });
    assert.deepEqual(validateRsp({ metadata: { name: 'web' } }), { ok: false, issues: ['spec: must be an object'] });
    assert.deepEqual(validateRsp({ ...rsp(), metadata: {} }), {
      ok: false,
      issues: ['metadata.name: must be a non-empty string'],
    });
    assert.deepEqual(validateRsp({ ...rsp(), kind: 'Deployment' }), {
      ok: false,
      issues: ['kind: must be ReplicaSchedulingPreference (got "Deployment")'],
    });
    assert.deepEqual(validateRsp({ ...rsp(), spec: { ...rsp().spec, rebalance: 'yes' } }), {
      ok: false,
      issues: ['spec.rebalance: must be a boolean (got "yes")'],
    });
    assert.deepEqual(validateRsp({ ...rsp(), spec: { ...rsp().spec, clusters: ['c1'] } }), {
      ok: false,
      issues: ['spec.clusters: must be a map of cluster name to preferences'],
    });
    assert.deepEqual(validateRsp({ ...rsp(), spec: { ...rsp().spec, clusters: { c1: 3 } } }), {
      ok: false,
      issues: ['spec.clusters["c1"]: must be an object with minReplicas, maxReplicas and weight'],
    });
  });
});

describe('merging the plan into the replica map (§10.5)', () => {
  it('adds overflow to the plan: §10.7 case 8 yields A20 B20 C17', () => {
    const result = plan({
      preferences: { '*': { weight: 1 } },
      totalReplicas: 50,
      availableClusters: ['A', 'B', 'C'],
      estimatedCapacity: { C: 10 },
      rebalance: true,
      key: '',
    });
    assert.deepEqual(mergeSchedule({}, result.plan, result.overflow), { A: 20, B: 20, C: 17 });
  });

  it('adds overflow to the plan: §10.7 case 9 yields A50 B40 C0', () => {
    const result = plan({
      preferences: { A: { weight: 1 }, B: { weight: 2 } },
      totalReplicas: 60,
      availableClusters: ['A', 'B', 'C'],
      estimatedCapacity: { B: 10 },
      rebalance: true,
      key: '',
    });
    assert.deepEqual(mergeSchedule({}, result.plan, result.overflow), { A: 50, B: 40, C: 0 });
  });

  it('gives 0 to a cluster that has current replicas but no plan entry', () => {
    assert.deepEqual(mergeSchedule(new Map([['Z', 4]]), { A: 3 }, {}), { Z: 0, A: 3 });
  });
});

describe('scheduleRsp', () => {
  it('uses {"*": {weight: 1}} when spec.clusters is absent or empty: 9 over A, B, C is 3/3/3', () => {
    for (const clusters of [undefined, {}]) {
      const result = scheduleRsp({ rsp: rsp({ clusters }), federated: fedDeployment(), clusters: ABC });
      assert.deepEqual(result.replicas, { A: 3, B: 3, C: 3 });
      assert.deepEqual(result.placement, ['A', 'B', 'C']);
      assert.equal(result.skipped, undefined);
    }
  });

  it('places every candidate cluster, even with 0 replicas', () => {
    const result = scheduleRsp({
      rsp: rsp({ clusters: { A: { weight: 1 }, B: { weight: 2 } } }),
      federated: fedDeployment(),
      clusters: ABC,
    });
    assert.deepEqual(result.replicas, { A: 3, B: 6, C: 0 });
    assert.deepEqual(result.placement, ['A', 'B', 'C']);
  });

  it('salts the tie-break with "<namespace>/<name>" of the RSP', () => {
    const names = ['cluster1', 'cluster2', 'cluster3'].map((n) => cluster(n));
    const result = scheduleRsp({
      rsp: rsp({ totalReplicas: 1 }, 'web', 'default'),
      federated: fedDeployment({}, 'web', 'default'),
      clusters: names,
    });
    // clusterHash(·, "default/web") is lowest for cluster2 (see planner.test.ts).
    assert.deepEqual(result.replicas, { cluster1: 0, cluster2: 1, cluster3: 0 });
  });

  it('leaves out clusters that are not ready, and their replica state', () => {
    const result = scheduleRsp({
      rsp: rsp({ totalReplicas: 4 }),
      federated: fedDeployment(),
      clusters: [cluster('A'), cluster('B'), cluster('C', {}, false)],
      current: { C: 4 },
    });
    assert.deepEqual(result.replicas, { A: 2, B: 2 });
    assert.deepEqual(result.candidates, ['A', 'B']);
  });

  it('keeps running replicas and reports overflow from capacity', () => {
    const result = scheduleRsp({
      rsp: rsp({ totalReplicas: 50, rebalance: true }),
      federated: fedDeployment(),
      clusters: ABC,
      capacity: new Map([['C', 10]]),
    });
    assert.equal(result.plan.C, 10);
    assert.ok((result.overflow.C ?? 0) > 0);
    assert.equal(result.replicas.C, 10 + (result.overflow.C ?? 0));
  });

  it('does nothing when no cluster is ready', () => {
    const result = scheduleRsp({ rsp: rsp(), federated: fedDeployment(), clusters: [cluster('A', {}, false)] });
    assert.equal(result.skipped, 'no ready member clusters');
    assert.deepEqual(result.replicas, {});
  });

  it('throws ValidationError with the issues for an invalid RSP', () => {
    assert.throws(
      () => scheduleRsp({ rsp: rsp({ targetKind: 'FederatedJob' }), federated: fedDeployment(), clusters: ABC }),
      (e: unknown) =>
        e instanceof ValidationError &&
        e.issues[0] === 'spec.targetKind: must be FederatedDeployment or FederatedReplicaSet (got "FederatedJob")',
    );
  });

  it("throws ValidationError when the federated object is not the RSP's target", () => {
    assert.throws(
      () => scheduleRsp({ rsp: rsp({ targetKind: 'FederatedReplicaSet' }), federated: fedDeployment(), clusters: ABC }),
      (e: unknown) =>
        e instanceof ValidationError &&
        e.issues[0] === 'spec.targetKind: is FederatedReplicaSet but the federated object is a FederatedDeployment',
    );
    assert.throws(
      () => scheduleRsp({ rsp: rsp(), federated: fedDeployment({}, 'api'), clusters: ABC }),
      ValidationError,
    );
  });
});

describe('scheduleRsp with intersectWithClusterSelector', () => {
  const labelled = [
    cluster('A', { region: 'eu' }),
    cluster('B', { region: 'eu', tier: 'gold' }),
    cluster('C', { region: 'us' }),
  ];
  const intersect = rsp({ totalReplicas: 6, intersectWithClusterSelector: true });

  it("schedules only over clusters both the object's and the FederatedNamespace's selectors match", () => {
    const result = scheduleRsp({
      rsp: intersect,
      federated: fedDeployment({ placement: { clusterSelector: { matchLabels: { region: 'eu' } } } }),
      federatedNamespace: fedNamespace({ matchExpressions: [{ key: 'tier', operator: 'Exists' }] }),
      clusters: labelled,
    });
    assert.deepEqual(result.replicas, { B: 6 });
    assert.deepEqual(result.placement, ['B']);
  });

  it('ignores the explicit cluster list (the one a previous pass wrote) and uses the selector alone', () => {
    const result = scheduleRsp({
      rsp: intersect,
      federated: fedDeployment({
        placement: { clusters: [{ name: 'C' }], clusterSelector: { matchLabels: { region: 'eu' } } },
      }),
      federatedNamespace: fedNamespace({}),
      clusters: labelled,
    });
    assert.deepEqual(result.placement, ['A', 'B']);
    assert.equal((result.replicas.A ?? 0) + (result.replicas.B ?? 0), 6);
  });

  it('ignores current replicas in clusters outside the intersection', () => {
    const result = scheduleRsp({
      rsp: intersect,
      federated: fedDeployment({ placement: { clusterSelector: { matchLabels: { region: 'eu' } } } }),
      federatedNamespace: fedNamespace({}),
      clusters: labelled,
      current: { C: 5 },
    });
    assert.deepEqual(result.placement, ['A', 'B']);
  });

  it('does nothing when the intersection is empty (an absent selector matches nothing)', () => {
    const result = scheduleRsp({
      rsp: intersect,
      federated: fedDeployment({ placement: { clusters: [{ name: 'A' }] } }),
      federatedNamespace: fedNamespace({}),
      clusters: labelled,
    });
    assert.match(result.skipped ?? '', /no ready cluster matches/);
  });

  it('fails when the FederatedNamespace is missing', () => {
    assert.throws(
      () =>
        scheduleRsp({
          rsp: intersect,
          federated: fedDeployment({ placement: { clusterSelector: {} } }),
          clusters: labelled,
        }),
      (e: unknown) => e instanceof UserError && e.message.startsWith('FederatedNamespace ns/ns not found'),
    );
  });

  it('does not need the FederatedNamespace when the flag is off', () => {
    const result = scheduleRsp({ rsp: rsp({ totalReplicas: 6 }), federated: fedDeployment(), clusters: labelled });
    assert.deepEqual(result.placement, ['A', 'B', 'C']);
  });
});

describe('applySchedulingResult: placement', () => {
  it('replaces the cluster list with the sorted result clusters and keeps the clusterSelector', () => {
    const fed = fedDeployment({
      placement: { clusters: [{ name: 'X' }], clusterSelector: { matchLabels: { a: 'b' } } },
    });
    const { federated, placementChanged } = applySchedulingResult(fed, { C: 1, A: 2 });
    assert.equal(placementChanged, true);
    assert.deepEqual(federated.spec.placement, {
      clusters: [{ name: 'A' }, { name: 'C' }],
      clusterSelector: { matchLabels: { a: 'b' } },
    });
  });

  it('adds a cluster list to a selector-only placement', () => {
    const { federated } = applySchedulingResult(fedDeployment({ placement: { clusterSelector: {} } }), { A: 1 });
    assert.deepEqual(federated.spec.placement, { clusterSelector: {}, clusters: [{ name: 'A' }] });
  });

  it('leaves the list alone when it holds the same clusters in another order', () => {
    const fed = fedDeployment({ placement: { clusters: [{ name: 'B' }, { name: 'A' }] } });
    const { federated, placementChanged } = applySchedulingResult(fed, { A: 1, B: 1 });
    assert.equal(placementChanged, false);
    assert.deepEqual(federated.spec.placement, { clusters: [{ name: 'B' }, { name: 'A' }] });
  });

  it('does not change its input', () => {
    const fed = fedDeployment({
      placement: { clusters: [{ name: 'X' }] },
      overrides: [{ clusterName: 'X', clusterOverrides: [{ path: '/spec/replicas', value: 1 }] }],
    });
    const before = structuredClone(fed);
    const { federated } = applySchedulingResult(fed, { A: 2 });
    assert.deepEqual(fed, before);
    assert.notEqual(federated, fed);
  });
});

describe('applySchedulingResult: /spec/replicas overrides', () => {
  const answer = { path: '/ultimate/answer', value: 42 };

  it('removes the replicas override of an unscheduled cluster and keeps its other overrides (plugin_test)', () => {
    const fed = fedDeployment({
      overrides: [{ clusterName: 'cluster1', clusterOverrides: [{ path: '/spec/replicas', value: 0 }, answer] }],
    });
    const { federated, overridesChanged } = applySchedulingResult(fed, {});
    assert.equal(overridesChanged, true);
    assert.deepEqual(overridesByCluster(federated.spec.overrides), { cluster1: { '/ultimate/answer': 42 } });
  });

  it('overwrites an existing replicas override in place (plugin_test)', () => {
    const fed = fedDeployment({
      overrides: [{ clusterName: 'cluster1', clusterOverrides: [{ path: '/spec/replicas', value: 0 }, answer] }],
    });
    const { federated } = applySchedulingResult(fed, { cluster1: 5 });
    assert.deepEqual(federated.spec.overrides, [
      { clusterName: 'cluster1', clusterOverrides: [{ path: '/spec/replicas', value: 5 }, answer] },
    ]);
  });

  it('appends a replicas override, even 0, next to other overrides (plugin_test)', () => {
    const fed = fedDeployment({ overrides: [{ clusterName: 'cluster1', clusterOverrides: [answer] }] });
    const { federated } = applySchedulingResult(fed, { cluster1: 0 });
    assert.deepEqual(overridesByCluster(federated.spec.overrides), {
      cluster1: { '/ultimate/answer': 42, '/spec/replicas': 0 },
    });
  });

  it('adds entries for new clusters in name order after the existing ones', () => {
    const fed = fedDeployment({ overrides: [{ clusterName: 'Z', clusterOverrides: [answer] }] });
    const { federated } = applySchedulingResult(fed, { B: 2, A: 1 });
    assert.deepEqual(federated.spec.overrides, [
      { clusterName: 'Z', clusterOverrides: [answer] },
      { clusterName: 'A', clusterOverrides: [{ path: '/spec/replicas', value: 1 }] },
      { clusterName: 'B', clusterOverrides: [{ path: '/spec/replicas', value: 2 }] },
    ]);
  });

  it('drops an entry whose only override was the replicas one of an unscheduled cluster', () => {
    const fed = fedDeployment({
      overrides: [{ clusterName: 'X', clusterOverrides: [{ path: '/spec/replicas', value: 3 }] }],
    });
    const { federated } = applySchedulingResult(fed, { A: 3 });
    assert.deepEqual(federated.spec.overrides, [
      { clusterName: 'A', clusterOverrides: [{ path: '/spec/replicas', value: 3 }] },
    ]);
  });

  it('replaces an existing replicas override written with an op by a plain (replace) one', () => {
    const fed = fedDeployment({
      overrides: [{ clusterName: 'A', clusterOverrides: [{ op: 'add', path: '/spec/replicas', value: 1 }] }],
    });
    const { federated } = applySchedulingResult(fed, { A: 4 });
    assert.deepEqual(federated.spec.overrides, [
      { clusterName: 'A', clusterOverrides: [{ path: '/spec/replicas', value: 4 }] },
    ]);
  });

  it('reports no change when every scheduled cluster already has the right override', () => {
    const overrides = [
      { clusterName: 'A', clusterOverrides: [{ path: '/spec/replicas', value: 3 }, answer] },
      { clusterName: 'B', clusterOverrides: [{ path: '/spec/replicas', value: 0 }] },
    ];
    const fed = fedDeployment({ placement: { clusters: [{ name: 'A' }, { name: 'B' }] }, overrides });
    const result = applySchedulingResult(fed, { A: 3, B: 0 });
    assert.equal(result.placementChanged, false);
    assert.equal(result.overridesChanged, false);
    assert.deepEqual(result.federated, fed);
  });

  it('needs an update for a non-numeric value, an unscheduled cluster, a different value or a missing override', () => {
    const with_ = (value: unknown, cluster = 'A'): Override[] => [
      { clusterName: cluster, clusterOverrides: [{ path: '/spec/replicas', value }] },
    ];
    assert.equal(replicaOverridesNeedUpdate(with_('3'), { A: 3 }), true);
    assert.equal(replicaOverridesNeedUpdate(with_(3, 'B'), { A: 3 }), true);
    assert.equal(replicaOverridesNeedUpdate(with_(2), { A: 3 }), true);
    assert.equal(replicaOverridesNeedUpdate(with_(3), { A: 3, B: 1 }), true);
    assert.equal(replicaOverridesNeedUpdate(with_(3), { A: 3 }), false);
    // Go truncates the JSON float to int64 before comparing.
    assert.equal(replicaOverridesNeedUpdate(with_(3.7), { A: 3 }), false);
    assert.equal(replicaOverridesNeedUpdate([], {}), false);
  });
});

describe('pod analysis and current replicas (§10.3)', () => {
  it('counts 3 running-ready and 2 pods unschedulable for 10 minutes (podanalyzer test)', () => {
    const pods = [runningReady(), runningReady(), runningReady(), unschedulableFor(600_000), unschedulableFor(600_000)];
    assert.deepEqual(analyzePods(pods, NOW), {
      total: 5,
      runningAndReady: 3,
      unschedulable: 2,
      unschedulableRecently: 0,
    });
  });

  it('counts a pending pod without conditions only in the total (podanalyzer test)', () => {
    assert.deepEqual(analyzePods([pod('Pending')], NOW), {
      total: 1,
      runningAndReady: 0,
      unschedulable: 0,
      unschedulableRecently: 0,
    });
  });

  it('does not count a pod unschedulable for less than the threshold, but asks for a recheck (v0.8.1 test)', () => {
    const pods = [
      runningReady(),
      runningReady(),
      runningReady(),
      unschedulableFor(600_000),
      unschedulableFor(600_000),
      unschedulableFor(0),
    ];
    assert.deepEqual(analyzePods(pods, NOW), {
      total: 6,
      runningAndReady: 3,
      unschedulable: 2,
      unschedulableRecently: 1,
    });
  });

  it('needs strictly more than the threshold, which is a parameter', () => {
    assert.equal(analyzePods([unschedulableFor(60_000)], NOW).unschedulable, 0);
    assert.equal(analyzePods([unschedulableFor(60_001)], NOW).unschedulable, 1);
    assert.equal(analyzePods([unschedulableFor(10_000)], NOW, 5_000).unschedulable, 1);
  });

  it('counts a running pod with any Ready condition, whatever its status', () => {
    assert.equal(analyzePods([pod('Running', [{ type: 'Ready', status: 'False' }])], NOW).runningAndReady, 1);
    assert.equal(analyzePods([pod('Running', [])], NOW).runningAndReady, 0);
  });

  it('takes readyReplicas when it equals spec.replicas, without looking at pods', () => {
    const deployment: KubeObject = {
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'ns' },
      spec: { replicas: 4 },
      status: { readyReplicas: 4 },
    };
    assert.equal(podsNeeded(deployment), false);
    assert.deepEqual(currentReplicasFrom(deployment, undefined, NOW), { current: 4, recheck: false });
  });

  it('treats absent spec.replicas and readyReplicas as 0', () => {
    assert.deepEqual(currentReplicasFrom({ metadata: { name: 'web' } }, undefined, NOW), {
      current: 0,
      recheck: false,
    });
  });

  it('counts pods otherwise, and capacity is spec.replicas minus unschedulable pods', () => {
    const deployment: KubeObject = {
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'ns' },
      spec: { replicas: 5, selector: { matchLabels: { app: 'web' } } },
      status: { readyReplicas: 3 },
    };
    assert.equal(podsNeeded(deployment), true);
    const pods = [runningReady(), runningReady(), runningReady(), unschedulableFor(600_000), unschedulableFor(600_000)];
    assert.deepEqual(currentReplicasFrom(deployment, pods, NOW), { current: 3, capacity: 3, recheck: false });
    assert.deepEqual(currentReplicasFrom(deployment, [runningReady(), unschedulableFor(1_000)], NOW), {
      current: 1,
      recheck: true,
    });
    assert.throws(() => currentReplicasFrom(deployment, undefined, NOW), TypeError);
  });

  it('reads the pod selector from spec.selector.matchLabels and fails without one', () => {
    assert.deepEqual(
      workloadPodSelector({ metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } } } }),
      { app: 'web' },
    );
    assert.throws(
      () => workloadPodSelector({ kind: 'Deployment', metadata: { name: 'web', namespace: 'ns' }, spec: {} }),
      (e: unknown) => e instanceof UserError && /Deployment ns\/web has no spec.selector.matchLabels/.test(e.message),
    );
  });

  it('builds the planner maps from per-cluster states, skipping clusters without the workload', () => {
    assert.deepEqual(
      replicaMapsFrom({
        A: { current: 3, capacity: 3, recheck: false },
        B: undefined,
        C: { current: 2, recheck: true },
      }),
      {
        current: { A: 3, C: 2 },
        capacity: { A: 3 },
        recheck: true,
      },
    );
  });
});
