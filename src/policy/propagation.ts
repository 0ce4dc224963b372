// Plain manifests propagated by policy: a plain object plus the PropagationPolicy that wins it
// becomes exactly the Federated<Kind> it stands for, so render, diff and propagate plan it on the
// one KubeFed path (docs/policy.md). The way back, Federated<Kind> -> plain object + policy, is
// here too, for users moving either way. Pure.
import { createHash } from 'node:crypto';
import type { KubeObject } from '../api/objects.js';
import {
  CLUSTER_PROPAGATION_POLICY_KIND,
  POLICY_API_VERSION,
  PROPAGATION_POLICY_KIND,
  type PolicyOverride,
  type PropagationPolicy,
} from '../api/policy.js';
import { SCHEDULING_API_VERSION } from '../api/kubefed.js';
import type { FederatedObject, MemberCluster } from '../federation/federated-object.js';
import { selectClusters } from '../federation/placement.js';
import type { FederatedTypeConfig } from '../federation/typeconfig.js';
import { RSP_TARGET_KINDS } from '../scheduling/rsp.js';
import { compileOverrides, type OverrideProblem } from './overrides.js';
import type { PolicyMatch, ResourceRef } from './select.js';

/** The member object's apiVersion for a type config's target. */
export function targetApiVersionOf(ftc: FederatedTypeConfig): string {
  const t = ftc.spec.targetType;
  return t.group ? `${t.group}/${t.version}` : t.version;
}

/** What selectors see of a plain object. */
export function refOfObject(obj: KubeObject): ResourceRef {
  return {
    apiVersion: obj.apiVersion ?? '',
    kind: obj.kind ?? '',
    ...(obj.metadata.namespace && obj.kind !== 'Namespace' ? { namespace: obj.metadata.namespace } : {}),
    name: obj.metadata.name ?? '',
    labels: obj.metadata.labels ?? {},
  };
}

/** What selectors see of a federated object: the member object it renders (template labels). */
export function refOfFederated(fed: FederatedObject, ftc: FederatedTypeConfig): ResourceRef {
  const template = (fed.spec.template ?? {}) as {
    apiVersion?: unknown;
    metadata?: { labels?: Record<string, string> };
  };
  const isNamespace = ftc.metadata.name === 'namespaces';
  return {
    apiVersion:
      typeof template.apiVersion === 'string' && template.apiVersion ? template.apiVersion : targetApiVersionOf(ftc),
    kind: ftc.spec.targetType.kind,
    ...(fed.metadata.namespace && !isNamespace && ftc.spec.targetType.scope === 'Namespaced'
      ? { namespace: fed.metadata.namespace }
      : {}),
    name: fed.metadata.name ?? '',
    labels: template.metadata?.labels ?? {},
  };
}

/** A plain object as propagated by its policy. */
export interface PolicyPropagation {
  federated: FederatedObject;
  /** The winning policy (`ClusterPropagationPolicy web-eu`). */
  placedBy: string;
  /** Other policies that selected the object and lost, best first. */
  outranked: string[];
  /** The ReplicaSchedulingPreference the policy's replicaScheduling stands for. */
  rsp?: KubeObject;
  /** Problems of the policy's overrides for this object: `field (cluster c): message`. */
  problems: string[];
}

/**
 * The Federated<Kind> for a plain object and the policies that select it (best first; the first
 * wins). Overrides are compiled for every cluster their targets match, placed or not, as a KubeFed
 * user lists overrides per cluster: replica scheduling, or a later placement change, may put the
 * object in any of them.
 */
export function propagateByPolicy(
  obj: KubeObject,
  ftc: FederatedTypeConfig,
  matches: readonly PolicyMatch[],
  clusters: readonly MemberCluster[],
): PolicyPropagation {
  const [winner, ...rest] = matches;
  if (!winner) throw new Error('propagateByPolicy needs at least one matching policy');
  const spec = winner.policy.spec;
  const fed = federatedShell(obj, ftc, spec);
  const compiled = compileOverrides(renderBase(obj, fed), spec.overrides ?? [], clusters);
  const problems = groupByCluster(compiled.problems);
  if (compiled.overrides.length > 0) fed.spec.overrides = compiled.overrides;
  const scheduling = spec.replicaScheduling ? rspFor(fed, ftc, spec.replicaScheduling) : undefined;
  if (typeof scheduling === 'string') problems.push(scheduling);
  return {
    federated: fed,
    placedBy: winner.id,
    outranked: rest.map((m) => m.id),
    ...(scheduling && typeof scheduling !== 'string' ? { rsp: scheduling } : {}),
    problems,
  };
}

