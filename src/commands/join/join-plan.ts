// The objects `kubefedctl join` writes, as data. Pure: no network, no clock, no files.
import { CORE_API_VERSION, type KubeFedScope } from '../../api/kubefed.js';
import type {
  V1ClusterRole,
  V1ClusterRoleBinding,
  V1Namespace,
  V1Role,
  V1RoleBinding,
  V1Secret,
  V1ServiceAccount,
} from '@kubernetes/client-node';
import type { KubeObject, ResourceType, WireObject } from '../../api/objects.js';
import {
  CLUSTER_ROLE_BINDINGS,
  CLUSTER_ROLES,
  NAMESPACES,
  ROLE_BINDINGS,
  ROLES,
  SECRETS,
  SERVICE_ACCOUNTS,
} from '../../api/resources.js';
import { memberNames } from '../../federation/join-names.js';

/** How an object is written when it already exists. */
export type ExistingPolicy =
  /** leave it as it is (namespace, service account, token Secret) */
  | 'keep'
  /** server-side apply our fields (roles) */
  | 'apply'
  /** apply, but delete and re-create first when roleRef differs, since roleRef is immutable (bindings) */
  | 'apply-binding';

export interface PlannedObject {
  type: ResourceType;
  object: KubeObject;
  onExisting: ExistingPolicy;
}

export interface JoinInput {
  clusterName: string;
  hostClusterName: string;
  /** The KubeFed system namespace, the same name in host and member. */
  namespace: string;
  scope: KubeFedScope;
  labels: Record<string, string>;
  /** The member as the kubeconfig reaches it; copied into the KubeFedCluster. */
  member: { server: string; caData?: Buffer; insecureSkipTLSVerify: boolean; proxyUrl?: string };
  /** Name of the host Secret: --secret-name, else the one the KubeFedCluster already uses, else generated. */
  hostSecretName?: string;
  /** --region / --zone: recorded on the KubeFedCluster, reported in its status when nodes say nothing. */
  region?: string;
  zones?: string[];
}

export interface JoinPlan {
  serviceAccountName: string;
  /** Objects in the member cluster, in creation order. */
  member: PlannedObject[];
  /** The service-account token Secret whose token the host Secret receives. */
  tokenSecret: { name: string; namespace: string };
  /** Host Secret; `data.token` is filled in once the member's token exists. */
  hostSecret: KubeObject;
  kubefedCluster: KubeObject;
}

