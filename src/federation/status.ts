// The status KubeFed writes on a federated object: the Propagation condition, per-cluster status
// words and observedGeneration. Pure.
import type {
  ClusterPropagationStatus,
  FederatedObject,
  FederatedStatus,
  PropagationCondition,
} from './federated-object.js';
import type { AggregateReason } from './plan.js';
import { stableStringify } from './compare.js';
import { NOT_ALLOWED_BY_POLICY } from '../api/policy.js';

/** Per-cluster statuses that mean "the object there is not as desired". */
export const FAILED_CLUSTER_STATUSES = new Set([
  'ClusterNotReady',
  'CachedRetrievalFailed',
  'ComputeResourceFailed',
  'ApplyOverridesFailed',
  'CreationFailed',
  'UpdateFailed',
  'DeletionFailed',
  'LabelRemovalFailed',
  'RetrievalFailed',
  'AlreadyExists',
  'FieldRetentionFailed',
  'ClientRetrievalFailed',
  'ManagedLabelFalse',
  'CreationTimedOut',
  'UpdateTimedOut',
  'DeletionTimedOut',
  'LabelRemovalTimedOut',
]);

/**
 * Per-cluster words that do not make the Propagation condition False: the cluster is where it
 * should be. KubeFed's WaitingForRemoval stays a CheckClusters word, as in KubeFed; a cluster a
 * PlacementPolicy took out is as the policy wants it.
 */
export const SETTLED_STATUSES = new Set(['WaitingForRemoval', NOT_ALLOWED_BY_POLICY]);

export type StatusReason = AggregateReason | 'CheckClusters';

export interface StatusUpdate {
  status: FederatedStatus;
  changed: boolean;
  reason: StatusReason;
}

/**
 * Computes the new status from this run's per-cluster outcomes. `clusters` lists the clusters to
 * show (name -> status word, '' for OK). The condition's lastTransitionTime moves only when its
 * status or reason changes; lastUpdateTime also when the cluster list changed.
 */
export function computeStatus(
  fed: FederatedObject,
  aggregate: AggregateReason,
  clusters: Map<string, string>,
  now: Date,
  remote?: Map<string, unknown>,
): StatusUpdate {
  const old = fed.status ?? {};
  const list: ClusterPropagationStatus[] = [...clusters.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, status]) => ({
      name,
      ...(status ? { status } : {}),
      ...(remote?.get(name) !== undefined ? { remoteStatus: remote.get(name) } : {}),
    }));
  const reason: StatusReason =
    aggregate !== ''
      ? aggregate
      : list.some((c) => c.status && c.status !== NOT_ALLOWED_BY_POLICY)
        ? 'CheckClusters'
        : '';
  const conditionStatus = reason === '' ? 'True' : 'False';
  const stamp = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const conditions = [...(old.conditions ?? [])];
  const index = conditions.findIndex((c) => c.type === 'Propagation');
  const previous = index >= 0 ? conditions[index] : undefined;
  const clustersChanged = !sameClusters(old.clusters ?? [], list);
  const transitioned = !previous || previous.status !== conditionStatus || (previous.reason ?? '') !== reason;
  const condition: PropagationCondition = {
    type: 'Propagation',
    status: conditionStatus,
    ...(reason ? { reason } : {}),
    lastUpdateTime: transitioned || clustersChanged ? stamp : (previous?.lastUpdateTime ?? stamp),
    lastTransitionTime: transitioned ? stamp : (previous?.lastTransitionTime ?? stamp),
  };
  if (index >= 0) conditions[index] = condition;
  else conditions.push(condition);
  const generation = fed.metadata.generation ?? 0;
  const changed = transitioned || clustersChanged || (old.observedGeneration ?? 0) !== generation;
  return { status: { ...old, observedGeneration: generation, conditions, clusters: list }, changed, reason };
}

function sameClusters(a: ClusterPropagationStatus[], b: ClusterPropagationStatus[]): boolean {
  if (a.length !== b.length) return false;
  // Remote status compares by value (stable JSON), so key order from the API server does not matter.
  const key = (c: ClusterPropagationStatus) =>
    `${c.status ?? ''}|${c.remoteStatus === undefined ? '' : stableStringify(c.remoteStatus)}`;
  const byName = new Map(a.map((c) => [c.name, key(c)]));
  return b.every((c) => byName.get(c.name) === key(c));
}
