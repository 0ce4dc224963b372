// What `federate` builds: the Federated<Kind> object for a target object, the placement the flags
// ask for, the offline guess of a manifest's type, and the types and objects `--contents` takes
// from a namespace. Pure: no network, no filesystem, no clock.
import { isDns1123Subdomain } from '../util/names.js';
import type { KubeObject } from '../api/objects.js';
import type { ApiResource } from '../kube/discovery.js';
import { cloneJson } from '../util/objects.js';
import { CORE_GROUP, TYPES_GROUP } from '../api/kubefed.js';
import { groupQualifiedName, nameMatchesResource } from './type-lookup.js';
import { typeConfigFor, type FederatedTypeConfig } from './typeconfig.js';

/** The clusters a federated object goes to, as the placement flags give them. */
export interface PlacementRequest {
  /** --placement-clusters: exact KubeFedCluster names. */
  clusters?: string[];
  /** --cluster-selector: labels every chosen KubeFedCluster must carry. */
  matchLabels?: Record<string, string>;
}

/** spec.placement of a federated object. */
export interface Placement {
  clusters?: { name: string }[];
  clusterSelector?: { matchLabels: Record<string, string> };
}

/** A federated object and what the conversion could not carry over. */
export interface Conversion {
  object: KubeObject;
  warnings: string[];
}

/**
 * spec.placement for the placement flags. Without flags it is KubeFed's default, an empty selector,
 * which selects every member cluster. With both flags both are written; KubeFed then uses the
 * cluster list and ignores the selector.
 */
export function placementFor(request: PlacementRequest = {}): Placement {
  const placement: Placement = {};
  if (request.clusters) placement.clusters = request.clusters.map((name) => ({ name }));
  if (request.matchLabels) placement.clusterSelector = { matchLabels: { ...request.matchLabels } };
  if (!request.clusters && !request.matchLabels) placement.clusterSelector = { matchLabels: {} };
  return placement;
}

/** `kind/name` or `kind/namespace/name` of a source object, for messages. */
export function describeObject(obj: KubeObject): string {
  const { name, namespace } = obj.metadata;
  return `${(obj.kind ?? 'object').toLowerCase()}/${namespace ? `${namespace}/` : ''}${name ?? ''}`;
}

/**
 * Removes fields that only make sense in the cluster they were read from (KubeFed's
 * RemoveUnwantedFields): a Namespace's finalizers, a ServiceAccount's token Secrets, and a
 * Service's allocated cluster IPs and node ports. Works on a copy.
 */
function scrubClusterLocalFields(target: KubeObject): KubeObject {
  const copy = cloneJson(target);
  const group = groupOf(copy.apiVersion);
  if (group !== '') return copy;
  const spec = isRecord(copy['spec']) ? copy['spec'] : undefined;
  switch (copy.kind) {
    case 'Namespace':
      if (spec) delete spec['finalizers'];
      break;
    case 'ServiceAccount':
      delete copy['secrets'];
      break;
    case 'Service':
      if (spec) {
        delete spec['clusterIP'];
        delete spec['clusterIPs'];
        if (Array.isArray(spec['ports'])) for (const port of spec['ports']) if (isRecord(port)) delete port['nodePort'];
      }
      break;
  }
  return copy;
}

/**
 * spec.template: the target without apiVersion, kind and status, and with no metadata but its
 * labels. Status belongs to each member cluster; name and namespace come from the federated
 * object; annotations and finalizers are kept from each member copy by the sync controller,
 * which refuses them in a template.
 */
function templateOf(target: KubeObject): Record<string, unknown> {
  const { apiVersion: _a, kind: _k, metadata, status: _s, ...rest } = scrubClusterLocalFields(target);
  const labels = metadata.labels;
  return { ...(labels && Object.keys(labels).length > 0 ? { metadata: { labels } } : {}), ...rest };
}

/**
 * The Federated<Kind> for a target object, as KubeFed v0.8.1 builds it: name from the target,
 * namespace from the target when the federated type is namespaced (a Namespace's own name for a
 * FederatedNamespace), no labels or annotations of its own, the target as template and the given
 * placement (default: every cluster).
 */