/** Plans a join exactly as kubefedctl v0.10 lays it out. */
export function planJoin(input: JoinInput): JoinPlan {
  const { namespace } = input;
  const names = memberNames(input.clusterName, input.hostClusterName, namespace);
  const sa = names.serviceAccount;
  const subjects = [{ kind: 'ServiceAccount', name: sa, namespace }];
  const member: PlannedObject[] = [
    {
      type: NAMESPACES,
      onExisting: 'keep',
      object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } } satisfies WireObject<V1Namespace>,
    },
    {
      type: SERVICE_ACCOUNTS,
      onExisting: 'keep',
      object: {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: sa, namespace, annotations: { 'kubernetes.io/enforce-mountable-secrets': 'true' } },
        automountServiceAccountToken: false,
      } satisfies WireObject<V1ServiceAccount>,
    },
    {
      // Kubernetes >= 1.24 no longer makes token Secrets by itself; ask for one explicitly (kubefedctl v0.10).
      type: SECRETS,
      onExisting: 'keep',
      object: {
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'kubernetes.io/service-account-token',
        metadata: { name: names.tokenSecret, namespace, annotations: { 'kubernetes.io/service-account.name': sa } },
      } satisfies WireObject<V1Secret>,
    },
  ];
  const rbacApi = 'rbac.authorization.k8s.io/v1';
  if (input.scope === 'Namespaced') {
    member.push(
      {
        type: ROLES,
        onExisting: 'apply',
        object: {
          apiVersion: rbacApi,
          kind: 'Role',
          metadata: { name: names.role, namespace },
          rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
        } satisfies WireObject<V1Role>,
      },
      {
        type: ROLE_BINDINGS,
        onExisting: 'apply-binding',
        object: {
          apiVersion: rbacApi,
          kind: 'RoleBinding',
          metadata: { name: names.role, namespace },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: names.role },
          subjects,
        } satisfies WireObject<V1RoleBinding>,
      },
      {
        // KubeFed wrote the verb as "Get", which RBAC never matches; "get" is what was meant.
        type: CLUSTER_ROLES,
        onExisting: 'apply',
        object: {
          apiVersion: rbacApi,
          kind: 'ClusterRole',
          metadata: { name: names.healthCheckRole },
          rules: [
            { nonResourceURLs: ['/healthz', '/readyz', '/version'], verbs: ['get'] },
            { apiGroups: [''], resources: ['nodes'], verbs: ['list'] },
          ],
        } satisfies WireObject<V1ClusterRole>,
      },
      {
        type: CLUSTER_ROLE_BINDINGS,
        onExisting: 'apply-binding',
        object: {
          apiVersion: rbacApi,
          kind: 'ClusterRoleBinding',
          metadata: { name: names.healthCheckRole },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: names.healthCheckRole },
          subjects,
        } satisfies WireObject<V1ClusterRoleBinding>,
      },
    );
  } else {
    member.push(
      {
        type: CLUSTER_ROLES,
        onExisting: 'apply',
        object: {
          apiVersion: rbacApi,
          kind: 'ClusterRole',
          metadata: { name: names.role },
          rules: [
            { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
            { nonResourceURLs: ['*'], verbs: ['get'] },
          ],
        } satisfies WireObject<V1ClusterRole>,
      },
      {
        type: CLUSTER_ROLE_BINDINGS,
        onExisting: 'apply-binding',
        object: {
          apiVersion: rbacApi,
          kind: 'ClusterRoleBinding',
          metadata: { name: names.role },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: names.role },
          subjects,
        } satisfies WireObject<V1ClusterRoleBinding>,
      },
    );
  }
  const hostSecretMeta = input.hostSecretName
    ? { name: input.hostSecretName, namespace }
    : { generateName: `${input.clusterName}-`, namespace };
  const spec: Record<string, unknown> = {
    apiEndpoint: input.member.server,
    secretRef: { name: input.hostSecretName ?? '' },
  };
  if (input.member.caData) spec['caBundle'] = input.member.caData.toString('base64');
  if (input.member.insecureSkipTLSVerify) spec['disabledTLSValidations'] = ['*'];
  if (input.member.proxyUrl) spec['proxyURL'] = input.member.proxyUrl;
  const allLabels = { ...input.labels, ...(input.region ? { 'topology.kubernetes.io/region': input.region } : {}) };
  const labels = Object.keys(allLabels).length > 0 ? { labels: allLabels } : {};
  const annotations =
    input.zones && input.zones.length > 0
      ? { annotations: { 'kubefed.io/zones': [...input.zones].sort().join(',') } }
      : {};
  return {
    serviceAccountName: sa,
    member,
    tokenSecret: { name: names.tokenSecret, namespace },
    hostSecret: {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: hostSecretMeta,
      data: {},
    } satisfies WireObject<V1Secret>,
    kubefedCluster: {
      apiVersion: CORE_API_VERSION,
      kind: 'KubeFedCluster',
      metadata: { name: input.clusterName, namespace, ...labels, ...annotations },
      spec,
    },
  };
}

/** Fills the token (and, when the kubeconfig gave no CA, the token Secret's ca.crt) into the host objects. */
export function completeHostObjects(
  plan: JoinPlan,
  tokenData: { token: string; caCrt?: string },
  hostSecretName: string,
): { hostSecret: KubeObject; kubefedCluster: KubeObject } {
  const hostSecret: KubeObject = {
    ...plan.hostSecret,
    metadata: { name: hostSecretName, namespace: plan.hostSecret.metadata.namespace ?? '' },
    data: { token: tokenData.token },
  };
  const spec: Record<string, unknown> = {
    ...(plan.kubefedCluster['spec'] as Record<string, unknown>),
    secretRef: { name: hostSecretName },
  };
  if (!spec['caBundle'] && tokenData.caCrt) spec['caBundle'] = tokenData.caCrt;
  return { hostSecret, kubefedCluster: { ...plan.kubefedCluster, spec } };
}
