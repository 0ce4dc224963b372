// Type configs of well-known kinds, for unit tests that plan, render or validate federated objects.
import { typeConfigFor } from '../src/federation/typeconfig.js';

export const CONFIGMAPS = typeConfigFor({
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  plural: 'configmaps',
  namespaced: true,
});
export const SERVICES = typeConfigFor({
  group: '',
  version: 'v1',
  kind: 'Service',
  plural: 'services',
  namespaced: true,
});
export const SERVICE_ACCOUNTS = typeConfigFor({
  group: '',
  version: 'v1',
  kind: 'ServiceAccount',
  plural: 'serviceaccounts',
  namespaced: true,
});
export const NAMESPACES = typeConfigFor({
  group: '',
  version: 'v1',
  kind: 'Namespace',
  plural: 'namespaces',
  namespaced: false,
});
export const DEPLOYMENTS = typeConfigFor({
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  plural: 'deployments',
  namespaced: true,
});
export const CLUSTER_ROLES = typeConfigFor({
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'ClusterRole',
  plural: 'clusterroles',
  namespaced: false,
});
