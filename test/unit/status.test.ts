// Propagation status on the federated object (sync-semantics §7.3/§7.4, kubefed status_test.go@v0.8.1).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FederatedObject, FederatedStatus, PropagationCondition } from '../../src/federation/federated-object.js';
import { computeStatus } from '../../src/federation/status.js';

const T0 = '2021-01-01T00:00:00Z';
const NOW = new Date('2024-05-01T10:20:30.456Z');
const NOW_TEXT = '2024-05-01T10:20:30Z';

function fed(status?: FederatedStatus, generation?: number): FederatedObject {
  return {
    apiVersion: 'types.kubefed.io/v1beta1',
    kind: 'FederatedConfigMap',
    metadata: { name: 'cm', namespace: 'ns', ...(generation === undefined ? {} : { generation }) },
    spec: {},
    ...(status ? { status } : {}),
  };
}

function propagation(status: 'True' | 'False', reason?: string): PropagationCondition {
  return { type: 'Propagation', status, ...(reason ? { reason } : {}), lastTransitionTime: T0, lastUpdateTime: T0 };
}

function clusters(entries: Record<string, string>): Map<string, string> {
  return new Map(Object.entries(entries));
}

function conditionOf(status: FederatedStatus): PropagationCondition {
  const c = status.conditions?.find((x) => x.type === 'Propagation');
  assert.ok(c, 'a Propagation condition');
  return c;
}

/** status_test.go's existing status: cluster1 OK, Propagation True (generation 0, observedGeneration unset). */
function testStatus(): FederatedStatus {
  return { clusters: [{ name: 'cluster1' }], conditions: [propagation('True')] };
}

describe('computeStatus: the status_test.go@v0.8.1 examples (collection off)', () => {
  const rows: {
    rule: string;
    aggregate?: '' | 'NamespaceNotFederated';
    map: Record<string, string>;
    generation?: number;
    changed: boolean;
  }[] = [
    { rule: 'cluster1 becoming ClusterNotReady is a change', map: { cluster1: 'ClusterNotReady' }, changed: true },
    { rule: 'an empty cluster map is a change (the cluster is removed)', map: {}, changed: true },
    { rule: 'cluster1 still OK is no change', map: { cluster1: '' }, changed: false },
    { rule: 'a second cluster is a change', map: { cluster1: '', cluster2: '' }, changed: true },
    {
      rule: 'the aggregate reason NamespaceNotFederated is a change',
      aggregate: 'NamespaceNotFederated',
      map: { cluster1: '' },
      changed: true,
    },
    {
      rule: 'generation 1 against a stored observedGeneration of 0 is a change',
      map: { cluster1: '' },
      generation: 1,
      changed: true,
    },
  ];
  for (const row of rows) {
    it(row.rule, () => {
      const update = computeStatus(fed(testStatus(), row.generation), row.aggregate ?? '', clusters(row.map), NOW);
      assert.equal(update.changed, row.changed);
    });
  }
});