export function federatedObjectFrom(
  target: KubeObject,
  ftc: Pick<FederatedTypeConfig, 'spec'>,
  placement: Placement = placementFor(),
): KubeObject {
  const f = ftc.spec.federatedType;
  const { name, namespace } = target.metadata;
  const isNamespace = ftc.spec.targetType.kind === 'Namespace' && !ftc.spec.targetType.group;
  const federatedNamespace = f.scope !== 'Namespaced' ? undefined : isNamespace ? name : namespace;
  return {
    apiVersion: f.group ? `${f.group}/${f.version}` : f.version,
    kind: f.kind,
    metadata: {
      ...(name !== undefined ? { name } : {}),
      ...(federatedNamespace ? { namespace: federatedNamespace } : {}),
    },
    spec: { placement: cloneJson(placement), template: templateOf(target) },
  };
}

/** federatedObjectFrom plus the warnings a user should see about what was left out. */
export function convertTarget(
  target: KubeObject,
  ftc: Pick<FederatedTypeConfig, 'spec'>,
  placement?: Placement,
): Conversion {
  const warnings: string[] = [];
  const annotations = Object.keys(target.metadata.annotations ?? {});
  if (annotations.length > 0) {
    warnings.push(
      `annotations of ${describeObject(target)} are not carried into the template (${annotations.join(', ')}); member copies keep their own`,
    );
  }
  return { object: federatedObjectFrom(target, ftc, placement), warnings };
}

// ---------------------------------------------------------------------------------------------
// Offline type guessing for `federate -f`.

/** The group of an apiVersion: "" for "v1", "apps" for "apps/v1". */
export function groupOf(apiVersion: string | undefined): string {
  const value = apiVersion ?? '';
  return value.includes('/') ? (value.split('/')[0] ?? '') : '';
}

/** The version of an apiVersion: "v1" for "v1" and for "apps/v1". */
export function versionOf(apiVersion: string | undefined): string {
  const value = apiVersion ?? '';
  return value.includes('/') ? value.slice(value.indexOf('/') + 1) : value;
}

/**
 * The plural resource name of a kind, guessed the way apimachinery's UnsafeGuessKindToResource
 * does (and so KubeFed's `federate -f`): lower-cased; "…endpoints" unchanged, "…s" + "es",
 * "…y" → "…ies", otherwise + "s".
 */
export function guessPlural(kind: string): string {
  const singular = kind.toLowerCase();
  if (singular === '' || singular.endsWith('endpoints')) return singular;
  if (singular.endsWith('s')) return `${singular}es`;
  if (singular.endsWith('y')) return `${singular.slice(0, -1)}ies`;
  return `${singular}s`;
}

/** Built-in kinds that are cluster-scoped, by group. Any other built-in kind is namespaced. */
const CLUSTER_SCOPED_BUILTINS: Record<string, readonly string[]> = {
  '': ['Namespace', 'Node', 'PersistentVolume', 'ComponentStatus'],
  'rbac.authorization.k8s.io': ['ClusterRole', 'ClusterRoleBinding'],
  'apiextensions.k8s.io': ['CustomResourceDefinition'],
  'apiregistration.k8s.io': ['APIService'],
  'storage.k8s.io': ['StorageClass', 'CSIDriver', 'CSINode', 'VolumeAttachment', 'VolumeAttributesClass'],
  'scheduling.k8s.io': ['PriorityClass'],
  'node.k8s.io': ['RuntimeClass'],
  'networking.k8s.io': ['IngressClass', 'IPAddress', 'ServiceCIDR'],
  'admissionregistration.k8s.io': [
    'MutatingWebhookConfiguration',
    'ValidatingWebhookConfiguration',
    'ValidatingAdmissionPolicy',
    'ValidatingAdmissionPolicyBinding',
    'MutatingAdmissionPolicy',
    'MutatingAdmissionPolicyBinding',
  ],
  'certificates.k8s.io': ['CertificateSigningRequest', 'ClusterTrustBundle'],
  'flowcontrol.apiserver.k8s.io': ['FlowSchema', 'PriorityLevelConfiguration'],
  'resource.k8s.io': ['DeviceClass', 'ResourceSlice'],
};

/** Built-in kinds that live in a namespace, by group. */
const NAMESPACED_BUILTINS: Record<string, readonly string[]> = {
  '': [
    'ConfigMap',
    'Secret',
    'Service',
    'ServiceAccount',
    'Pod',
    'PodTemplate',
    'PersistentVolumeClaim',
    'ReplicationController',
    'LimitRange',
    'ResourceQuota',
    'Endpoints',
    'Event',
  ],
  apps: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ControllerRevision'],
  batch: ['Job', 'CronJob'],
  autoscaling: ['HorizontalPodAutoscaler'],
  policy: ['PodDisruptionBudget'],
  'networking.k8s.io': ['Ingress', 'NetworkPolicy'],
  'rbac.authorization.k8s.io': ['Role', 'RoleBinding'],
  'coordination.k8s.io': ['Lease'],
  'discovery.k8s.io': ['EndpointSlice'],
};

