// Type configs for well-known federated kinds, so file mode works without FederatedTypeConfig
// documents. Anything else needs its FederatedTypeConfig in the input (no guessing). Pure.
import type { ResourceType } from '../api/objects.js';
import type { FederatedObject } from '../federation/federated-object.js';
import { typeConfigFor, type FederatedTypeConfig } from '../federation/typeconfig.js';

/** kind -> [group, version, plural, namespaced] of the target. */
const BUILTIN: Record<string, [string, string, string, boolean]> = {
  ConfigMap: ['', 'v1', 'configmaps', true],
  Secret: ['', 'v1', 'secrets', true],
  Service: ['', 'v1', 'services', true],
  ServiceAccount: ['', 'v1', 'serviceaccounts', true],
  Namespace: ['', 'v1', 'namespaces', false],
  PersistentVolumeClaim: ['', 'v1', 'persistentvolumeclaims', true],
  LimitRange: ['', 'v1', 'limitranges', true],
  ResourceQuota: ['', 'v1', 'resourcequotas', true],
  Deployment: ['apps', 'v1', 'deployments', true],
  ReplicaSet: ['apps', 'v1', 'replicasets', true],
  StatefulSet: ['apps', 'v1', 'statefulsets', true],
  DaemonSet: ['apps', 'v1', 'daemonsets', true],
  Job: ['batch', 'v1', 'jobs', true],
  CronJob: ['batch', 'v1', 'cronjobs', true],
  Ingress: ['networking.k8s.io', 'v1', 'ingresses', true],
  NetworkPolicy: ['networking.k8s.io', 'v1', 'networkpolicies', true],
  PodDisruptionBudget: ['policy', 'v1', 'poddisruptionbudgets', true],
  HorizontalPodAutoscaler: ['autoscaling', 'v2', 'horizontalpodautoscalers', true],
  Role: ['rbac.authorization.k8s.io', 'v1', 'roles', true],
  RoleBinding: ['rbac.authorization.k8s.io', 'v1', 'rolebindings', true],
  ClusterRole: ['rbac.authorization.k8s.io', 'v1', 'clusterroles', false],
  ClusterRoleBinding: ['rbac.authorization.k8s.io', 'v1', 'clusterrolebindings', false],
  StorageClass: ['storage.k8s.io', 'v1', 'storageclasses', false],
  PriorityClass: ['scheduling.k8s.io', 'v1', 'priorityclasses', false],
};

/** The REST type of a well-known kind in its group, or undefined. */
export function builtinTargetType(kind: string, group: string): ResourceType | undefined {
  const known = Object.hasOwn(BUILTIN, kind) ? BUILTIN[kind] : undefined;
  if (!known || known[0] !== group) return undefined;
  const [, version, plural, namespaced] = known;
  return { group, version, kind, plural, namespaced };
}

/** The federated kinds of the table above: FederatedConfigMap, FederatedDeployment, … */
export const BUILTIN_FEDERATED_KINDS: readonly string[] = Object.keys(BUILTIN).map((k) => `Federated${k}`);

/**
 * The default type config for a `Federated<Kind>` (of the default federated group, types.kubefed.io/
 * v1beta1; the caller checks the apiVersion), from the table above. Any other kind needs its
 * FederatedTypeConfig in the input: nothing is guessed.
 */
export function defaultTypeConfigForKind(
  doc: Pick<FederatedObject, 'apiVersion' | 'kind'>,
): FederatedTypeConfig | undefined {
  if (!doc.kind?.startsWith('Federated')) return undefined;
  const kind = doc.kind.slice('Federated'.length);
  const known = Object.hasOwn(BUILTIN, kind) ? BUILTIN[kind] : undefined;
  if (!known) return undefined;
  const [group, version, plural, namespaced] = known;
  return typeConfigFor({ group, version, kind, plural, namespaced });
}

/**
 * The default type config for a plain object of a well-known kind (the group of its apiVersion
 * must be the kind's group; any served version is accepted), or undefined.
 */
export function defaultTypeConfigForTarget(doc: {
  apiVersion?: string;
  kind?: string;
}): FederatedTypeConfig | undefined {
  const kind = doc.kind ?? '';
  const known = Object.hasOwn(BUILTIN, kind) ? BUILTIN[kind] : undefined;
  if (!known) return undefined;
  const [group, version, plural, namespaced] = known;
  const apiVersion = doc.apiVersion ?? '';
  const docGroup = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  if (docGroup !== group) return undefined;
  return typeConfigFor({ group, version, kind, plural, namespaced });
}
