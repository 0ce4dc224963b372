// Cluster health: conditions per probe outcome, KubeFed's threshold table (spec §8.2), topology.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  adjustForThresholds,
  clusterStatus,
  conditionsFor,
  isReady,
  topologyFromNodes,
  type ClusterCondition,
} from '../../src/federation/health.js';

const thresholds = { failureThreshold: 3, successThreshold: 1 };
const ready = (probe: string, transition: string): ClusterCondition[] => [
  {
    type: 'Ready',
    status: 'True',
    reason: 'ClusterReady',
    message: '/healthz responded with ok',
    lastProbeTime: probe,
    lastTransitionTime: transition,
  },
];
const notReady = (at: string) => conditionsFor({ kind: 'not-ok', body: 'nope' }, at);

describe('probe conditions', () => {
  it('ok gives Ready=True only', () => {
    assert.deepEqual(conditionsFor({ kind: 'ok' }, 't1'), ready('t1', 't1'));
  });
  it('a body that is not ok gives Ready=False and Offline=False', () => {
    assert.deepEqual(
      notReady('t1').map((c) => [c.type, c.status, c.reason]),
      [
        ['Ready', 'False', 'ClusterNotReady'],
        ['Offline', 'False', 'ClusterReachable'],
      ],
    );
  });
  it('an unreachable cluster gives Offline=True with the error, and no Ready condition', () => {
    const c = conditionsFor({ kind: 'unreachable', error: 'connect ECONNREFUSED' }, 't1');
    assert.deepEqual(
      c.map((x) => [x.type, x.status, x.reason]),
      [['Offline', 'True', 'ClusterNotReachable']],
    );
    assert.match(c[0]?.message ?? '', /ECONNREFUSED/);
    assert.equal(isReady(c), false);
  });
  it('a cluster without usable credentials gives ConfigMalformed', () => {
    assert.deepEqual(
      conditionsFor({ kind: 'malformed', error: 'no token' }, 't1').map((x) => [x.type, x.reason]),
      [['ConfigMalformed', 'ClusterConfigMalformed']],
    );
  });
});

describe('threshold adjustment (controller_test.go table, failure 3, success 1)', () => {
  it('Ready@t1 with no stored status: reported as is, run 1', () => {
    assert.deepEqual(adjustForThresholds(ready('t1', 't1'), { run: 0 }, thresholds, 't1'), {
      report: ready('t1', 't1'),
      run: 1,
    });
  });
  it('NotReady@t1 with no stored status: reported as is, run 1', () => {
    assert.deepEqual(adjustForThresholds(notReady('t1'), { run: 0 }, thresholds, 't1'), {
      report: notReady('t1'),
      run: 1,
    });
  });
  it('NotReady@t3 after Ready reported twice: still Ready (t3, t1), run 3', () => {
    assert.deepEqual(adjustForThresholds(notReady('t3'), { previous: ready('t2', 't1'), run: 2 }, thresholds, 't3'), {
      report: ready('t3', 't1'),
      run: 3,
    });
  });
  it('NotReady@t4 after Ready reported three times: NotReady (t4, t4), run 1', () => {
    assert.deepEqual(adjustForThresholds(notReady('t4'), { previous: ready('t3', 't1'), run: 3 }, thresholds, 't4'), {
      report: notReady('t4'),
      run: 1,
    });
  });
  it('Ready@t5 after NotReady reported once: Ready (t5, t5), run 1', () => {
    const previous = notReady('t4').map((c) => ({ ...c, lastTransitionTime: 't1' }));
    assert.deepEqual(adjustForThresholds(ready('t5', 't5'), { previous, run: 1 }, thresholds, 't5'), {
      report: ready('t5', 't5'),
      run: 1,
    });
  });
  it('the same state again keeps the first transition time and counts up', () => {
    assert.deepEqual(
      adjustForThresholds(ready('t9', 't9'), { previous: ready('t8', 't1'), run: 4 }, thresholds, 't9'),
      { report: ready('t9', 't1'), run: 5 },
    );
  });
});

describe('topology and status', () => {
  it("zones are sorted and unique; the region is the first node's; new labels win over old ones", () => {
    const nodes: { metadata: { labels?: Record<string, string> } }[] = [
      { metadata: { labels: { 'topology.kubernetes.io/zone': 'b', 'topology.kubernetes.io/region': 'eu' } } },
      {
        metadata: {
          labels: { 'failure-domain.beta.kubernetes.io/zone': 'a', 'failure-domain.beta.kubernetes.io/region': 'us' },
        },
      },
      { metadata: { labels: { 'topology.kubernetes.io/zone': 'b' } } },
      { metadata: {} },
    ];
    assert.deepEqual(topologyFromNodes(nodes), { zones: ['a', 'b'], region: 'eu' });
  });
  it('a ready cluster keeps stored zones and region when its nodes have none; a not ready one reports conditions only', () => {
    const stored = { zones: ['z1'], region: 'r1', kubernetesVersion: 'v1.33.0' };
    assert.deepEqual(clusterStatus(ready('t', 't'), stored, { zones: [] }, 'v1.34.4'), {
      conditions: ready('t', 't'),
      zones: ['z1'],
      region: 'r1',
      kubernetesVersion: 'v1.34.4',
    });
    assert.deepEqual(clusterStatus(notReady('t'), stored, undefined, undefined), { conditions: notReady('t') });
  });
});
