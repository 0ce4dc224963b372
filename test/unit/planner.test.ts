// The replica planner: every example of spec §10.7 (KubeFed's planner_test.go), the FNV-1 tie-break,
// and properties the spec calls out.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  clusterHash,
  fnv1_32,
  plan,
  preferenceOrder,
  type ClusterPreferences,
  type PlannerInput,
  type ReplicaCounts,
} from '../../src/scheduling/planner.js';

const ABC = ['A', 'B', 'C'];
const AB = ['A', 'B'];

interface Case {
  prefs: Record<string, ClusterPreferences>;
  total: number;
  clusters: string[];
  current?: ReplicaCounts;
  capacity?: ReplicaCounts;
  rebalance?: boolean;
  key?: string;
}

/** Runs the planner with §10.7's conventions: key "" and rebalance false unless stated. */
function run(c: Case) {
  const input: PlannerInput = {
    preferences: c.prefs,
    totalReplicas: c.total,
    availableClusters: c.clusters,
    currentReplicas: c.current,
    estimatedCapacity: c.capacity,
    rebalance: c.rebalance ?? false,
    key: c.key ?? '',
  };
  return plan(input);
}

function expectPlan(
  c: Case,
  expectedPlan: Record<string, number>,
  expectedOverflow: Record<string, number> = {},
): void {
  const result = run(c);
  assert.deepEqual(result.plan, expectedPlan);
  assert.deepEqual(result.overflow, expectedOverflow);
}

describe('FNV-1 32-bit hash', () => {
  it('hashes the empty string to the offset basis 0x811c9dc5', () => {
    assert.equal(fnv1_32(''), 0x811c9dc5);
  });

  it('hashes "a" to 0x050c5d7e (FNV-1; FNV-1a would give 0xe40c292c)', () => {
    assert.equal(fnv1_32('a'), 0x050c5d7e);
    assert.notEqual(fnv1_32('a'), 0xe40c292c);
  });

  it('matches the published FNV-1 vector for "foobar" (0x31f0b262)', () => {
    assert.equal(fnv1_32('foobar'), 0x31f0b262);
  });

  it('hashes UTF-8 bytes, not UTF-16 code units', () => {
    // "é" is two UTF-8 bytes, c3 a9.
    const manual = [0xc3, 0xa9].reduce((h, b) => (Math.imul(h, 0x01000193) >>> 0) ^ b, 0x811c9dc5) >>> 0;
    assert.equal(fnv1_32('é'), manual);
  });

  it('feeds the cluster name and then the key into one running hash', () => {
    assert.equal(clusterHash('cluster1', 'ns/web'), fnv1_32('cluster1ns/web'));
    assert.equal(clusterHash('A', ''), fnv1_32('A'));
  });

  it('ranks single-letter names D < C < B < A with the empty key', () => {
    assert.deepEqual(preferenceOrder({ '*': { weight: 1 } }, ['A', 'B', 'C', 'D'], ''), ['D', 'C', 'B', 'A']);
  });

  it('orders by weight first, hash second', () => {
    assert.deepEqual(preferenceOrder({ '*': { weight: 1 }, A: { weight: 5 } }, ['A', 'B', 'C', 'D'], ''), [
      'A',
      'D',
      'C',
      'B',
    ]);
  });

  it('matches Go hash/fnv New32 over name then key (vectors computed with Go)', () => {
    assert.equal(clusterHash('cluster1', 'default/web'), 0x8adfbdea);
    assert.equal(clusterHash('cluster2', 'default/web'), 0x6ef3f053);
    assert.equal(clusterHash('cluster3', 'default/web'), 0xb45c4e2c);
    assert.deepEqual(
      ['A', 'B', 'C', 'D'].map((n) => clusterHash(n, '')),
      [0x050c5d5e, 0x050c5d5d, 0x050c5d5c, 0x050c5d5b],
    );
  });

  it('changes the tie-break order with the workload key', () => {
    const names = ['cluster1', 'cluster2', 'cluster3'];
    assert.deepEqual(preferenceOrder({ '*': { weight: 1 } }, names, 'default/web'), [
      'cluster2',
      'cluster1',
      'cluster3',
    ]);
    const orders = new Set(
      ['default/web', 'prod/api', 'ns/a'].map((k) => preferenceOrder({ '*': { weight: 1 } }, names, k).join(',')),
    );
    assert.ok(orders.size > 1, 'some key should produce a different order');
  });
});