/** `field (cluster c): message`, or `field (clusters a, b): message` when several clusters share one problem. */
function groupByCluster(problems: readonly OverrideProblem[]): string[] {
  const byText = new Map<string, string[]>();
  for (const p of problems) {
    const key = `${p.field}\n${p.message}`;
    byText.set(key, [...(byText.get(key) ?? []), p.cluster]);
  }
  return [...byText].map(([key, clusters]) => {
    const [field, message] = key.split('\n') as [string, string];
    return `${field} (cluster${clusters.length > 1 ? 's' : ''} ${clusters.join(', ')}): ${message}`;
  });
}

/** The ReplicaSchedulingPreference a policy's replicaScheduling stands for, or why there is none. */
function rspFor(
  fed: FederatedObject,
  ftc: FederatedTypeConfig,
  scheduling: NonNullable<PropagationPolicy['spec']['replicaScheduling']>,
): KubeObject | string {
  const targetKind = ftc.spec.federatedType.kind;
  if (!(RSP_TARGET_KINDS as readonly string[]).includes(targetKind))
    return `spec.replicaScheduling: replicas can only be scheduled for ${RSP_TARGET_KINDS.join(' and ')} objects, not ${ftc.spec.targetType.kind}`;
  return {
    apiVersion: SCHEDULING_API_VERSION,
    kind: 'ReplicaSchedulingPreference',
    metadata: { name: fed.metadata.name ?? '', namespace: fed.metadata.namespace ?? '' },
    spec: { ...structuredClone(scheduling), targetKind },
  };
}

/** The Federated<Kind> with the object as template and the given placement, no overrides yet. */
function federatedShell(
  obj: KubeObject,
  ftc: FederatedTypeConfig,
  { placement, retainReplicas }: Pick<PropagationPolicy['spec'], 'placement' | 'retainReplicas'>,
): FederatedObject {
  const f = ftc.spec.federatedType;
  const name = obj.metadata.name ?? '';
  // A FederatedNamespace lives in the namespace it federates.
  const fedNamespace = ftc.metadata.name === 'namespaces' ? name : obj.metadata.namespace;
  return {
    apiVersion: `${f.group}/${f.version}`,
    kind: f.kind,
    metadata: { name, ...(f.scope === 'Namespaced' && fedNamespace ? { namespace: fedNamespace } : {}) },
    spec: {
      placement: structuredClone(placement),
      template: templateOf(obj, ftc),
      ...(retainReplicas ? { retainReplicas } : {}),
    },
  };
}

/** Labels and annotations, when there are any; empty maps are left out. */
function labelsAndAnnotations(meta: KubeObject['metadata']): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  if (meta.labels && Object.keys(meta.labels).length > 0) out['labels'] = { ...meta.labels };
  if (meta.annotations && Object.keys(meta.annotations).length > 0) out['annotations'] = { ...meta.annotations };
  return out;
}

/** spec.template: the object without identity and status; its apiVersion only when not the type config's. */
function templateOf(obj: KubeObject, ftc: FederatedTypeConfig): Record<string, unknown> {
  const { apiVersion, kind: _kind, metadata, status: _status, ...body } = structuredClone(obj);
  const meta = labelsAndAnnotations(metadata);
  return {
    // The type config's own version is implied; another served version is kept.
    ...(apiVersion && apiVersion !== targetApiVersionOf(ftc) ? { apiVersion } : {}),
    ...(Object.keys(meta).length > 0 ? { metadata: meta } : {}),
    ...body,
  };
}

/** The object rendering starts from before overrides: identity, labels, annotations and the body. */
function renderBase(obj: KubeObject, fed: FederatedObject): KubeObject {
  const { status: _status, ...rest } = structuredClone(obj);
  const { name, namespace, labels, annotations } = rest.metadata;
  return {
    ...rest,
    metadata: {
      name: name ?? fed.metadata.name ?? '',
      ...(namespace ? { namespace } : {}),
      ...(labels ? { labels } : {}),
      ...(annotations ? { annotations } : {}),
    },
  };
}

/**
 * FederatedNamespaces for the namespaces of propagated objects that have none in the input, placed
 * in exactly the clusters those objects go to (as `kubefedctl federate` would make them, with a
 * cluster list). `placedIn` gives, per namespace, those clusters.
 */
export function implicitNamespaces(
  placedIn: ReadonlyMap<string, ReadonlySet<string>>,
  clusters: readonly MemberCluster[],
  namespaceFtc: FederatedTypeConfig,
): FederatedObject[] {
  const f = namespaceFtc.spec.federatedType;
  return [...placedIn]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([ns, names]) => ({
      apiVersion: `${f.group}/${f.version}`,
      kind: f.kind,
      metadata: { name: ns, namespace: ns },
      spec: {
        placement: { clusters: clusters.filter((c) => names.has(c.name)).map((c) => ({ name: c.name })) },
        template: {},
      },
    }));
}

