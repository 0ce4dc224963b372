// PlacementPolicy: which clusters a resource may go to. Every placement is intersected with every
// matching policy before planning (docs/policy.md, "Constraining placement"). Pure.
import type { ClusterTargets, PlacementLimit, PlacementPolicy } from '../api/policy.js';
import { selectorMatches } from '../federation/placement.js';
import type { MemberCluster } from '../federation/federated-object.js';
import { policyId, selectorSelects, type ResourceRef } from './select.js';

/** The clusters a target set names: listed by name, or matched by the selector (either is enough). */
export function inTargets(targets: ClusterTargets, cluster: Pick<MemberCluster, 'name' | 'labels'>): boolean {
  if ((targets.clusters ?? []).some((c) => c.name === cluster.name)) return true;
  return targets.clusterSelector ? selectorMatches(targets.clusterSelector, cluster.labels) : false;
}

/** True when the policy is about this resource. */
export function placementPolicyApplies(
  policy: PlacementPolicy,
  ref: ResourceRef,
  namespaceLabels?: Record<string, string>,
): boolean {
  return policy.spec.resourceSelectors.some((s) => selectorSelects(s, ref, namespaceLabels));
}

/**
 * Every (cluster, policy) pair where a policy about `ref` does not allow a cluster: the cluster is
 * not in `allowedClusters` (when given), or is in `deniedClusters`. Sorted by cluster, then policy;
 * a cluster forbidden by several policies appears once per policy.
 */
export function placementLimits(
  ref: ResourceRef,
  policies: readonly PlacementPolicy[],
  clusters: readonly Pick<MemberCluster, 'name' | 'labels'>[],
  namespaceLabels?: Record<string, string>,
): PlacementLimit[] {
  const limits: PlacementLimit[] = [];
  for (const policy of policies) {
    if (!placementPolicyApplies(policy, ref, namespaceLabels)) continue;
    const { allowedClusters, deniedClusters } = policy.spec;
    for (const cluster of clusters) {
      const allowed =
        (!allowedClusters || inTargets(allowedClusters, cluster)) &&
        !(deniedClusters && inTargets(deniedClusters, cluster));
      if (!allowed)
        limits.push({
          cluster: cluster.name,
          policy: policyId(policy),
          enforcement: policy.spec.enforcement ?? 'Enforce',
        });
    }
  }
  return limits.sort((a, b) => a.cluster.localeCompare(b.cluster) || a.policy.localeCompare(b.policy));
}

/** The clusters enforced limits take away, each with the first policy that forbids it. */
export function enforcedLimits(limits: readonly PlacementLimit[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const l of limits) if (l.enforcement === 'Enforce' && !out.has(l.cluster)) out.set(l.cluster, l.policy);
  return out;
}

export type { PlacementLimit };
