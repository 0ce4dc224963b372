// File mode's policies: PlacementPolicies are kept for planning; plain manifests become the
// Federated<Kind> objects their PropagationPolicies make of them (docs/policy.md). Reads nothing,
// writes nothing: every problem comes back as a line naming the file, object and field.
import type { KubeObject } from '../api/objects.js';
import {
  CLUSTER_PROPAGATION_POLICY_KIND,
  PLACEMENT_POLICY_KIND,
  type PlacementLimit,
  type PlacementPolicy,
  type PropagationPolicy,
} from '../api/policy.js';
import type { FederatedObject, MemberCluster } from '../federation/federated-object.js';
import { qualifiedName } from '../federation/federated-object.js';
import type { FederatedTypeConfig } from '../federation/typeconfig.js';
import { enforcedLimits, placementLimits } from '../policy/constrain.js';
import {
  candidateClusters,
  implicitNamespaces,
  propagateByPolicy,
  refOfFederated,
  refOfObject,
  type PolicyPropagation,
} from '../policy/propagation.js';
import { propagationMatches, type ResourceRef } from '../policy/select.js';
import { describeSource, type SourcedDocument } from '../util/documents.js';
import { defaultTypeConfigForKind, defaultTypeConfigForTarget } from './builtin-types.js';

/** What the report says of an object's policies. */
export interface PolicyNote {
  /** The propagation policy that placed a plain object. */
  placedBy?: string;
  /** The propagation policy whose overrides changed it in some cluster (the one that placed it). */
  overriddenBy?: string;
  /** Other propagation policies that selected it and lost. */
  outranked?: string[];
}

/** Key of a federated object in notes: its kind and `namespace/name`. */
export const noteKey = (fed: { kind?: string; metadata: { name?: string; namespace?: string } }): string =>
  `${fed.kind ?? ''}/${qualifiedName(fed.metadata)}`;

export interface PlainInput {
  /** Plain objects of the input (any kind that is not federated, control-plane or a policy). */
  plain: { doc: KubeObject; source: SourcedDocument }[];
  propagationPolicies: PropagationPolicy[];
  placementPolicies: PlacementPolicy[];
  /** Type configs by target `group/kind` (`/ConfigMap`, `apps/Deployment`). */
  typeConfigs: Map<string, FederatedTypeConfig>;
  clusters: readonly MemberCluster[];
  /** FederatedNamespaces already in the input, by namespace. */
  federatedNamespaces: ReadonlyMap<string, FederatedObject>;
  /** Labels of the namespaces the input knows, for namespaceSelectors. */
  namespaceLabels: ReadonlyMap<string, Record<string, string>>;
  /** The namespace of a namespaced object that names none (-n, else "default"), as kubectl does. */
  defaultNamespace: string;
  /** Whether namespaces are federated (Cluster scope): then missing FederatedNamespaces are made. */
  federateNamespaces: boolean;
}

export interface PlainOutput {
  objects: { doc: FederatedObject; source: SourcedDocument }[];
  rsps: { doc: KubeObject; source: SourcedDocument }[];
  notes: Map<string, PolicyNote>;
  /** Names of the FederatedNamespaces made for namespaces the input did not federate. */
  implicitNamespaces: Set<string>;
  issues: string[];
  warnings: string[];
}

/** `group/Kind` of a target type. */
export const targetTypeKey = (group: string | undefined, kind: string): string => `${group ?? ''}/${kind}`;

/** Propagates every plain object by the policy that wins it. */
export function propagatePlainObjects(input: PlainInput): PlainOutput {
  const out: PlainOutput = {
    objects: [],
    rsps: [],
    notes: new Map(),
    implicitNamespaces: new Set(),
    issues: [],
    warnings: [],
  };
  /** Per namespace without a FederatedNamespace: the clusters its objects may go to. */
  const placedIn = new Map<string, Set<string>>();
  for (const plain of input.plain) {
    const made = propagateOne(plain, input, out);
    if (made) needNamespace(placedIn, made, input);
  }
  // Namespaces the input federates through a plain Namespace object were added above as objects.
  for (const o of out.objects) if (o.doc.kind === 'FederatedNamespace') placedIn.delete(o.doc.metadata.name ?? '');
  if (input.federateNamespaces) addImplicitNamespaces(placedIn, input, out);
  return out;
}

/** Records where the namespace of a propagated object is needed, unless the input federates it. */
function needNamespace(
  placedIn: Map<string, Set<string>>,
  made: { ref: ResourceRef; ftc: FederatedTypeConfig; result: PolicyPropagation },
  input: PlainInput,
): void {
  const ns = made.ref.namespace;
  if (!ns || input.federatedNamespaces.has(ns)) return;
  const set = placedIn.get(ns) ?? new Set<string>();
  for (const c of allowedClusters(made, input)) set.add(c);
  placedIn.set(ns, set);
}

/** The clusters a propagated object may go to and PlacementPolicies allow: where its namespace is needed. */
function allowedClusters(made: { ftc: FederatedTypeConfig; result: PolicyPropagation }, input: PlainInput): string[] {
  const forbidden = enforcedLimits(limitsOf(made.result.federated, made.ftc, input.clusters, input));
  return [...candidateClusters(made.result, input.clusters)].filter((c) => !forbidden.has(c));
}