/** Where the guess about a manifest's type came from, most reliable first. */
export type GuessSource = 'FederatedTypeConfig' | 'CustomResourceDefinition' | 'built-in' | 'guess';

/** A manifest's target type and the FederatedTypeConfig used to federate it. */
export interface GuessedType {
  typeConfig: FederatedTypeConfig;
  source: GuessSource;
}

interface TypeHints {
  typeConfigs: FederatedTypeConfig[];
  crds: { group: string; kind: string; plural: string; namespaced: boolean }[];
}

/** True for a FederatedTypeConfig document (any version of core.kubefed.io). */
export function isTypeConfigDocument(doc: KubeObject): boolean {
  return doc.kind === 'FederatedTypeConfig' && groupOf(doc.apiVersion) === CORE_GROUP;
}

/** Collects what FederatedTypeConfig and CustomResourceDefinition documents say about types. */
export function typeHintsFrom(docs: KubeObject[]): TypeHints {
  const hints: TypeHints = { typeConfigs: [], crds: [] };
  for (const doc of docs) {
    if (isTypeConfigDocument(doc)) {
      const spec = doc['spec'] as FederatedTypeConfig['spec'] | undefined;
      if (spec?.targetType?.kind && spec.federatedType?.kind) hints.typeConfigs.push(doc as FederatedTypeConfig);
    } else if (doc.kind === 'CustomResourceDefinition' && groupOf(doc.apiVersion) === 'apiextensions.k8s.io') {
      const spec = doc['spec'] as
        { group?: unknown; scope?: unknown; names?: { kind?: unknown; plural?: unknown } } | undefined;
      if (typeof spec?.group === 'string' && typeof spec.names?.kind === 'string') {
        const plural = typeof spec.names.plural === 'string' ? spec.names.plural : guessPlural(spec.names.kind);
        hints.crds.push({ group: spec.group, kind: spec.names.kind, plural, namespaced: spec.scope !== 'Cluster' });
      }
    }
  }
  return hints;
}

/**
 * The type of a manifest without asking a server. KubeFed guesses the plural from the kind and
 * takes the object as namespaced when it has a namespace; this uses, in order, a
 * FederatedTypeConfig or CRD for the type found among the same documents, a table of built-in
 * kinds, and only then KubeFed's guess.
 */
export function guessTargetType(doc: KubeObject, hints: TypeHints = { typeConfigs: [], crds: [] }): GuessedType {
  const group = groupOf(doc.apiVersion);
  const version = versionOf(doc.apiVersion);
  const kind = doc.kind ?? '';
  const ftc = hints.typeConfigs.find(
    (f) => f.spec.targetType.kind === kind && (f.spec.targetType.group ?? '') === group,
  );
  if (ftc) return { typeConfig: ftc, source: 'FederatedTypeConfig' };
  const crd = hints.crds.find((c) => c.group === group && c.kind === kind);
  if (crd)
    return {
      typeConfig: typeConfigFor({ group, version, kind, plural: crd.plural, namespaced: crd.namespaced }),
      source: 'CustomResourceDefinition',
    };
  const plural = guessPlural(kind);
  if (CLUSTER_SCOPED_BUILTINS[group]?.includes(kind))
    return { typeConfig: typeConfigFor({ group, version, kind, plural, namespaced: false }), source: 'built-in' };
  if (NAMESPACED_BUILTINS[group]?.includes(kind))
    return { typeConfig: typeConfigFor({ group, version, kind, plural, namespaced: true }), source: 'built-in' };
  const namespaced = Boolean(doc.metadata.namespace);
  return { typeConfig: typeConfigFor({ group, version, kind, plural, namespaced }), source: 'guess' };
}

/** True when an object is already a federated resource (so federating it again makes no sense). */
export function isFederatedObject(
  doc: Pick<KubeObject, 'apiVersion' | 'kind'>,
  federatedGroups: readonly string[] = [TYPES_GROUP],
): boolean {
  return (doc.kind ?? '').startsWith('Federated') && federatedGroups.includes(groupOf(doc.apiVersion));
}

