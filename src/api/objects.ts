// Kubernetes objects and resource types as the whole tool sees them: the ground floor, no I/O.
// Built-in objects are typed with @kubernetes/client-node's generated models, as type-only imports
// (erased from the emitted JavaScript, so nothing of client-node is loaded at run time).
import type { V1ObjectMeta } from '@kubernetes/client-node';

/** Identifies a REST resource. */
export interface ResourceType {
  group: string;
  version: string;
  /** Lower-case plural used in URLs. */
  plural: string;
  kind: string;
  namespaced: boolean;
}

/**
 * A client-node model as its JSON travels on the wire. The generated models type RFC 3339
 * timestamps as `Date` (client-node's own deserialiser converts them); this tool reads and writes
 * the JSON as it is, so they are strings here. Every other field keeps the model's type.
 */
export type Wire<T> = 0 extends 1 & T
  ? T // `any` (e.g. managedFields[].fieldsV1) stays `any`
  : T extends Date
    ? string
    : T extends readonly (infer E)[]
      ? Wire<E>[]
      : T extends object
        ? { [K in keyof T]: Wire<T[K]> }
        : T;

/**
 * Object metadata: meta/v1 ObjectMeta as it is on the wire. `ownerReferences` and `managedFields`
 * stay `unknown[]`: objects also come from users' files, and the code that reads them checks each entry.
 */
export type ObjectMeta = Omit<Wire<V1ObjectMeta>, 'ownerReferences' | 'managedFields'> & {
  ownerReferences?: unknown[];
  managedFields?: unknown[];
};

/**
 * A built-in object (client-node model `T`) as the tool reads or builds it: wire JSON, with the
 * metadata every stored object has made required, so it can go through the client.
 */
export type WireObject<T extends { metadata?: V1ObjectMeta }> = Wire<Omit<T, 'metadata'>> & { metadata: ObjectMeta };

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