describe('planner: spec §10.7 examples (key "")', () => {
  it('#1 splits evenly with "*" and the shortfall lands on the last cluster in hash order', () => {
    expectPlan({ prefs: { '*': { weight: 1 } }, total: 50, clusters: ABC }, { A: 16, B: 17, C: 17 });
  });

  it('#2 gives a single replica to the first cluster in hash order (D)', () => {
    expectPlan({ prefs: { '*': { weight: 1 } }, total: 1, clusters: ['A', 'B', 'C', 'D'] }, { A: 0, B: 0, C: 0, D: 1 });
  });

  it('#3 keeps running replicas without rebalance and shares the rest', () => {
    expectPlan(
      { prefs: { '*': { weight: 1 } }, total: 50, clusters: ABC, current: { C: 30 } },
      { A: 10, B: 10, C: 30 },
    );
  });

  it('#4 keeps the 8 running on B and gives A the rest', () => {
    expectPlan({ prefs: { '*': { weight: 1 } }, total: 15, clusters: AB, current: { A: 0, B: 8 } }, { A: 7, B: 8 });
  });

  it('#5 keeps as many running replicas as the total allows, even when unbalanced (not the ideal 10:40)', () => {
    expectPlan({ prefs: { '*': { weight: 1 } }, total: 50, clusters: AB, current: { A: 10, B: 70 } }, { A: 0, B: 50 });
  });

  it('#6 scales down to one replica on the cluster that runs some', () => {
    expectPlan({ prefs: { '*': { weight: 1 } }, total: 1, clusters: AB, current: { A: 30 } }, { A: 1, B: 0 });
  });

  it('#7 grows both clusters to an even split when both run fewer than their share', () => {
    expectPlan({ prefs: { '*': { weight: 1 } }, total: 50, clusters: AB, current: { A: 10, B: 20 } }, { A: 25, B: 25 });
  });

  it('#8 with rebalance reports untrimmed overflow for a capacity-limited cluster', () => {
    expectPlan(
      { prefs: { '*': { weight: 1 } }, total: 50, clusters: ABC, capacity: { C: 10 }, rebalance: true },
      { A: 20, B: 20, C: 10 },
      { C: 7 },
    );
  });

  it('#9 with rebalance moves what B cannot hold to A; C has no preference and gets 0', () => {
    expectPlan(
      { prefs: { A: { weight: 1 }, B: { weight: 2 } }, total: 60, clusters: ABC, capacity: { B: 10 }, rebalance: true },
      { A: 50, B: 10, C: 0 },
      { B: 30 },
    );
  });

  it('#10 without rebalance trims overflow to the replicas that found no place', () => {
    expectPlan(
      { prefs: { A: { weight: 1 }, B: { weight: 1 } }, total: 60, clusters: ABC, capacity: { A: 10, B: 10 } },
      { A: 10, B: 10, C: 0 },
      { A: 20, B: 20 },
    );
  });

  it('#11 caps a minimum by capacity', () => {
    expectPlan(
      { prefs: { '*': { minReplicas: 20, weight: 1 } }, total: 60, clusters: AB, capacity: { B: 10 }, rebalance: true },
      { A: 50, B: 10 },
      { B: 15 },
    );
  });

  it('#12 with weight 0 hands out only minimums, in hash order, until the total runs out', () => {
    expectPlan({ prefs: { '*': { minReplicas: 20, weight: 0 } }, total: 50, clusters: ABC }, { A: 10, B: 20, C: 20 });
  });

  it("#13 serves the heavier cluster's large minimum first", () => {
    expectPlan(
      { prefs: { '*': { minReplicas: 20, weight: 0 }, A: { minReplicas: 100, weight: 1 } }, total: 50, clusters: ABC },
      { A: 50, B: 0, C: 0 },
    );
  });

  it('#14 stops every cluster at maxReplicas even if replicas remain unplaced', () => {
    expectPlan(
      { prefs: { '*': { minReplicas: 10, weight: 1, maxReplicas: 12 } }, total: 50, clusters: ABC },
      { A: 12, B: 12, C: 12 },
    );
  });

  it('#15 places nothing when all weights and minimums are 0', () => {
    expectPlan({ prefs: { '*': { weight: 0, maxReplicas: 2 } }, total: 50, clusters: ABC }, { A: 0, B: 0, C: 0 });
  });

  it('#16 splits by weight 1:2 and leaves the cluster without a preference at 0', () => {
    expectPlan({ prefs: { A: { weight: 1 }, B: { weight: 2 } }, total: 60, clusters: ABC }, { A: 20, B: 40, C: 0 });
  });

  it('#17 redistributes over several rounds as clusters hit their maximum', () => {
    expectPlan(
      {
        prefs: {
          A: { weight: 10000, maxReplicas: 10 },
          B: { weight: 1 },
          C: { weight: 1, maxReplicas: 21 },
          D: { weight: 1, maxReplicas: 10 },
          E: { weight: 1 },
        },
        total: 91,
        clusters: ['A', 'B', 'C', 'D', 'E'],
      },
      { A: 10, B: 25, C: 21, D: 10, E: 25 },
    );
  });

  it('#18 with rebalance combines max, capacity and overflow over several rounds', () => {
    expectPlan(
      {
        prefs: {
          A: { weight: 10000, maxReplicas: 10 },
          B: { weight: 1 },
          C: { weight: 1, maxReplicas: 21 },
          D: { weight: 1, maxReplicas: 10 },
        },
        total: 71,
        clusters: ['A', 'B', 'C', 'D'],
        capacity: { C: 10 },
        rebalance: true,
      },
      { A: 10, B: 41, C: 10, D: 10 },
      { C: 11 },
    );
  });
});

