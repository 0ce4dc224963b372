// How a run writes, chosen once from --dry-run, so no writer branches on the mode itself:
// `none` sends writes; `server` sends them with dryRun=All, and the API server validates, admits
// and answers as if it had stored them; `client` sends nothing and answers with what it would send.
import type { DryRun, HasMetadata, ResourceType } from '../api/objects.js';
import { isSubset } from '../util/objects.js';
import type { ClusterClient, JsonPatchOperation, ObjectName } from './cluster-client.js';

/**
 * Callers never ask for the mode; they ask what a write does: whether the API server sees it
 * (`sends`) and whether it is stored (`persists`), so later steps may wait for or roll back what
 * was written.
 */
export interface Writer {
  /** For reports only ("(dry run)"). */
  readonly dryRun: DryRun;
  readonly sends: boolean;
  readonly persists: boolean;
  /** Whether a write that answered `stored` changed `existing`; `sent` is what was written. */
  changed(existing: HasMetadata, sent: HasMetadata, stored: HasMetadata): boolean;
  create<T extends HasMetadata>(client: ClusterClient, type: ResourceType, obj: T): Promise<T>;
  /** A create whose caller does not read the stored object. */
  createWithoutAnswer(client: ClusterClient, type: ResourceType, obj: HasMetadata): Promise<void>;
  /** Server-side apply; `force` takes fields from other managers. */
  apply<T extends HasMetadata>(
    client: ClusterClient,
    type: ResourceType,
    obj: T,
    opts?: { force?: boolean },
  ): Promise<T>;
  /** Replaces an object (PUT). */
  update<T extends HasMetadata>(client: ClusterClient, type: ResourceType, obj: T): Promise<T>;
  /** A merge patch; a client dry run has no stored object to answer with. */
  mergePatch<T extends HasMetadata>(
    client: ClusterClient,
    type: ResourceType,
    name: string,
    namespace: string | undefined,
    patch: object,
    opts?: { subresource?: 'status' },
  ): Promise<T | undefined>;
  /** A JSON patch; a client dry run has no stored object to answer with. */
  jsonPatch<T extends HasMetadata>(
    client: ClusterClient,
    type: ResourceType,
    target: ObjectName,
    patch: JsonPatchOperation[],
  ): Promise<T | undefined>;
  /** False when the object was already gone (a client dry run assumes it was there). */
  delete(
    client: ClusterClient,
    type: ResourceType,
    name: string,
    namespace: string | undefined,
    opts?: { options?: Record<string, unknown> },
  ): Promise<boolean>;
}

/** The writer for a run's --dry-run mode. */
export function writerFor(dryRun: DryRun): Writer {
  return dryRun === 'client' ? new ClientDryRun() : new Sending(dryRun === 'server');
}

/** Sends every write; with `serverDryRun`, the API server answers without storing anything. */
class Sending implements Writer {
  readonly dryRun: DryRun;
  readonly sends = true;
  readonly persists: boolean;
  constructor(private readonly serverDryRun: boolean) {
    this.dryRun = serverDryRun ? 'server' : 'none';
    this.persists = !serverDryRun;
  }
  changed(existing: HasMetadata, sent: HasMetadata, stored: HasMetadata): boolean {
    // A server dry run answers with the resourceVersion it had, changed or not.
    return this.serverDryRun
      ? !isSubset(comparable(sent), existing)
      : stored.metadata.resourceVersion !== existing.metadata.resourceVersion;
  }
  create<T extends HasMetadata>(client: ClusterClient, type: ResourceType, obj: T): Promise<T> {
    return client.create(type, obj, { serverDryRun: this.serverDryRun });
  }
  createWithoutAnswer(client: ClusterClient, type: ResourceType, obj: HasMetadata): Promise<void> {
    return client.createWithoutAnswer(type, obj, { serverDryRun: this.serverDryRun });
  }
  apply<T extends HasMetadata>(
    client: ClusterClient,
    type: ResourceType,
    obj: T,
    opts: { force?: boolean } = {},
  ): Promise<T> {
    return client.apply(type, obj, { ...opts, serverDryRun: this.serverDryRun });
  }
  update<T extends HasMetadata>(client: ClusterClient, type: ResourceType, obj: T): Promise<T> {
    return client.update(type, obj, { serverDryRun: this.serverDryRun });
  }
  mergePatch<T extends HasMetadata>(
    client: ClusterClient,
    type: ResourceType,
    name: string,
    namespace: string | undefined,
    patch: object,
    opts: { subresource?: 'status' } = {},
  ): Promise<T | undefined> {
    return client.mergePatch<T>(type, name, namespace, patch, { ...opts, serverDryRun: this.serverDryRun });
  }
  jsonPatch<T extends HasMetadata>(
    client: ClusterClient,
    type: ResourceType,
    target: ObjectName,
    patch: JsonPatchOperation[],
  ): Promise<T | undefined> {
    return client.jsonPatch<T>(type, target, patch, { serverDryRun: this.serverDryRun });
  }
  delete(
    client: ClusterClient,
    type: ResourceType,
    name: string,
    namespace: string | undefined,
    opts: { options?: Record<string, unknown> } = {},
  ): Promise<boolean> {
    return client.delete(type, name, namespace, { ...opts, serverDryRun: this.serverDryRun });
  }
}

/** Sends nothing: answers with the object that would have been sent. */
class ClientDryRun implements Writer {
  readonly dryRun: DryRun = 'client';
  readonly sends = false;
  readonly persists = false;
  changed(existing: HasMetadata, sent: HasMetadata): boolean {
    return !isSubset(comparable(sent), existing);
  }
  create<T extends HasMetadata>(_client: ClusterClient, _type: ResourceType, obj: T): Promise<T> {
    return Promise.resolve(obj);
  }
  createWithoutAnswer(): Promise<void> {
    return Promise.resolve();
  }
  apply<T extends HasMetadata>(_client: ClusterClient, _type: ResourceType, obj: T): Promise<T> {
    return Promise.resolve(obj);
  }
  update<T extends HasMetadata>(_client: ClusterClient, _type: ResourceType, obj: T): Promise<T> {
    return Promise.resolve(obj);
  }
  mergePatch<T extends HasMetadata>(): Promise<T | undefined> {
    return Promise.resolve(undefined);
  }
  jsonPatch<T extends HasMetadata>(): Promise<T | undefined> {
    return Promise.resolve(undefined);
  }
  delete(): Promise<boolean> {
    return Promise.resolve(true);
  }
}

/** The fields of a sent object that a stored one must have: all but identity and server-set metadata. */
function comparable(obj: HasMetadata): Record<string, unknown> {
  const { metadata, apiVersion: _a, kind: _k, ...rest } = obj;
  const meta: Record<string, unknown> = {};
  if (metadata.labels) meta['labels'] = metadata.labels;
  if (metadata.annotations) meta['annotations'] = metadata.annotations;
  return { ...rest, ...(Object.keys(meta).length > 0 ? { metadata: meta } : {}) };
}