// ---------------------------------------------------------------------------------------------
// --contents: the types and objects of a namespace that are federated with it.

/**
 * Types never federated as namespace contents, because what they hold is produced by and only
 * true for one cluster: Endpoints and EndpointSlices list that cluster's pod IPs, Events record
 * what happened there, and PropagatedVersions are KubeFed's own bookkeeping.
 */
const CLUSTER_LOCAL_TYPES = [
  'endpoints',
  'events',
  'events.events.k8s.io',
  'endpointslices.discovery.k8s.io',
  'propagatedversions.core.kubefed.io',
];

export interface ContentsOptions {
  /** --skip-api-resources: group names, or type names as `enable` accepts them. */
  skip?: readonly string[];
  /** Groups of federated types besides types.kubefed.io (from the installed FederatedTypeConfigs). */
  federatedGroups?: readonly string[];
}

/**
 * The namespaced types whose objects `--contents` federates, from discovery (preferred
 * versions). Skips, as KubeFed does: the groups and types named in `skip`, the old `extensions`
 * group (its types are served again by apps and networking.k8s.io), cluster-scoped types,
 * federated types and cluster-local types; and, unlike KubeFed, types that cannot be listed.
 */
export function contentTypes(resources: readonly ApiResource[], opts: ContentsOptions = {}): ApiResource[] {
  const skip = opts.skip ?? [];
  const federatedGroups = [TYPES_GROUP, ...(opts.federatedGroups ?? [])];
  const seen = new Set<string>();
  const out: ApiResource[] = [];
  for (const r of resources) {
    if (r.plural.includes('/') || !r.namespaced || !r.verbs.includes('list')) continue;
    if (r.group === 'extensions' || skip.includes(r.group)) continue;
    if (r.kind.startsWith('Federated') && federatedGroups.includes(r.group)) continue;
    if ([...CLUSTER_LOCAL_TYPES, ...skip].some((name) => nameMatchesResource(r, name))) continue;
    const key = groupQualifiedName(r);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(r);
  }
  return out;
}

/** Objects that every namespace gets from Kubernetes itself, holding data of that one cluster. */
function clusterLocalReason(type: Pick<ApiResource, 'group' | 'kind'>, obj: KubeObject): string | undefined {
  if (type.group !== '') return undefined;
  if (type.kind === 'ConfigMap' && obj.metadata.name === 'kube-root-ca.crt')
    return "it holds this cluster's CA and is created in every namespace by Kubernetes";
  if (type.kind === 'ServiceAccount' && obj.metadata.name === 'default')
    return 'it is created in every namespace by Kubernetes';
  if (type.kind === 'Secret' && obj['type'] === 'kubernetes.io/service-account-token')
    return "it holds a token signed by this cluster's key";
  return undefined;
}

/** True for a DNS-1123 subdomain, the only names a federated object can have. */
export function isDnsSubdomain(name: string): boolean {
  return isDns1123Subdomain(name);
}

/**
 * The objects of one type that `--contents` federates, and why others are left out: names that
 * are not DNS-1123 subdomains (as KubeFed); and, beyond KubeFed, objects a controller owns (their
 * owner is federated instead, e.g. a Deployment rather than its ReplicaSets and Pods) and the
 * per-cluster objects Kubernetes creates in every namespace.
 */
export function contentObjects(
  type: Pick<ApiResource, 'group' | 'kind' | 'plural'>,
  items: readonly KubeObject[],
): { objects: KubeObject[]; skipped: string[] } {
  const objects: KubeObject[] = [];
  const skipped: string[] = [];
  const ref = (o: KubeObject) => `${groupQualifiedName(type)}/${o.metadata.name ?? ''}`;
  for (const item of items) {
    const name = item.metadata.name ?? '';
    const owner = (item.metadata.ownerReferences ?? []).find(
      (o): o is { kind?: string; name?: string; controller?: boolean } => isRecord(o) && o['controller'] === true,
    );
    const local = clusterLocalReason(type, item);
    if (!isDnsSubdomain(name))
      skipped.push(`${ref(item)}: the name is not a DNS-1123 subdomain, so no federated object can carry it`);
    else if (owner)
      skipped.push(`${ref(item)}: it is controlled by ${(owner.kind ?? 'object').toLowerCase()}/${owner.name ?? ''}`);
    else if (local) skipped.push(`${ref(item)}: ${local}`);
    else objects.push(item);
  }
  return { objects, skipped };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