describe('planner: userguide examples (clusters A, B, C; total 9 unless stated)', () => {
  it('spreads 3/3/3 with "*: w1"', () => {
    expectPlan({ prefs: { '*': { weight: 1 } }, total: 9, clusters: ABC }, { A: 3, B: 3, C: 3 });
  });

  it('gives A3 B6 C0 for A: w1, B: w2', () => {
    expectPlan({ prefs: { A: { weight: 1 }, B: { weight: 2 } }, total: 9, clusters: ABC }, { A: 3, B: 6, C: 0 });
  });

  it('gives A4 B5 C0 for A: min4 max6 w1, B: min4 max8 w2', () => {
    expectPlan(
      {
        prefs: { A: { minReplicas: 4, maxReplicas: 6, weight: 1 }, B: { minReplicas: 4, maxReplicas: 8, weight: 2 } },
        total: 9,
        clusters: ABC,
      },
      { A: 4, B: 5, C: 0 },
    );
  });

  it('splits 50 as 16/17/17 with "*: w1, C: max20 w1" when all clusters are up (who gets 16 depends on the key)', () => {
    const prefs = { '*': { weight: 1 }, C: { maxReplicas: 20, weight: 1 } };
    const result = run({ prefs, total: 50, clusters: ABC, key: 'ns/web' });
    assert.deepEqual(
      Object.values(result.plan).sort((a, b) => a - b),
      [16, 17, 17],
    );
  });

  it('gives A30 C20 when B is offline, and C20 alone when A and B are offline', () => {
    const prefs = { '*': { weight: 1 }, C: { maxReplicas: 20, weight: 1 } };
    expectPlan({ prefs, total: 50, clusters: ['A', 'C'], key: 'ns/web' }, { A: 30, C: 20 });
    expectPlan({ prefs, total: 50, clusters: ['C'], key: 'ns/web' }, { C: 20 });
  });
});

