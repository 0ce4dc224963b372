// Which policies are about a resource, and which propagation policy wins when several select one
// object. Pure. The rules are in docs/policy.md ("Selecting resources", "When policies compete").
import { CLUSTER_PROPAGATION_POLICY_KIND, type PropagationPolicy, type ResourceSelector } from '../api/policy.js';
import { selectorMatches } from '../federation/placement.js';

/** What a selector looks at: the member object's type and identity, and its labels. */
export interface ResourceRef {
  apiVersion: string;
  kind: string;
  /** Absent for cluster-scoped objects (Namespaces included). */
  namespace?: string;
  name: string;
  labels: Record<string, string>;
}

/**
 * True when every field the selector gives matches. `namespaceLabels` are the labels of the
 * resource's namespace, for PlacementPolicy's namespaceSelector (unknown namespace: no labels).
 */
export function selectorSelects(
  selector: ResourceSelector,
  ref: ResourceRef,
  namespaceLabels: Record<string, string> = {},
): boolean {
  if (IDENTITY_FIELDS.some((f) => selector[f] !== undefined && selector[f] !== ref[f])) return false;
  if (selector.labelSelector && !selectorMatches(selector.labelSelector, ref.labels)) return false;
  // A namespaceSelector only matches namespaced resources.
  if (!selector.namespaceSelector) return true;
  return ref.namespace !== undefined && selectorMatches(selector.namespaceSelector, namespaceLabels);
}

/** The selector fields compared by equality. */
const IDENTITY_FIELDS = ['apiVersion', 'kind', 'namespace', 'name'] as const;

/**
 * How specific a matching selector is: a name beats a label selector, which beats a selector by
 * type (apiVersion/kind) alone. Used only to break a tie in priority.
 */
export function specificity(selector: ResourceSelector): number {
  if (selector.name !== undefined) return 3;
  if (selector.labelSelector !== undefined) return 2;
  return 1;
}

/** A propagation policy's claim on one object: its best matching selector. */
export interface PolicyMatch {
  policy: PropagationPolicy;
  /** `PropagationPolicy ns/name` or `ClusterPropagationPolicy name`, for messages and the report. */
  id: string;
  priority: number;
  specificity: number;
}

/** `Kind name` or `Kind namespace/name` of a policy. */
export function policyId(policy: { kind: string; metadata: { name?: string; namespace?: string } }): string {
  const { name, namespace } = policy.metadata;
  return `${policy.kind} ${namespace ? `${namespace}/` : ''}${name ?? ''}`;
}

/**
 * The propagation policies that select an object, best first: higher `priority`, then the more
 * specific selector, then a PropagationPolicy (namespaced, closer to the object) before a
 * ClusterPropagationPolicy, then policy name order. A PropagationPolicy selects only in its own
 * namespace.
 */
export function propagationMatches(ref: ResourceRef, policies: readonly PropagationPolicy[]): PolicyMatch[] {
  const matches: PolicyMatch[] = [];
  for (const policy of policies) {
    const namespaced = policy.kind !== CLUSTER_PROPAGATION_POLICY_KIND;
    if (namespaced && policy.metadata.namespace !== ref.namespace) continue;
    const hits = policy.spec.resourceSelectors.filter((s) => selectorSelects(s, ref));
    if (hits.length === 0) continue;
    matches.push({
      policy,
      id: policyId(policy),
      priority: policy.spec.priority ?? 0,
      specificity: Math.max(...hits.map(specificity)),
    });
  }
  return matches.sort(
    (a, b) =>
      b.priority - a.priority ||
      b.specificity - a.specificity ||
      rankOfKind(a.policy) - rankOfKind(b.policy) ||
      (a.policy.metadata.name ?? '').localeCompare(b.policy.metadata.name ?? ''),
  );
}

const rankOfKind = (p: PropagationPolicy): number => (p.kind === CLUSTER_PROPAGATION_POLICY_KIND ? 1 : 0);
