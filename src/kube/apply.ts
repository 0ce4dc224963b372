// Write helpers that report what happened in kubectl's words (created / configured / unchanged).
import type { ObjectResult } from '../api/results.js';
import { objectRef } from '../api/results.js';
import { isSubset } from '../util/objects.js';
import { isAlreadyExists, KubeApiError } from './api-error.js';
import type { DryRun, HasMetadata, KubeObject, ResourceType } from '../api/objects.js';
import type { KubeClient } from './client.js';

export interface WriteResult<T extends HasMetadata = KubeObject> {
  result: ObjectResult;
  /** The object as stored (or as it would be, in a dry run); undefined for a client dry run of a new object. */
  object: T | undefined;
}

/**
 * Server-side applies an object we own. A client dry run only reads and compares; a server dry run
 * sends the apply with dryRun=All. "configured" means the stored object changed.
 */
export async function applyOwned<T extends HasMetadata>(
  client: KubeClient,
  type: ResourceType,
  desired: T,
  dryRun: DryRun,
): Promise<WriteResult<T>> {
  const { name, namespace } = desired.metadata;
  const existing = await client.get<T>(type, name ?? '', namespace);
  const ref = objectRef(desired);
  if (dryRun === 'client') {
    const verb = !existing ? 'created' : isSubset(strip(desired), existing) ? 'unchanged' : 'configured';
    return { result: { ref, verb, cluster: client.clusterName }, object: existing };
  }
  const stored = await client.apply(type, desired, { force: true, serverDryRun: dryRun === 'server' });
  const verb = !existing
    ? 'created'
    : dryRun === 'server'
      ? isSubset(strip(desired), existing)
        ? 'unchanged'
        : 'configured'
      : stored.metadata.resourceVersion === existing.metadata.resourceVersion
        ? 'unchanged'
        : 'configured';
  return { result: { ref, verb, cluster: client.clusterName }, object: stored };
}

/** Creates an object unless one of that name exists; an existing object is left exactly as it is. */
export async function createIfMissing<T extends HasMetadata>(
  client: KubeClient,
  type: ResourceType,
  desired: T,
  dryRun: DryRun,
): Promise<WriteResult<T>> {
  const { name, namespace } = desired.metadata;
  const existing = name ? await client.get<T>(type, name, namespace) : undefined;
  const ref = objectRef(existing ?? desired);
  if (existing) return { result: { ref, verb: 'unchanged', cluster: client.clusterName }, object: existing };
  if (dryRun === 'client') return { result: { ref, verb: 'created', cluster: client.clusterName }, object: undefined };
  let stored: T;
  try {
    stored = await client.create(type, desired, { serverDryRun: dryRun === 'server' });
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

/** The fields of an object we compare: everything but its identity and server-set metadata. */
function strip(obj: HasMetadata): Record<string, unknown> {
  const { metadata, apiVersion: _a, kind: _k, ...rest } = obj;
  const meta: Record<string, unknown> = {};
  if (metadata.labels) meta['labels'] = metadata.labels;
  if (metadata.annotations) meta['annotations'] = metadata.annotations;
  return { ...rest, ...(Object.keys(meta).length > 0 ? { metadata: meta } : {}) };
}
