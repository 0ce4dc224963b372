// Kubernetes objects and resource types as the whole tool sees them: the ground floor, no I/O.

/** Identifies a REST resource. */
export interface ResourceType {
  group: string;
  version: string;
  /** Lower-case plural used in URLs. */
  plural: string;
  kind: string;
  namespaced: boolean;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: unknown[];
  managedFields?: unknown[];
}

/** The least a typed object needs to be read or written. */
export interface HasMetadata {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
}

/** Any Kubernetes object; fields beyond metadata are left loose on purpose. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export interface ListResult<T extends HasMetadata = KubeObject> {
  items: T[];
  resourceVersion?: string;
}

export type DryRun = 'none' | 'client' | 'server';

export function apiVersionOf(type: ResourceType): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}