/**
 * The clusters a propagated object may be placed in: its placement's, or, when replicas are
 * scheduled, the clusters scheduling may choose from (those named in its preferences, or all).
 */
export function candidateClusters(p: PolicyPropagation, clusters: readonly MemberCluster[]): Set<string> {
  const scheduling = (p.rsp?.['spec'] as { clusters?: Record<string, unknown> } | undefined)?.clusters;
  if (p.rsp) {
    const named = Object.keys(scheduling ?? {});
    return new Set(named.length === 0 || named.includes('*') ? clusters.map((c) => c.name) : named);
  }
  try {
    return new Set(selectClusters(p.federated.spec.placement, clusters));
  } catch {
    return new Set();
  }
}

/**
 * The way back: a Federated<Kind> as a plain object and a PropagationPolicy that selects exactly it
 * by apiVersion, kind and name, with the same placement and its per-cluster overrides targeted by
 * cluster name. Propagating the pair renders what the federated object renders.
 */
export function toPlainAndPolicy(
  fed: FederatedObject,
  ftc: FederatedTypeConfig,
): { object: KubeObject; policy: PropagationPolicy } {
  const object = plainObjectOf(fed, ftc);
  const name = object.metadata.name ?? '';
  const namespace = object.metadata.namespace;
  const overrides: PolicyOverride[] = (fed.spec.overrides ?? [])
    .filter((o) => (o.clusterOverrides ?? []).length > 0)
    .map((o) => ({
      targetClusters: { clusters: [{ name: o.clusterName }] },
      clusterOverrides: structuredClone(o.clusterOverrides ?? []),
    }));
  // A namespaced object's policy lives beside it; a cluster-scoped one (a Namespace too) needs a
  // ClusterPropagationPolicy, since a PropagationPolicy selects only inside its own namespace.
  const policy: PropagationPolicy = {
    apiVersion: POLICY_API_VERSION,
    kind: namespace ? PROPAGATION_POLICY_KIND : CLUSTER_PROPAGATION_POLICY_KIND,
    metadata: {
      name: policyNameFor(ftc.spec.targetType.kind, name, ftc.spec.targetType.group),
      ...(namespace ? { namespace } : {}),
    },
    spec: {
      resourceSelectors: [{ apiVersion: object.apiVersion ?? '', kind: object.kind ?? '', name }],
      placement: structuredClone(fed.spec.placement ?? {}) as PropagationPolicy['spec']['placement'],
      ...(overrides.length > 0 ? { overrides } : {}),
      ...(fed.spec.retainReplicas ? { retainReplicas: true } : {}),
    },
  };
  return { object, policy };
}

/** The member object a Federated<Kind> stands for, before overrides: its template with identity. */
function plainObjectOf(fed: FederatedObject, ftc: FederatedTypeConfig): KubeObject {
  const template = structuredClone(fed.spec.template ?? {}) as Record<string, unknown> & {
    metadata?: KubeObject['metadata'];
  };
  const { apiVersion, kind: _kind, metadata, ...body } = template;
  const namespaced = ftc.spec.targetType.scope === 'Namespaced' && ftc.metadata.name !== 'namespaces';
  const namespace = namespaced ? fed.metadata.namespace : undefined;
  return {
    apiVersion: typeof apiVersion === 'string' && apiVersion ? apiVersion : targetApiVersionOf(ftc),
    kind: ftc.spec.targetType.kind,
    metadata: {
      name: fed.metadata.name ?? '',
      ...(namespace ? { namespace } : {}),
      ...labelsAndAnnotations(metadata ?? {}),
    },
    ...body,
  };
}

/** The longest object name: a DNS subdomain (RFC 1123). */
const MAX_NAME_LENGTH = 253;

/**
 * The name of the policy toPlainAndPolicy makes for an object: `<kind>-<name>` (`configmap-web`),
 * or `<kind>.<group>-<name>` for a kind of a group outside Kubernetes' own (`gizmo.example.com-web`),
 * so two kinds of the same name in different groups do not share a policy. When that is longer than
 * a name may be, the end is cut and a hash of the whole keeps it unique.
 */
export function policyNameFor(kind: string, name: string, group = ''): string {
  const ownGroup = !group.includes('.') || group.endsWith('.k8s.io');
  const full = `${kind.toLowerCase()}${ownGroup ? '' : `.${group}`}-${name}`;
  if (full.length <= MAX_NAME_LENGTH) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 10);
  // A name part may not end in '-' or '.', so the cut is trimmed back to a letter or digit.
  const head = full.slice(0, MAX_NAME_LENGTH - hash.length - 1).replace(/[-.]+$/, '');
  return `${head}-${hash}`;
}
