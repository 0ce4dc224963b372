// The shape of a Federated<Kind> object, and the cluster facts placement works from.
import type { V1LabelSelector, V1LabelSelectorRequirement } from '@kubernetes/client-node';
import type { KubeObject } from '../api/objects.js';

/** meta/v1 label selectors (client-node's models), as a placement's clusterSelector holds them. */
export type LabelSelectorRequirement = V1LabelSelectorRequirement;
export type LabelSelector = V1LabelSelector;

export interface Placement {
  clusters?: { name: string }[] | null;
  clusterSelector?: LabelSelector | null;
}

export interface ClusterOverride {
  op?: string;
  path: string;
  value?: unknown;
}

export interface Override {
  clusterName: string;
  clusterOverrides?: ClusterOverride[];
}

export interface FederatedSpec {
  template?: Record<string, unknown>;
  placement?: Placement;
  overrides?: Override[];
  retainReplicas?: boolean;
}

export interface PropagationCondition {
  type: string;
  status: string;
  reason?: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
}

export interface ClusterPropagationStatus {
  name: string;
  status?: string;
  remoteStatus?: unknown;
}

export interface FederatedStatus {
  observedGeneration?: number;
  conditions?: PropagationCondition[];
  clusters?: ClusterPropagationStatus[];
}

export interface FederatedObject extends KubeObject {
  spec: FederatedSpec;
  status?: FederatedStatus;
}

/** A member cluster as placement and planning see it. */
export interface MemberCluster {
  name: string;
  labels: Record<string, string>;
  ready: boolean;
  /** Why it is not ready, for the report. */
  notReadyReason?: string;
}

/** `namespace/name`, or `name` for cluster-scoped objects. */
export function qualifiedName(meta: { name?: string; namespace?: string }): string {
  return meta.namespace ? `${meta.namespace}/${meta.name ?? ''}` : (meta.name ?? '');
}
