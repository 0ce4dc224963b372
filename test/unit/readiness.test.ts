// The readiness rules of `propagate --wait` (src/federation/readiness.ts), one vector per rule.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../src/api/objects.js';
import { conditionsOf, readinessOf, type ReadinessState } from '../../src/federation/readiness.js';

function obj(apiVersion: string, kind: string, rest: Record<string, unknown> = {}, generation?: number): KubeObject {
  return { apiVersion, kind, metadata: { name: 'x', ...(generation ? { generation } : {}) }, ...rest };
}

const cond = (type: string, status: string, reason?: string, message?: string) => ({
  type,
  status,
  ...(reason ? { reason } : {}),
  ...(message ? { message } : {}),
});

function deployment(status: Record<string, unknown>, replicas = 2, generation = 3): KubeObject {
  return obj('apps/v1', 'Deployment', { spec: { replicas }, status }, generation);
}

const rolledOut = { observedGeneration: 3, replicas: 2, updatedReplicas: 2, availableReplicas: 2, readyReplicas: 2 };

/** [what, object, expected state, expected reason] */
type Vector = [string, KubeObject | undefined, ReadinessState, string];

const vectors: Vector[] = [
  ['a missing object is pending', undefined, 'pending', 'NotFound'],
  [
    'an object being deleted has failed',
    { ...obj('v1', 'ConfigMap'), metadata: { name: 'x', deletionTimestamp: '2026-01-01T00:00:00Z' } },
    'failed',
    'Terminating',
  ],
  // Deployment
  ['Deployment rolled out', deployment(rolledOut), 'ready', 'RolledOut'],
  ['Deployment without status yet', deployment({}), 'pending', 'NotObserved'],
  [
    'Deployment: older generation observed',
    deployment({ ...rolledOut, observedGeneration: 2 }),
    'pending',
    'NotObserved',
  ],
  [
    'Deployment: newer generation observed counts',
    deployment({ ...rolledOut, observedGeneration: 4 }),
    'ready',
    'RolledOut',
  ],
  [
    'Deployment: fewer updated replicas than wanted',
    deployment({ ...rolledOut, updatedReplicas: 1 }),
    'pending',
    'RolloutInProgress',
  ],
  [
    'Deployment: old replicas still terminating',
    deployment({ ...rolledOut, replicas: 3 }),
    'pending',
    'RolloutInProgress',
  ],
  [
    'Deployment: updated replicas not available',
    deployment({ ...rolledOut, availableReplicas: 1 }),
    'pending',
    'RolloutInProgress',
  ],
  [
    'Deployment: ProgressDeadlineExceeded has failed',
    deployment({
      ...rolledOut,
      availableReplicas: 0,
      conditions: [
        cond('Progressing', 'False', 'ProgressDeadlineExceeded', 'ReplicaSet "web-1" has timed out progressing.'),
      ],
    }),
    'failed',
    'ProgressDeadlineExceeded',
  ],
  [
    'Deployment: a deadline exceeded by an older generation is not a failure of the new one',
    deployment({
      ...rolledOut,
      observedGeneration: 2,
      conditions: [cond('Progressing', 'False', 'ProgressDeadlineExceeded')],
    }),
    'pending',
    'NotObserved',
  ],
  [
    'Deployment without spec.replicas wants 1',
    obj(
      'apps/v1',
      'Deployment',
      { spec: {}, status: { observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 1 } },
      1,
    ),
    'ready',
    'RolledOut',
  ],
  ['Deployment scaled to 0', deployment({ observedGeneration: 3 }, 0), 'ready', 'RolledOut'],
  // StatefulSet
  [
    'StatefulSet rolled out',
    obj(
      'apps/v1',
      'StatefulSet',
      {
        spec: { replicas: 2 },
        status: {
          observedGeneration: 1,
          readyReplicas: 2,
          updatedReplicas: 2,
          currentRevision: 'a',
          updateRevision: 'a',
        },
      },
      1,
    ),
    'ready',
    'RolledOut',
  ],
  [
    'StatefulSet: replicas not ready',
    obj(
      'apps/v1',
      'StatefulSet',
      {
        spec: { replicas: 2 },
        status: {
          observedGeneration: 1,
          readyReplicas: 1,
          updatedReplicas: 2,
          currentRevision: 'a',
          updateRevision: 'a',
        },
      },
      1,
    ),
    'pending',
    'RolloutInProgress',
  ],
  [
    'StatefulSet: a new revision still rolling out',
    obj(
      'apps/v1',
      'StatefulSet',
      {
        spec: { replicas: 2 },
        status: {
          observedGeneration: 1,
          readyReplicas: 2,
          updatedReplicas: 2,
          currentRevision: 'a',
          updateRevision: 'b',
        },
      },
      1,
    ),
    'pending',
    'RolloutInProgress',
  ],
  [
    'StatefulSet: status of an older generation',
    obj('apps/v1', 'StatefulSet', { spec: { replicas: 1 }, status: { observedGeneration: 1 } }, 2),
    'pending',
    'NotObserved',
  ],
  [
    'StatefulSet with OnDelete is not tracked',
    obj(
      'apps/v1',
      'StatefulSet',
      { spec: { replicas: 2, updateStrategy: { type: 'OnDelete' } }, status: { observedGeneration: 1 } },
      1,
    ),
    'ready',
    'RolledOut',
  ],
  [
    'StatefulSet partitioned: only the replicas above the partition must be updated',
    obj(
      'apps/v1',
      'StatefulSet',
      {
        spec: { replicas: 3, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } },
        status: {
          observedGeneration: 1,
          readyReplicas: 3,
          updatedReplicas: 1,
          currentRevision: 'a',
          updateRevision: 'b',
        },
      },
      1,
    ),
    'ready',
    'RolledOut',
  ],
  // DaemonSet
  [
    'DaemonSet rolled out',
    obj(
      'apps/v1',
      'DaemonSet',
      { status: { observedGeneration: 1, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3 } },
      1,
    ),
    'ready',
    'RolledOut',
  ],
  [
    'DaemonSet: not all updated',
    obj(
      'apps/v1',
      'DaemonSet',
      { status: { observedGeneration: 1, desiredNumberScheduled: 3, updatedNumberScheduled: 2, numberAvailable: 3 } },
      1,
    ),
    'pending',
    'RolloutInProgress',
  ],
  [
    'DaemonSet: not all available',
    obj(
      'apps/v1',
      'DaemonSet',
      { status: { observedGeneration: 1, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 1 } },
      1,
    ),
    'pending',
    'RolloutInProgress',
  ],
  // Job
  ['Job complete', obj('batch/v1', 'Job', { status: { conditions: [cond('Complete', 'True')] } }), 'ready', 'Complete'],
  [
    'Job failed',
    obj('batch/v1', 'Job', { status: { conditions: [cond('Failed', 'True', 'BackoffLimitExceeded')] } }),
    'failed',
    'JobFailed',
  ],
  ['Job running', obj('batch/v1', 'Job', { status: { active: 1 } }), 'pending', 'JobNotComplete'],
  [
    'Job: Complete False is not complete',
    obj('batch/v1', 'Job', { status: { conditions: [cond('Complete', 'False')] } }),
    'pending',
    'JobNotComplete',
  ],
  // CustomResourceDefinition
  [
    'CRD established',
    obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', {
      status: { conditions: [cond('Established', 'True')] },
    }),
    'ready',
    'Established',
  ],
  [
    'CRD not established yet',
    obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', { status: { conditions: [] } }),
    'pending',
    'NotEstablished',
  ],
  [
    'CRD whose names were refused',
    obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', {
      status: { conditions: [cond('NamesAccepted', 'False', 'MultipleNamesNotAllowed'), cond('Established', 'False')] },
    }),
    'failed',
    'NamesNotAccepted',
  ],
  // Service
  [
    'ClusterIP Service is ready when present',
    obj('v1', 'Service', { spec: { type: 'ClusterIP' } }),
    'ready',
    'Present',
  ],
  [
    'LoadBalancer Service without an address',
    obj('v1', 'Service', { spec: { type: 'LoadBalancer' }, status: { loadBalancer: {} } }),
    'pending',
    'NoLoadBalancerIngress',
  ],
  [
    'LoadBalancer Service with an address',
    obj('v1', 'Service', {
      spec: { type: 'LoadBalancer' },
      status: { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } },
    }),
    'ready',
    'LoadBalancerReady',
  ],
  // Namespace and the rest
  ['Namespace Active', obj('v1', 'Namespace', { status: { phase: 'Active' } }), 'ready', 'Present'],
  ['ConfigMap is ready when present', obj('v1', 'ConfigMap', { data: {} }), 'ready', 'Present'],
  [
    'a custom object with Ready True',
    obj('example.com/v1', 'Widget', { status: { conditions: [cond('Ready', 'True')] } }),
    'ready',
    'Ready',
  ],
  [
    'a custom object with Ready False',
    obj('example.com/v1', 'Widget', { status: { conditions: [cond('Ready', 'False', 'Pulling')] } }),
    'pending',
    'NotReady',
  ],
  [
    'Ready wins over Available',
    obj('example.com/v1', 'Widget', { status: { conditions: [cond('Available', 'True'), cond('Ready', 'False')] } }),
    'pending',
    'NotReady',
  ],
  [
    'Available when there is no Ready',
    obj('example.com/v1', 'Widget', { status: { conditions: [cond('Available', 'Unknown')] } }),
    'pending',
    'NotAvailable',
  ],
  [
    'other conditions alone do not count',
    obj('example.com/v1', 'Widget', { status: { conditions: [cond('Synced', 'False')] } }),
    'ready',
    'Present',
  ],
  [
    'a Deployment of another group is not a Deployment',
    obj('example.com/v1', 'Deployment', { spec: { replicas: 3 }, status: {} }),
    'ready',
    'Present',
  ],
];

