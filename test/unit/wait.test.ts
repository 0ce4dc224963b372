// The wait of `propagate --wait` (src/engine/wait.ts) against the strict fake cluster: which
// requests it makes, when it stops, and what it reports. The watch itself is tested against real
// API servers in test/integration/wait.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../src/api/objects.js';
import { CONFIG_MAPS, DEPLOYMENTS } from '../../src/api/resources.js';
import { formatDuration, waitForReady, type WaitTarget } from '../../src/engine/wait.js';
import { FakeCluster } from '../fakes/cluster-client.js';

const managed = { 'kubefed.io/managed': 'true' };

function configMap(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'ns', labels: managed }, data: {} };
}

function deployment(name: string, available: number): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'ns', labels: managed, generation: 1 },
    spec: { replicas: 2 },
    status: {
      observedGeneration: 1,
      replicas: 2,
      updatedReplicas: 2,
      availableReplicas: available,
      conditions: [{ type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'not yet' }],
    },
  };
}

function target(
  client: FakeCluster | undefined,
  object: KubeObject,
  cluster = client?.clusterName ?? 'c1',
): WaitTarget {
  const type = object.kind === 'Deployment' ? DEPLOYMENTS : CONFIG_MAPS;
  return {
    cluster,
    client,
    type,
    typeName: object.kind === 'Deployment' ? 'deployments.apps' : 'configmaps',
    namespace: 'ns',
    name: object.metadata.name ?? '',
  };
}

describe('waitForReady', () => {
  it('objects ready at the first list need no watch: one list per type and namespace', async () => {
    const objects = [configMap('a'), configMap('b'), configMap('c')];
    const c1 = new FakeCluster(
      'c1',
      ['list', 'watch'],
      objects.map((object) => ({ type: CONFIG_MAPS, object })),
    );
    const report = await waitForReady(
      objects.map((o) => target(c1, o)),
      { timeoutMs: 60_000 },
    );
    assert.deepEqual(
      c1.calls.map((c) => `${c.method} ${c.target}`),
      ['list configmaps/ns'],
    );
    assert.deepEqual(
      { objects: report.objects, ready: report.ready, notReady: report.notReady },
      {
        objects: 3,
        ready: 3,
        notReady: [],
      },
    );
    assert.ok(report.elapsedMs < 5_000);
  });

  it('an object that does not become ready is watched until the deadline, then reported with its conditions', async () => {
    const web = deployment('web', 0);
    const c1 = new FakeCluster('c1', ['list', 'watch'], [{ type: DEPLOYMENTS, object: web }]);
    const progress: string[] = [];
    const report = await waitForReady([target(c1, web)], {
      timeoutMs: 300,
      progress: (l) => progress.push(l),
    });
    assert.deepEqual(c1.targets('watch'), ['deployments/ns']);
    assert.ok(report.elapsedMs >= 300 && report.elapsedMs < 3_000, `${report.elapsedMs} ms`);
    assert.deepEqual(report.notReady, [
      {
        cluster: 'c1',
        type: 'deployments.apps',
        kind: 'Deployment',
        namespace: 'ns',
        name: 'web',
        state: 'pending',
        reason: 'RolloutInProgress',
        message: '0 of 2 updated replicas available',
        conditions: [{ type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'not yet' }],
      },
    ]);
    assert.equal(progress[0], 'waiting up to 300ms for 1 object(s) in 1 cluster(s) to be ready');
  });

  it('--wait=0 lists once and never watches', async () => {
    const web = deployment('web', 1);
    const c1 = new FakeCluster('c1', ['list'], [{ type: DEPLOYMENTS, object: web }]);
    const report = await waitForReady([target(c1, web)], { timeoutMs: 0 });
    assert.deepEqual(c1.targets('list'), ['deployments/ns']);
    assert.equal(report.notReady[0]?.message, '1 of 2 updated replicas available');
  });

  it('a missing object is pending (NotFound); a cluster without a client is unknown, and neither hangs', async () => {
    const c1 = new FakeCluster('c1', ['list', 'watch']);
    const report = await waitForReady([target(c1, configMap('gone')), target(undefined, configMap('a'), 'c2')], {
      timeoutMs: 200,
    });
    assert.deepEqual(
      report.notReady.map((o) => [o.cluster, o.state, o.reason]),
      [
        ['c1', 'pending', 'NotFound'],
        ['c2', 'unknown', 'ClusterUnreadable'],
      ],
    );
    assert.equal(report.ready, 0);
  });
});

describe('formatDuration', () => {
  it('prints durations as they are typed', () => {
    assert.deepEqual([300_000, 90_000, 5_000, 1_500, 3_600_000, 250].map(formatDuration), [
      '5m',
      '1m30s',
      '5s',
      '1.5s',
      '1h',
      '250ms',
    ]);
  });
});