describe('planner: properties', () => {
  it('rounds every share up from the same remainder, so 10 over three equal clusters is 4/4/2 (derived)', () => {
    // Hash order with key "" is C, B, A: C and B get ceil(10/3) = 4, A gets what is left.
    expectPlan({ prefs: { '*': { weight: 1 } }, total: 10, clusters: ABC }, { A: 2, B: 4, C: 4 });
  });

  it('gives a cluster without its own entry and without "*" a 0 in the plan', () => {
    expectPlan({ prefs: { A: { weight: 1 } }, total: 5, clusters: ['A', 'Z'] }, { A: 5, Z: 0 });
  });

  it('prefers a cluster\'s own entry over "*"', () => {
    expectPlan({ prefs: { '*': { weight: 1 }, A: { weight: 0 } }, total: 6, clusters: ABC }, { A: 0, B: 3, C: 3 });
  });

  it('gives weight-0 clusters only their minimums and what they already run', () => {
    expectPlan(
      { prefs: { A: { weight: 0, minReplicas: 1 }, B: { weight: 1 } }, total: 10, clusters: AB, current: { A: 4 } },
      { A: 4, B: 6 },
    );
  });

  it('moves running replicas when rebalance is true', () => {
    expectPlan(
      { prefs: { '*': { weight: 1 } }, total: 50, clusters: ABC, current: { C: 30 }, rebalance: true },
      { A: 16, B: 17, C: 17 },
    );
  });

  it('caps kept replicas at maxReplicas and capacity', () => {
    expectPlan(
      { prefs: { '*': { weight: 1, maxReplicas: 20 } }, total: 50, clusters: AB, current: { A: 40 } },
      { A: 20, B: 20 },
    );
    expectPlan(
      { prefs: { '*': { weight: 0 } }, total: 50, clusters: AB, current: { A: 40 }, capacity: { A: 15 } },
      { A: 15, B: 0 },
    );
  });

  it('treats maxReplicas null like an absent maximum', () => {
    expectPlan({ prefs: { '*': { weight: 1, maxReplicas: null } }, total: 4, clusters: AB }, { A: 2, B: 2 });
  });

  it('accepts Maps as well as objects for current replicas and capacity', () => {
    const asObject = run({
      prefs: { '*': { weight: 1 } },
      total: 50,
      clusters: ABC,
      current: { C: 30 },
      capacity: { A: 5 },
    });
    const asMap = run({
      prefs: { '*': { weight: 1 } },
      total: 50,
      clusters: ABC,
      current: new Map([['C', 30]]),
      capacity: new Map([['A', 5]]),
    });
    assert.deepEqual(asMap, asObject);
  });

  it('places nothing with no candidate clusters and zero replicas everywhere with total 0', () => {
    expectPlan({ prefs: { '*': { weight: 1 } }, total: 9, clusters: [] }, {});
    expectPlan({ prefs: { '*': { weight: 1 } }, total: 0, clusters: AB }, { A: 0, B: 0 });
  });

  it('does not take preferences from Object.prototype for a cluster named "constructor"', () => {
    expectPlan({ prefs: { A: { weight: 1 } }, total: 3, clusters: ['A', 'constructor'] }, { A: 3, constructor: 0 });
  });

  it('keeps large weights exact', () => {
    expectPlan({ prefs: { A: { weight: 2 ** 52 }, B: { weight: 2 ** 52 } }, total: 3, clusters: AB }, { A: 1, B: 2 });
  });

  it('does not change its inputs', () => {
    const prefs = { '*': { weight: 1 } };
    const current = { C: 30 };
    const clusters = [...ABC];
    run({ prefs, total: 50, clusters, current });
    assert.deepEqual(prefs, { '*': { weight: 1 } });
    assert.deepEqual(current, { C: 30 });
    assert.deepEqual(clusters, ABC);
  });
});
