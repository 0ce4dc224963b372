// How a run writes, chosen once from --dry-run, so no writer branches on the mode itself:
// `none` sends writes; `server` sends them with dryRun=All, and the API server validates, admits
// and answers as if it had stored them; `client` sends nothing and answers with what it would send.
import type { DryRun, HasMetadata, ResourceType } from '../api/objects.js';
import type { ClusterClient } from './cluster-client.js';

export interface Writer {
  readonly dryRun: DryRun;
  create<T extends HasMetadata>(client: ClusterClient, type: ResourceType, obj: T): Promise<T>;
  /** Server-side apply; `force` takes fields from other managers. */
  apply<T extends HasMetadata>(
    client: ClusterClient,
    type: ResourceType,
    obj: T,
    opts?: { force?: boolean },
  ): Promise<T>;
  /** A merge patch; a client dry run has no stored object to answer with. */
  mergePatch<T extends HasMetadata>(
    client: ClusterClient,
    type: ResourceType,
    name: string,
    namespace: string | undefined,
    patch: object,
    opts?: { subresource?: 'status' },
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
  constructor(private readonly serverDryRun: boolean) {
    this.dryRun = serverDryRun ? 'server' : 'none';
  }
  create<T extends HasMetadata>(client: ClusterClient, type: ResourceType, obj: T): Promise<T> {
    return client.create(type, obj, { serverDryRun: this.serverDryRun });
  }
  apply<T extends HasMetadata>(
    client: ClusterClient,
    type: ResourceType,
    obj: T,
    opts: { force?: boolean } = {},
  ): Promise<T> {
    return client.apply(type, obj, { ...opts, serverDryRun: this.serverDryRun });
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
  create<T extends HasMetadata>(_client: ClusterClient, _type: ResourceType, obj: T): Promise<T> {
    return Promise.resolve(obj);
  }
  apply<T extends HasMetadata>(_client: ClusterClient, _type: ResourceType, obj: T): Promise<T> {
    return Promise.resolve(obj);
  }
  mergePatch<T extends HasMetadata>(): Promise<T | undefined> {
    return Promise.resolve(undefined);
  }
  delete(): Promise<boolean> {
    return Promise.resolve(true);
  }
}