describe('computeStatus: the Propagation condition (§7.3)', () => {
  it('success gives status True and no reason', () => {
    const u = computeStatus(fed(), '', clusters({ c1: '' }), NOW);
    assert.equal(u.reason, '');
    const c = conditionOf(u.status);
    assert.equal(c.status, 'True');
    assert.equal('reason' in c, false);
  });

  it('any cluster with a status gives CheckClusters and status False', () => {
    const u = computeStatus(fed(), '', clusters({ c1: '', c2: 'WaitingForRemoval' }), NOW);
    assert.equal(u.reason, 'CheckClusters');
    assert.equal(conditionOf(u.status).status, 'False');
    assert.equal(conditionOf(u.status).reason, 'CheckClusters');
  });

  it('an aggregate reason wins over CheckClusters', () => {
    const u = computeStatus(fed(), 'ComputePlacementFailed', clusters({ c1: 'CreationFailed' }), NOW);
    assert.equal(u.reason, 'ComputePlacementFailed');
    assert.deepEqual(
      { status: conditionOf(u.status).status, reason: conditionOf(u.status).reason },
      { status: 'False', reason: 'ComputePlacementFailed' },
    );
  });

  it('NamespaceNotFederated with no clusters gives status False', () => {
    const u = computeStatus(fed(), 'NamespaceNotFederated', clusters({}), NOW);
    assert.equal(conditionOf(u.status).status, 'False');
    assert.equal(conditionOf(u.status).reason, 'NamespaceNotFederated');
  });

  it('a first status is a change, with both times now (RFC 3339, whole seconds)', () => {
    const u = computeStatus(fed(), '', clusters({ c1: '' }), NOW);
    assert.equal(u.changed, true);
    assert.equal(conditionOf(u.status).lastTransitionTime, NOW_TEXT);
    assert.equal(conditionOf(u.status).lastUpdateTime, NOW_TEXT);
  });

  it('a status change (True -> False) moves both times', () => {
    const u = computeStatus(fed(testStatus()), '', clusters({ cluster1: 'UpdateFailed' }), NOW);
    assert.equal(conditionOf(u.status).lastTransitionTime, NOW_TEXT);
    assert.equal(conditionOf(u.status).lastUpdateTime, NOW_TEXT);
  });

  it('a reason change with the same status (False) moves lastTransitionTime', () => {
    const old: FederatedStatus = {
      clusters: [{ name: 'c1', status: 'UpdateFailed' }],
      conditions: [propagation('False', 'CheckClusters')],
    };
    const u = computeStatus(fed(old), 'NamespaceNotFederated', clusters({ c1: 'UpdateFailed' }), NOW);
    assert.equal(u.changed, true);
    assert.equal(conditionOf(u.status).lastTransitionTime, NOW_TEXT);
  });

  it('a changed cluster list with the same (status, reason) moves only lastUpdateTime', () => {
    const old: FederatedStatus = {
      clusters: [{ name: 'c1', status: 'UpdateFailed' }],
      conditions: [propagation('False', 'CheckClusters')],
    };
    const u = computeStatus(fed(old), '', clusters({ c1: 'CreationFailed' }), NOW);
    assert.equal(u.changed, true);
    assert.equal(conditionOf(u.status).lastTransitionTime, T0);
    assert.equal(conditionOf(u.status).lastUpdateTime, NOW_TEXT);
  });

  it('a cluster added while still successful moves only lastUpdateTime', () => {
    const u = computeStatus(fed(testStatus()), '', clusters({ cluster1: '', cluster2: '' }), NOW);
    assert.equal(conditionOf(u.status).lastTransitionTime, T0);
    assert.equal(conditionOf(u.status).lastUpdateTime, NOW_TEXT);
  });

  it('nothing changed keeps both times', () => {
    const u = computeStatus(fed(testStatus()), '', clusters({ cluster1: '' }), NOW);
    assert.equal(conditionOf(u.status).lastTransitionTime, T0);
    assert.equal(conditionOf(u.status).lastUpdateTime, T0);
  });

  it('only a new generation is a change but keeps both times', () => {
    const old = { ...testStatus(), observedGeneration: 1 };
    const u = computeStatus(fed(old, 2), '', clusters({ cluster1: '' }), NOW);
    assert.equal(u.changed, true);
    assert.equal(u.status.observedGeneration, 2);
    assert.equal(conditionOf(u.status).lastTransitionTime, T0);
    assert.equal(conditionOf(u.status).lastUpdateTime, T0);
  });

  it('other conditions are preserved, in place', () => {
    const ready: PropagationCondition = { type: 'Ready', status: 'True', lastTransitionTime: T0 };
    const old: FederatedStatus = { clusters: [{ name: 'c1' }], conditions: [ready, propagation('True')] };
    const u = computeStatus(fed(old), '', clusters({ c1: 'CreationFailed' }), NOW);
    assert.deepEqual(u.status.conditions?.[0], ready);
    assert.equal(u.status.conditions?.[1]?.type, 'Propagation');
    assert.equal(u.status.conditions?.length, 2);
  });

  it('a missing Propagation condition is added after the others', () => {
    const ready: PropagationCondition = { type: 'Ready', status: 'True' };
    const u = computeStatus(fed({ clusters: [], conditions: [ready] }), '', clusters({}), NOW);
    assert.equal(u.changed, true);
    assert.deepEqual(
      u.status.conditions?.map((c) => c.type),
      ['Ready', 'Propagation'],
    );
  });
});

describe('computeStatus: clusters and observedGeneration (§7.1, §7.4)', () => {
  it('clusters are sorted by name', () => {
    const u = computeStatus(fed(), '', clusters({ c3: '', c1: 'CreationFailed', c2: '' }), NOW);
    assert.deepEqual(
      u.status.clusters?.map((c) => c.name),
      ['c1', 'c2', 'c3'],
    );
  });

  it('an OK cluster has no status field; a failed one has its word', () => {
    const u = computeStatus(fed(), '', clusters({ c1: '', c2: 'DeletionFailed' }), NOW);
    assert.deepEqual(u.status.clusters, [{ name: 'c1' }, { name: 'c2', status: 'DeletionFailed' }]);
  });

  it('the stored order of clusters does not matter for the comparison', () => {
    const old: FederatedStatus = {
      observedGeneration: 1,
      clusters: [{ name: 'c2' }, { name: 'c1' }],
      conditions: [propagation('True')],
    };
    const u = computeStatus(fed(old, 1), '', clusters({ c1: '', c2: '' }), NOW);
    assert.equal(u.changed, false);
  });

  it('a cluster replaced by another of the same count is a change', () => {
    const old: FederatedStatus = {
      observedGeneration: 1,
      clusters: [{ name: 'c1' }],
      conditions: [propagation('True')],
    };
    assert.equal(computeStatus(fed(old, 1), '', clusters({ c2: '' }), NOW).changed, true);
  });

  it('a changed status word for the same cluster is a change', () => {
    const old: FederatedStatus = {
      observedGeneration: 1,
      clusters: [{ name: 'c1', status: 'CreationFailed' }],
      conditions: [propagation('False', 'CheckClusters')],
    };
    assert.equal(computeStatus(fed(old, 1), '', clusters({ c1: 'UpdateFailed' }), NOW).changed, true);
    assert.equal(computeStatus(fed(old, 1), '', clusters({ c1: 'CreationFailed' }), NOW).changed, false);
  });

  it('observedGeneration becomes metadata.generation', () => {
    assert.equal(computeStatus(fed(undefined, 7), '', clusters({}), NOW).status.observedGeneration, 7);
  });

  it('an unset observedGeneration equals generation 0 (Go omits the zero value)', () => {
    assert.equal(computeStatus(fed(testStatus()), '', clusters({ cluster1: '' }), NOW).changed, false);
  });

  it('the federated object is not modified', () => {
    const f = fed(testStatus(), 3);
    const before = structuredClone(f);
    computeStatus(f, 'NamespaceNotFederated', clusters({ c9: 'ClusterNotReady' }), NOW);
    assert.deepEqual(f, before);
  });
});
