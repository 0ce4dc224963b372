// What the engine needs from one cluster, as an interface: KubeClient implements it over HTTP, and
// engine unit tests use a strict in-memory fake (test/fakes/cluster-client.ts).
import type { HasMetadata, KubeObject, ListResult, ResourceType } from '../api/objects.js';
import type { HttpRequest, HttpResponse } from './transport.js';
import type { ItemVersion } from './protobuf-metadata.js';

export interface WriteOptions {
  /** Server dry run: the API server validates and admits, but stores nothing. */
  serverDryRun?: boolean;
}

/** The object a write names. */
export interface ObjectName {
  name: string;
  namespace?: string | undefined;
}

/** One operation of a JSON patch (RFC 6902), as this tool sends them. */
export interface JsonPatchOperation {
  op: 'add' | 'replace' | 'remove' | 'test';
  path: string;
  value?: unknown;
}

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  /** e.g. `metadata.name=web` */
  fieldSelector?: string;
  /** Gives the request up (and its retries). */
  signal?: AbortSignal;
}

/** One event of a watch; BOOKMARK events only carry a newer metadata.resourceVersion. */
export interface WatchEvent<T extends HasMetadata = KubeObject> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';
  object: T;
}

export interface WatchOptions extends Omit<ListOptions, 'signal'> {
  /** Where the watch starts: the resourceVersion of a list, or of the last event seen. */
  resourceVersion: string;
  /** The server ends the watch after this long. */
  timeoutSeconds: number;
}

export interface ClusterClient {
  /** Name used in messages: context or KubeFedCluster name. */
  readonly clusterName: string;
  /** Reads one object; undefined when it does not exist. */
  get<T extends HasMetadata = KubeObject>(type: ResourceType, name: string, namespace?: string): Promise<T | undefined>;
  list<T extends HasMetadata = KubeObject>(type: ResourceType, opts?: ListOptions): Promise<ListResult<T>>;
  /** Names, labels and UIDs only. */
  listMetadata(type: ResourceType, opts?: ListOptions): Promise<ListResult<KubeObject>>;
  /** Each object's name, namespace, uid and resourceVersion only (protobuf where the server has it). */
  listVersions(type: ResourceType, opts?: ListOptions): Promise<{ items: ItemVersion[]; resourceVersion?: string }>;
  create<T extends HasMetadata>(type: ResourceType, obj: T, opts?: WriteOptions): Promise<T>;
  /** A create whose caller does not read the stored object: its answer is checked, not decoded. */
  createWithoutAnswer(type: ResourceType, obj: HasMetadata, opts?: WriteOptions): Promise<void>;
  /** Server-side apply with the kubefedctl field manager. */
  apply<T extends HasMetadata>(
    type: ResourceType,
    obj: T,
    opts?: WriteOptions & { force?: boolean; subresource?: 'status' },
  ): Promise<T>;
  /** Replaces an object (PUT); send metadata.resourceVersion for optimistic concurrency. */
  update<T extends HasMetadata>(type: ResourceType, obj: T, opts?: WriteOptions): Promise<T>;
  /** JSON merge patch (RFC 7386). */
  mergePatch<T extends HasMetadata = KubeObject>(
    type: ResourceType,
    name: string,
    namespace: string | undefined,
    patch: object,
    opts?: WriteOptions & { subresource?: 'status' },
  ): Promise<T>;
  /** JSON patch (RFC 6902); a `replace` of /metadata/resourceVersion makes it conditional (409 when changed). */
  jsonPatch<T extends HasMetadata = KubeObject>(
    type: ResourceType,
    target: ObjectName,
    patch: JsonPatchOperation[],
    opts?: WriteOptions,
  ): Promise<T>;
  /**
   * Watches a collection: `onEvent` for each change after `resourceVersion`, until the server ends
   * the watch or `signal` aborts it. Throws KubeApiError for an error answer or an ERROR event
   * (410 Gone: the version is too old, list again).
   */
  watch<T extends HasMetadata = KubeObject>(
    type: ResourceType,
    opts: WatchOptions,
    onEvent: (event: WatchEvent<T>) => void,
    signal: AbortSignal,
  ): Promise<void>;
  /** Deletes an object; false when it was already gone. */
  delete(
    type: ResourceType,
    name: string,
    namespace?: string,
    opts?: WriteOptions & { propagationPolicy?: string; options?: Record<string, unknown> },
  ): Promise<boolean>;
  /** GET of a raw path such as /readyz; answers whatever the status. */
  raw(
    path: string,
    opts?: Pick<HttpRequest, 'timeoutMs' | 'maxRetries' | 'maxNetworkRetries' | 'retryBudgetMs'>,
  ): Promise<HttpResponse>;
  /** Requests sent so far in this run, by HTTP method. */
  readonly requestCounts: Readonly<Record<string, number>>;
  /** Why the cluster was taken as unreachable during this run, if it was. */
  readonly unreachableReason: string | undefined;
  /** Requests it sends at once (--concurrency); more wait for a free slot. */
  readonly maxInFlight: number;
}
