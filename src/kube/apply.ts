// Write helpers that report what happened in kubectl's words (created / configured / unchanged).
// The Writer decides whether anything is sent; these only read, write through it and name the outcome.
import type { ObjectResult } from '../api/results.js';
import { objectRef } from '../api/results.js';
import { isAlreadyExists, KubeApiError } from './api-error.js';
import type { HasMetadata, KubeObject, ResourceType } from '../api/objects.js';
import type { ClusterClient } from './cluster-client.js';
import type { Writer } from './writer.js';

export interface WriteResult<T extends HasMetadata = KubeObject> {
  result: ObjectResult;
  /** The object as stored, or as it would be (a client dry run answers with what it would send). */
  object: T;
}

/** Server-side applies an object we own; "configured" means the stored object changed. */
export async function applyOwned<T extends HasMetadata>(
  writer: Writer,
  client: ClusterClient,
  type: ResourceType,
  desired: T,
): Promise<WriteResult<T>> {
  const { name, namespace } = desired.metadata;
  const existing = await client.get<T>(type, name ?? '', namespace);
  const stored = await writer.apply(client, type, desired, { force: true });
  const verb = !existing ? 'created' : writer.changed(existing, desired, stored) ? 'configured' : 'unchanged';
  return { result: { ref: objectRef(desired), verb, cluster: client.clusterName }, object: stored };
}

/** Creates an object unless one of that name exists; an existing object is left exactly as it is. */
export async function createIfMissing<T extends HasMetadata>(
  writer: Writer,
  client: ClusterClient,
  type: ResourceType,
  desired: T,
): Promise<WriteResult<T>> {
  const { name, namespace } = desired.metadata;
  const existing = name ? await client.get<T>(type, name, namespace) : undefined;
  const ref = objectRef(existing ?? desired);
  if (existing) return { result: { ref, verb: 'unchanged', cluster: client.clusterName }, object: existing };
  let stored: T;
  try {
    stored = await writer.create(client, type, desired);
  } catch (error) {
    // Made meanwhile, or by our own first attempt whose answer was lost: it exists, which is all we want.
    const now = isAlreadyExists(error) && name ? await client.get<T>(type, name, namespace) : undefined;
    if (!now) throw error;
    const verb = error instanceof KubeApiError && error.attempts > 1 ? 'created' : 'unchanged';
    return { result: { ref, verb, cluster: client.clusterName }, object: now };
  }
  return {
    result: {
      ref: objectRef(stored.apiVersion ? stored : { ...stored, apiVersion: desired.apiVersion, kind: desired.kind }),
      verb: 'created',
      cluster: client.clusterName,
    },
    object: stored,
  };
}
