// The policy.kubefed.io/v1alpha1 API: PlacementPolicy (which clusters matching resources may go to)
// and PropagationPolicy / ClusterPropagationPolicy (plain manifests, propagated). Pure data.
// docs/policy.md describes every field; schemas/*policy.json hold the same shapes as CRD schemas.
import type { V1LabelSelector } from '@kubernetes/client-node';
import type { HasMetadata } from './objects.js';

export const POLICY_GROUP = 'policy.kubefed.io';
export const POLICY_VERSION = 'v1alpha1';
export const POLICY_API_VERSION = `${POLICY_GROUP}/${POLICY_VERSION}`;

export const PLACEMENT_POLICY_KIND = 'PlacementPolicy';
export const PROPAGATION_POLICY_KIND = 'PropagationPolicy';
export const CLUSTER_PROPAGATION_POLICY_KIND = 'ClusterPropagationPolicy';
export const POLICY_KINDS = [PLACEMENT_POLICY_KIND, PROPAGATION_POLICY_KIND, CLUSTER_PROPAGATION_POLICY_KIND] as const;
export type PolicyKind = (typeof POLICY_KINDS)[number];

/** True for the kinds of policy.kubefed.io. */
export function isPolicyKind(kind: unknown): kind is PolicyKind {
  return (POLICY_KINDS as readonly unknown[]).includes(kind);
}

/**
 * The per-cluster status word of a cluster that a PlacementPolicy under Enforce took out of an
 * object's placement. Not one of KubeFed's words: KubeFed never had policies.
 */
export const NOT_ALLOWED_BY_POLICY = 'NotAllowedByPolicy';

/** Which resources a policy is about. Every field given must match; an absent field matches anything. */
export interface ResourceSelector {
  /** `group/version` or `v1`; a selector with only a group (`apps/*` is not supported) matches exactly. */
  apiVersion?: string;
  kind?: string;
  /** ClusterPropagationPolicy and PlacementPolicy only: a PropagationPolicy selects in its own namespace. */
  namespace?: string;
  name?: string;
  labelSelector?: V1LabelSelector;
  /** PlacementPolicy only: labels of the resource's namespace. */
  namespaceSelector?: V1LabelSelector;
}

/** A set of member clusters: the named ones together with those the selector matches. */
export interface ClusterTargets {
  clusters?: { name: string }[];
  clusterSelector?: V1LabelSelector;
}

/** A typed override of container images: each given part replaces that part of every image. */
export interface ImageOverride {
  registry?: string;
  repository?: string;
  tag?: string;
  /** Only the containers (and init containers) of these names; absent = all. */
  containers?: string[];
}

/** One override of a propagation policy: for the target clusters, JSON-patch ops then typed ones. */
export interface PolicyOverride {
  /** Absent = every cluster the object is placed in. */
  targetClusters?: ClusterTargets;
  /** KubeFed's ops (add / remove / replace, op defaults to replace), with KubeFed's rules. */
  clusterOverrides?: { op?: string; path: string; value?: unknown }[];
  image?: ImageOverride;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  replicas?: number;
}

/** A ReplicaSchedulingPreference's spec without targetKind (the selected object's kind gives it). */
export interface ReplicaSchedulingSpec {
  totalReplicas: number;
  rebalance?: boolean;
  intersectWithClusterSelector?: boolean;
  clusters?: Record<string, { minReplicas?: number; maxReplicas?: number; weight?: number }>;
}

export interface PropagationPolicySpec {
  priority?: number;
  resourceSelectors: ResourceSelector[];
  /** KubeFed's placement: a cluster list (wins when present) or a cluster selector. */
  placement: { clusters?: { name: string }[]; clusterSelector?: V1LabelSelector };
  overrides?: PolicyOverride[];
  replicaScheduling?: ReplicaSchedulingSpec;
  /** KubeFed's retainReplicas: member copies keep their own spec.replicas (e.g. set by an autoscaler). */
  retainReplicas?: boolean;
}

export interface PropagationPolicy extends HasMetadata {
  apiVersion: typeof POLICY_API_VERSION;
  kind: typeof PROPAGATION_POLICY_KIND | typeof CLUSTER_PROPAGATION_POLICY_KIND;
  spec: PropagationPolicySpec;
}

export type Enforcement = 'Enforce' | 'Audit';

export interface PlacementPolicySpec {
  resourceSelectors: ResourceSelector[];
  /** Absent = every cluster is allowed (only deniedClusters restricts). */
  allowedClusters?: ClusterTargets;
  deniedClusters?: ClusterTargets;
  /** Default Enforce. */
  enforcement?: Enforcement;
}

/** One cluster a PlacementPolicy does not allow for one resource, as planning receives it. */
export interface PlacementLimit {
  cluster: string;
  /** `PlacementPolicy name`. */
  policy: string;
  enforcement: Enforcement;
}

export interface PlacementPolicy extends HasMetadata {
  apiVersion: typeof POLICY_API_VERSION;
  kind: typeof PLACEMENT_POLICY_KIND;
  spec: PlacementPolicySpec;
}
