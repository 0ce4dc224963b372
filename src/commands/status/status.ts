// kubefedctl status: the fleet at a glance, from what propagate wrote plus one read per type per
// cluster for replica counts. Reads only. The row building is pure.
import type { V1DeploymentStatus } from '@kubernetes/client-node';
import type { FederatedObject } from '../../federation/federated-object.js';
import type { ClusterCondition } from '../../federation/health.js';
import type { KubeObject } from '../../api/objects.js';
import { NOT_ALLOWED_BY_POLICY } from '../../api/policy.js';

export interface ClusterRow {
  name: string;
  ready: string;
  reason?: string;
  kubernetesVersion?: string;
  region?: string;
  zones?: string[];
  lastProbe?: string;
  created?: string;
}

/** A KubeFedCluster as one row of `status clusters`. */
export function clusterRow(
  kfc: KubeObject & {
    status?: { conditions?: ClusterCondition[]; kubernetesVersion?: string; region?: string; zones?: string[] };
  },
): ClusterRow {
  const conditions = kfc.status?.conditions ?? [];
  const ready = conditions.find((c) => c.type === 'Ready');
  const offline = conditions.find((c) => c.type === 'Offline' && c.status === 'True');
  const malformed = conditions.find((c) => c.type === 'ConfigMalformed' && c.status === 'True');
  const state =
    ready?.status === 'True'
      ? 'True'
      : offline
        ? 'Offline'
        : malformed
          ? 'ConfigMalformed'
          : ready
            ? 'False'
            : 'Unknown';
  const reason = state === 'True' ? undefined : (offline ?? malformed ?? ready)?.message;
  const probe = conditions
    .map((c) => c.lastProbeTime)
    .sort()
    .at(-1);
  return {
    name: kfc.metadata.name ?? '',
    ready: state,
    ...(reason ? { reason } : {}),
    ...(kfc.status?.kubernetesVersion ? { kubernetesVersion: kfc.status.kubernetesVersion } : {}),
    ...(kfc.status?.region ? { region: kfc.status.region } : {}),
    ...(kfc.status?.zones?.length ? { zones: kfc.status.zones } : {}),
    ...(probe ? { lastProbe: probe } : {}),
    ...(kfc.metadata.creationTimestamp ? { created: kfc.metadata.creationTimestamp } : {}),
  };
}

export interface ResourceCell {
  /** "ok", a KubeFed status word, or "-" when the object is not placed there. */
  state: string;
  ready?: number;
  desired?: number;
  available?: number;
  /** The PlacementPolicy that took this cluster out (state NotAllowedByPolicy). */
  policy?: string;
}

export interface ResourceRow {
  type: string;
  kind: string;
  namespace?: string;
  name: string;
  /** "True", or the Propagation condition's reason; "Pending" before the first propagate. */
  propagation: string;
  observedGeneration?: number;
  generation?: number;
  clusters: Record<string, ResourceCell>;
}

/** The replica counts Deployment, ReplicaSet and StatefulSet status share (client-node's model). */
type ReplicaStatus = Pick<V1DeploymentStatus, 'replicas' | 'readyReplicas' | 'availableReplicas'>;

/**
 * One row per federated object: its Propagation condition and, per cluster, its status word and
 * replica counts (from remoteStatus when collected, else from the member object read now).
 */
export function resourceRow(
  type: string,
  fed: FederatedObject,
  clusterNames: string[],
  memberObjects: Map<string, KubeObject | undefined>,
): ResourceRow {
  const condition = fed.status?.conditions?.find((c) => c.type === 'Propagation');
  const propagation = !condition ? 'Pending' : condition.status === 'True' ? 'True' : (condition.reason ?? 'False');
  const byCluster = new Map((fed.status?.clusters ?? []).map((c) => [c.name, c]));
  const clusters: Record<string, ResourceCell> = {};
  for (const name of clusterNames) {
    const entry = byCluster.get(name);
    if (!entry) {
      clusters[name] = { state: '-' };
      continue;
    }
    const cell: ResourceCell = { state: entry.status || 'ok' };
    if (entry.status === NOT_ALLOWED_BY_POLICY) {
      const policy = (entry.remoteStatus as { placementPolicy?: unknown } | undefined)?.placementPolicy;
      clusters[name] = typeof policy === 'string' ? { ...cell, policy } : cell;
      continue;
    }
    const live = memberObjects.get(name);
    const status =
      (entry.remoteStatus as ReplicaStatus | undefined) ?? (live?.['status'] as ReplicaStatus | undefined) ?? undefined;
    const desired = (live?.['spec'] as { replicas?: number } | undefined)?.replicas ?? status?.replicas;
    if (desired !== undefined && status) {
      cell.desired = desired;
      cell.ready = status.readyReplicas ?? 0;
      cell.available = status.availableReplicas ?? 0;
    }
    clusters[name] = cell;
  }
  return {
    type,
    kind: fed.kind ?? '',
    ...(fed.metadata.namespace ? { namespace: fed.metadata.namespace } : {}),
    name: fed.metadata.name ?? '',
    propagation,
    ...(fed.status?.observedGeneration !== undefined ? { observedGeneration: fed.status.observedGeneration } : {}),
    ...(fed.metadata.generation !== undefined ? { generation: fed.metadata.generation } : {}),
    clusters,
  };
}

/** "ok 2/3" style cell text. */
export function cellText(cell: ResourceCell | undefined): string {
  if (!cell) return '-';
  if (cell.policy) return `${cell.state} (${cell.policy})`;
  return cell.desired !== undefined ? `${cell.state} ${cell.ready ?? 0}/${cell.desired}` : cell.state;
}
