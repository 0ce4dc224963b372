// Resource types the tool reads and writes by name. Types found through discovery are built elsewhere.
import type { ResourceType } from './objects.js';
import {
  CLUSTER_PROPAGATION_POLICY_KIND,
  PLACEMENT_POLICY_KIND,
  POLICY_GROUP,
  POLICY_VERSION,
  PROPAGATION_POLICY_KIND,
} from './policy.js';

const core = (plural: string, kind: string, namespaced: boolean): ResourceType => ({
  group: '',
  version: 'v1',
  plural,
  kind,
  namespaced,
});
const rbac = (plural: string, kind: string, namespaced: boolean): ResourceType => ({
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  plural,
  kind,
  namespaced,
});

export const NAMESPACES = core('namespaces', 'Namespace', false);
export const SERVICE_ACCOUNTS = core('serviceaccounts', 'ServiceAccount', true);
export const SECRETS = core('secrets', 'Secret', true);
export const CONFIG_MAPS = core('configmaps', 'ConfigMap', true);
export const NODES = core('nodes', 'Node', false);
export const CLUSTER_ROLES = rbac('clusterroles', 'ClusterRole', false);
export const CLUSTER_ROLE_BINDINGS = rbac('clusterrolebindings', 'ClusterRoleBinding', false);
export const ROLES = rbac('roles', 'Role', true);
export const ROLE_BINDINGS = rbac('rolebindings', 'RoleBinding', true);
export const DEPLOYMENTS: ResourceType = {
  group: 'apps',
  version: 'v1',
  plural: 'deployments',
  kind: 'Deployment',
  namespaced: true,
};
export const CUSTOM_RESOURCE_DEFINITIONS: ResourceType = {
  group: 'apiextensions.k8s.io',
  version: 'v1',
  plural: 'customresourcedefinitions',
  kind: 'CustomResourceDefinition',
  namespaced: false,
};

const kubefedCore = (plural: string, kind: string): ResourceType => ({
  group: 'core.kubefed.io',
  version: 'v1beta1',
  plural,
  kind,
  namespaced: true,
});
export const KUBEFED_CLUSTERS = kubefedCore('kubefedclusters', 'KubeFedCluster');
export const KUBEFED_CONFIGS = kubefedCore('kubefedconfigs', 'KubeFedConfig');
export const FEDERATED_TYPE_CONFIGS = kubefedCore('federatedtypeconfigs', 'FederatedTypeConfig');

/** kubectl's `kind.group` spelling of a type, as in `deployment.apps/web`. */
export function kindGroup(type: Pick<ResourceType, 'kind' | 'group'>): string {
  const kind = type.kind.toLowerCase();
  return type.group ? `${kind}.${type.group}` : kind;
}
export const REPLICA_SCHEDULING_PREFERENCES: ResourceType = {
  group: 'scheduling.kubefed.io',
  version: 'v1alpha1',
  plural: 'replicaschedulingpreferences',
  kind: 'ReplicaSchedulingPreference',
  namespaced: true,
};

const dnsType = (plural: string, kind: string): ResourceType => ({
  group: 'multiclusterdns.kubefed.io',
  version: 'v1alpha1',
  plural,
  kind,
  namespaced: true,
});
export const SERVICE_DNS_RECORDS = dnsType('servicednsrecords', 'ServiceDNSRecord');
export const INGRESS_DNS_RECORDS = dnsType('ingressdnsrecords', 'IngressDNSRecord');
export const DOMAINS = dnsType('domains', 'Domain');
export const DNS_ENDPOINTS = dnsType('dnsendpoints', 'DNSEndpoint');
export const SERVICES: ResourceType = {
  group: '',
  version: 'v1',
  plural: 'services',
  kind: 'Service',
  namespaced: true,
};
export const INGRESSES: ResourceType = {
  group: 'networking.k8s.io',
  version: 'v1',
  plural: 'ingresses',
  kind: 'Ingress',
  namespaced: true,
};
export const ENDPOINT_SLICES: ResourceType = {
  group: 'discovery.k8s.io',
  version: 'v1',
  plural: 'endpointslices',
  kind: 'EndpointSlice',
  namespaced: true,
};

const policyType = (plural: string, kind: string, namespaced: boolean): ResourceType => ({
  group: POLICY_GROUP,
  version: POLICY_VERSION,
  plural,
  kind,
  namespaced,
});
export const PLACEMENT_POLICIES = policyType('placementpolicies', PLACEMENT_POLICY_KIND, false);
export const PROPAGATION_POLICIES = policyType('propagationpolicies', PROPAGATION_POLICY_KIND, true);
export const CLUSTER_PROPAGATION_POLICIES = policyType(
  'clusterpropagationpolicies',
  CLUSTER_PROPAGATION_POLICY_KIND,
  false,
);
