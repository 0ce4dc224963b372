/**
 * KubeFed names, keys and the default control-plane configuration (KubeFed v0.10 / core.kubefed.io/v1beta1).
 * Pure data: nothing here touches the network, the filesystem or the clock.
 */

/** Name of the single KubeFedConfig object read by the control plane. */
export const KUBEFED_CONFIG_NAME = 'kubefed';
/** Namespace that holds KubeFedClusters, FederatedTypeConfigs and the KubeFedConfig unless told otherwise. */
export const DEFAULT_KUBEFED_NAMESPACE = 'kube-federation-system';

export const CORE_GROUP = 'core.kubefed.io';
export const CORE_VERSION = 'v1beta1';
export const CORE_API_VERSION = `${CORE_GROUP}/${CORE_VERSION}`;
/** PropagatedVersion / ClusterPropagatedVersion / FederatedServiceStatus live in core.kubefed.io/v1alpha1. */
export const CORE_V1ALPHA1_API_VERSION = `${CORE_GROUP}/v1alpha1`;
/** Group of the generated Federated<Kind> types. */
export const TYPES_GROUP = 'types.kubefed.io';
export const TYPES_VERSION = 'v1beta1';
export const SCHEDULING_GROUP = 'scheduling.kubefed.io';
export const SCHEDULING_VERSION = 'v1alpha1';
export const SCHEDULING_API_VERSION = `${SCHEDULING_GROUP}/${SCHEDULING_VERSION}`;
export const MULTICLUSTERDNS_GROUP = 'multiclusterdns.kubefed.io';
export const MULTICLUSTERDNS_VERSION = 'v1alpha1';
export const MULTICLUSTERDNS_API_VERSION = `${MULTICLUSTERDNS_GROUP}/${MULTICLUSTERDNS_VERSION}`;

/** Label put on every member-cluster copy; value "false" marks an object as explicitly unmanaged. */
export const MANAGED_LABEL = 'kubefed.io/managed';
/** Annotation on a federated resource: "true" keeps member copies when the resource is deleted. */
export const ORPHAN_ANNOTATION = 'kubefed.io/orphan';
/** Annotation on a federated resource holding JSON DeleteOptions used when deleting member copies. */
export const DELETE_OPTIONS_ANNOTATION = 'kubefed.io/deleteoption';
/** Finalizer on federated resources while member copies still need cleanup. */
export const SYNC_FINALIZER = 'kubefed.io/sync-controller';
/** Finalizer on FederatedTypeConfigs. */
export const FTC_FINALIZER = 'core.kubefed.io/federated-type-config';

export type KubeFedScope = 'Cluster' | 'Namespaced';
export type Toggle = 'Enabled' | 'Disabled';
export type FeatureGateName = 'PushReconciler' | 'RawResourceStatusCollection' | 'SchedulerPreferences';

/** Every feature gate KubeFed knows, with its default, sorted by name. */
export const KNOWN_FEATURE_GATES: readonly { readonly name: FeatureGateName; readonly default: Toggle }[] = [
  { name: 'PushReconciler', default: 'Enabled' },
  { name: 'RawResourceStatusCollection', default: 'Disabled' },
  { name: 'SchedulerPreferences', default: 'Enabled' },
];

export interface FeatureGateConfiguration {
  name: FeatureGateName;
  configuration: Toggle;
}

export interface KubeFedConfigSpec {
  scope: KubeFedScope;
  controllerDuration: { availableDelay: string; unavailableDelay: string; cacheSyncTimeout: string };
  leaderElect: {
    leaseDuration: string;
    renewDeadline: string;
    retryPeriod: string;
    resourceLock: 'configmaps' | 'endpoints';
  };
  featureGates: FeatureGateConfiguration[];
  clusterHealthCheck: { period: string; failureThreshold: number; successThreshold: number; timeout: string };
  syncController: { maxConcurrentReconciles: number; adoptResources: Toggle };
  statusController: { maxConcurrentReconciles: number };
}

export interface KubeFedConfig {
  apiVersion: typeof CORE_API_VERSION;
  kind: 'KubeFedConfig';
  metadata: { name: string; namespace: string };
  spec: KubeFedConfigSpec;
}

/**
 * Returns the KubeFedConfig named "kubefed" with every field set to KubeFed's default, except
 * adoptResources, which is Disabled: taking over pre-existing member objects must be opted into.
 */
export function defaultKubeFedConfig(namespace: string, scope: KubeFedScope): KubeFedConfig {
  return {
    apiVersion: CORE_API_VERSION,
    kind: 'KubeFedConfig',
    metadata: { name: KUBEFED_CONFIG_NAME, namespace },
    spec: {
      scope,
      controllerDuration: { availableDelay: '20s', unavailableDelay: '60s', cacheSyncTimeout: '5m' },
      leaderElect: { leaseDuration: '15s', renewDeadline: '10s', retryPeriod: '5s', resourceLock: 'configmaps' },
      featureGates: KNOWN_FEATURE_GATES.map((gate) => ({ name: gate.name, configuration: gate.default })),
      clusterHealthCheck: { period: '10s', failureThreshold: 3, successThreshold: 1, timeout: '3s' },
      syncController: { maxConcurrentReconciles: 1, adoptResources: 'Disabled' },
      statusController: { maxConcurrentReconciles: 1 },
    },
  };
}

/** Annotation on member objects: a hash of what kubefedctl last applied, so a changed template is noticed. */
export const APPLIED_HASH_ANNOTATION = 'kubefed.io/applied-hash';

/** The field manager of every write to member and host clusters. */
export const FIELD_MANAGER = 'kubefedctl';

/** Annotation holding how many runs in a row the reported state has been reported (KubeFed kept it in memory). */
export const HEALTH_RUN_ANNOTATION = 'kubefed.io/health-reports';
/** Labels and annotation `join --region/--zone` writes; used when nodes carry no topology labels. */
export const REGION_LABEL = 'topology.kubernetes.io/region';
export const ZONES_ANNOTATION = 'kubefed.io/zones';