/** A FederatedNamespace for each namespace in `placedIn`, placed in its clusters. */
function addImplicitNamespaces(placedIn: Map<string, Set<string>>, input: PlainInput, out: PlainOutput): void {
  if (placedIn.size === 0) return;
  const namespaceFtc =
    input.typeConfigs.get(targetTypeKey('', 'Namespace')) ??
    defaultTypeConfigForKind({ apiVersion: 'types.kubefed.io/v1beta1', kind: 'FederatedNamespace' })!;
  for (const fns of implicitNamespaces(placedIn, input.clusters, namespaceFtc)) {
    const first = out.objects.find((o) => o.doc.metadata.namespace === fns.metadata.name);
    out.objects.push({ doc: fns, source: first!.source });
    out.implicitNamespaces.add(fns.metadata.name ?? '');
  }
}

/** One plain object: its type config, the policy that wins it, and the Federated<Kind> it makes. */
function propagateOne(
  { doc, source }: PlainInput['plain'][number],
  input: PlainInput,
  out: PlainOutput,
): { ref: ResourceRef; ftc: FederatedTypeConfig; result: PolicyPropagation } | undefined {
  const where = `${describeSource(source)}: ${doc.kind ?? ''} ${qualifiedName(doc.metadata)}`;
  const ftc = typeConfigOf(doc, input.typeConfigs);
  if (!ftc) {
    out.issues.push(`${where}: kind: ${noTypeConfig(doc)}`);
    return undefined;
  }
  if (ftc.spec.targetType.scope === 'Namespaced' && !doc.metadata.namespace)
    doc.metadata = { ...doc.metadata, namespace: input.defaultNamespace };
  const label = `${describeSource(source)}: ${doc.kind ?? ''} ${qualifiedName(doc.metadata)}`;
  const ref = refOfObject(doc);
  const matches = propagationMatches(ref, input.propagationPolicies);
  const [winner, ...losers] = matches;
  if (!winner) {
    out.issues.push(`${label}: ${unselected(doc)}`);
    return undefined;
  }
  if (losers.length > 0)
    out.warnings.push(
      `${label}: selected by ${matches.length} policies; ${winner.id} wins over ${losers.map((m) => m.id).join(', ')} (${TIE_BREAK})`,
    );
  const result = propagateByPolicy(doc, ftc, matches, input.clusters);
  out.issues.push(...result.problems.map((p) => `${label}: ${winner.id}: ${p}`));
  if (result.problems.length > 0) return undefined;
  record(result, source, out);
  return { ref, ftc, result };
}

/** Adds a propagated object, its RSP and what the report says of its policies to the output. */
function record(result: PolicyPropagation, source: SourcedDocument, out: PlainOutput): void {
  out.objects.push({ doc: result.federated, source });
  if (result.rsp) out.rsps.push({ doc: result.rsp, source });
  out.notes.set(noteKey(result.federated), {
    placedBy: result.placedBy,
    ...((result.federated.spec.overrides ?? []).length > 0 ? { overriddenBy: result.placedBy } : {}),
    ...(result.outranked.length > 0 ? { outranked: result.outranked } : {}),
  });
}

const noTypeConfig = (doc: KubeObject): string =>
  `no FederatedTypeConfig federates ${doc.apiVersion ?? ''} ${doc.kind ?? ''}; add one to the input (kubefedctl enable TYPE -o yaml prints it)`;

const unselected = (doc: KubeObject): string =>
  `no PropagationPolicy or ClusterPropagationPolicy selects it; add one whose resourceSelectors match it, or pass a Federated${doc.kind ?? ''} (docs/policy.md)`;

/** How a winner is chosen among the policies that select one object (docs/policy.md). */
const TIE_BREAK =
  'higher priority, then the more specific selector, then PropagationPolicy before ClusterPropagationPolicy, then name';

/** The type config of a plain object: from the input or host, else the built-in table. */
function typeConfigOf(doc: KubeObject, typeConfigs: Map<string, FederatedTypeConfig>): FederatedTypeConfig | undefined {
  const apiVersion = doc.apiVersion ?? '';
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  return typeConfigs.get(targetTypeKey(group, doc.kind ?? '')) ?? defaultTypeConfigForTarget(doc);
}

/** Splits policy documents by kind, defaulting a PropagationPolicy's namespace. */
export function sortPolicies(
  docs: readonly KubeObject[],
  defaultNamespace: string,
): { propagation: PropagationPolicy[]; placement: PlacementPolicy[] } {
  const propagation: PropagationPolicy[] = [];
  const placement: PlacementPolicy[] = [];
  for (const d of docs) {
    if (d.kind === PLACEMENT_POLICY_KIND) placement.push(d as unknown as PlacementPolicy);
    else {
      if (d.kind !== CLUSTER_PROPAGATION_POLICY_KIND && !d.metadata.namespace)
        d.metadata = { ...d.metadata, namespace: defaultNamespace };
      propagation.push(d as unknown as PropagationPolicy);
    }
  }
  return { propagation, placement };
}

/** Where PlacementPolicies and namespace labels come from: an inventory, or the input being read. */
export interface PolicyContext {
  placementPolicies?: readonly PlacementPolicy[];
  namespaceLabels?: ReadonlyMap<string, Record<string, string>>;
}

/** The limits PlacementPolicies put on one federated object, for planning. */
export function limitsOf(
  fed: FederatedObject,
  ftc: FederatedTypeConfig,
  clusters: readonly MemberCluster[],
  ctx: PolicyContext,
): PlacementLimit[] {
  const policies = ctx.placementPolicies ?? [];
  if (policies.length === 0) return [];
  const ref = refOfFederated(fed, ftc);
  return placementLimits(ref, policies, clusters, ref.namespace ? ctx.namespaceLabels?.get(ref.namespace) : undefined);
}