describe('readinessOf', () => {
  for (const [what, object, state, reason] of vectors)
    it(what, () => {
      const r = readinessOf(object);
      assert.deepEqual({ state: r.state, reason: r.reason }, { state, reason });
      assert.ok(r.message.length > 0, 'every answer says why in words');
    });

  it('says how far a rollout is', () => {
    assert.equal(
      readinessOf(deployment({ ...rolledOut, availableReplicas: 1 })).message,
      '1 of 2 updated replicas available',
    );
    assert.equal(
      readinessOf(deployment({ ...rolledOut, observedGeneration: 2 })).message,
      'the controller has not observed generation 3 yet (observed: 2)',
    );
  });

  it('a failed Job carries its condition message', () => {
    const job = obj('batch/v1', 'Job', {
      status: {
        conditions: [cond('Failed', 'True', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit')],
      },
    });
    assert.equal(readinessOf(job).message, 'Job has reached the specified backoff limit');
  });
});

describe('conditionsOf', () => {
  it('keeps type, status, reason and message of well-formed entries only', () => {
    const o = obj('v1', 'X', {
      status: {
        conditions: [
          { type: 'Ready', status: 'False', reason: 'R', message: 'M', lastTransitionTime: 't' },
          { type: 'Synced', status: 'True', reason: '' },
          { status: 'True' },
          'junk',
        ],
      },
    });
    assert.deepEqual(conditionsOf(o), [cond('Ready', 'False', 'R', 'M'), cond('Synced', 'True')]);
  });

  it('is empty without status or conditions', () => {
    assert.deepEqual(conditionsOf(undefined), []);
    assert.deepEqual(conditionsOf(obj('v1', 'X', { status: { conditions: 'no' } })), []);
  });
});
