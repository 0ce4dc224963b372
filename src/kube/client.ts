// A small dynamic client for one cluster: get / list / create / update / patch / apply / delete
// of any resource type, with API errors turned into KubeApiError.
import { apiErrorFromResponse, isGone, isNotFound, KubeApiError, type RequestIntent } from './api-error.js';
import { apiVersionOf, type HasMetadata, type KubeObject, type ListResult, type ResourceType } from '../api/objects.js';
import type {
  ClusterClient,
  JsonPatchOperation,
  ListOptions,
  ObjectName,
  WatchEvent,
  WatchOptions,
  WriteOptions,
} from './cluster-client.js';
import type { HttpRequest, HttpResponse, Transport } from './transport.js';
import { decodeMetadataList, PROTOBUF_CONTENT_TYPE, type ItemVersion } from './protobuf-metadata.js';

/** Field manager for server-side apply: one constant, so ownership stays stable across versions. */
export { FIELD_MANAGER } from '../api/kubefed.js';
import { FIELD_MANAGER } from '../api/kubefed.js';

/** Objects per LIST page: kubectl's --chunk-size default. */
export const LIST_PAGE_SIZE = 500;

/** Times a paged LIST starts again after its snapshot expired part-way. */
const MAX_LIST_RESTARTS = 2;

/** URL path of a collection or an object. */
export function resourcePath(type: ResourceType, namespace?: string, name?: string, subresource?: string): string {
  const base = type.group ? `/apis/${type.group}/${type.version}` : `/api/${type.version}`;
  const ns = type.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  const obj = name ? `/${encodeURIComponent(name)}` : '';
  const sub = name && subresource ? `/${subresource}` : '';
  return `${base}${ns}/${type.plural}${obj}${sub}`;
}

/** A ClusterClient over HTTP: one cluster's API server, through a Transport. */
/** The JSON encoding of a metadata-only list. */
const METADATA_JSON = 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json';

interface ListPage<T> {
  items: T[];
  metadata?: { resourceVersion?: string | undefined; continue?: string | undefined };
}

export class KubeClient implements ClusterClient {
  constructor(
    /** Name used in messages: context or KubeFedCluster name. */
    readonly clusterName: string,
    readonly transport: Transport,
    /** Who the API server records as the writer (metadata.managedFields). */
    readonly fieldManager: string = FIELD_MANAGER,
  ) {}

  /** Reads one object; undefined when it does not exist. */
  async get<T extends HasMetadata = KubeObject>(
    type: ResourceType,
    name: string,
    namespace?: string,
  ): Promise<T | undefined> {
    try {
      return await this.call<T>({
        method: 'GET',
        path: resourcePath(type, namespace, name),
        intent: intent('get', type, name, namespace),
      });
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Lists objects of a type (all namespaces when namespace is undefined for namespaced types). */
  async list<T extends HasMetadata = KubeObject>(type: ResourceType, opts: ListOptions = {}): Promise<ListResult<T>> {
    const kind = { apiVersion: apiVersionOf(type), kind: type.kind };
    return this.pagedList(type, opts, (query) =>
      this.jsonPage(type, opts, query, { toItem: (item: T) => ({ ...kind, ...item }) }),
    );
  }

  /**
   * Lists only the metadata of objects (PartialObjectMetadataList): names, labels, annotations,
   * managedFields. A fraction of a full list's size and of the work of decoding it.
   */
  async listMetadata(type: ResourceType, opts: ListOptions = {}): Promise<ListResult<KubeObject>> {
    const kind = { apiVersion: apiVersionOf(type), kind: type.kind };
    return this.pagedList(type, opts, (query) =>
      // Metadata lists name their items PartialObjectMetadata: give them back their own kind.
      this.jsonPage(type, opts, query, { accept: METADATA_JSON, toItem: (item: KubeObject) => ({ ...item, ...kind }) }),
    );
  }

  /**
   * Each object's name, namespace, uid and resourceVersion, and nothing else: from the protobuf
   * encoding of a metadata list, read without decoding the rest (a third of the JSON's size), or
   * from its JSON where the server answers with that.
   */
  async listVersions(
    type: ResourceType,
    opts: ListOptions = {},
  ): Promise<{ items: ItemVersion[]; resourceVersion?: string }> {
    return this.pagedList(type, opts, async (query) => {
      const req: HttpRequest = {
        method: 'GET',
        path: resourcePath(type, opts.namespace),
        query,
        accept: `${PROTOBUF_CONTENT_TYPE};as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,${METADATA_JSON}`,
        ...(opts.signal ? { signal: opts.signal } : {}),
        intent: intent('list', type, undefined, opts.namespace),
      };
      const res = await this.transport.request(req);
      if (res.statusCode < 200 || res.statusCode >= 300)
        throw apiErrorFromResponse(this.clusterName, res.statusCode, res.body, req.intent);
      // The transport keeps the bytes of a protobuf answer only.
      if (res.bytes) {
        const list = decodeMetadataList(res.bytes);
        return { items: list.items, metadata: { continue: list.continue, resourceVersion: list.resourceVersion } };
      }
      const body = JSON.parse(res.body) as {
        items?: KubeObject[];
        metadata?: { resourceVersion?: string; continue?: string };
      };
      const items = (body.items ?? []).map(({ metadata: m }) => ({
        uid: m.uid ?? '',
        resourceVersion: m.resourceVersion ?? '',
      }));
      return { items, ...(body.metadata ? { metadata: body.metadata } : {}) };
    });
  }

  private async jsonPage<T>(
    type: ResourceType,
    opts: ListOptions,
    query: Record<string, string | undefined>,
    { accept, toItem }: { accept?: string; toItem: (item: T) => T },
  ): Promise<ListPage<T>> {
    const body = await this.call<{ items?: T[]; metadata?: { resourceVersion?: string; continue?: string } }>({
      method: 'GET',
      path: resourcePath(type, opts.namespace),
      query,
      ...(accept ? { accept } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
      intent: intent('list', type, undefined, opts.namespace),
    });
    return { items: (body.items ?? []).map(toItem), ...(body.metadata ? { metadata: body.metadata } : {}) };
  }

  /**
   * A LIST in pages of LIST_PAGE_SIZE (limit + continue, as kubectl reads), each page decoded and
   * dropped before the next is asked for, so no whole-list body is ever held. Every page comes
   * from the same snapshot; when the snapshot has been compacted away meanwhile (410 on a
   * continue), the list starts again from the first page.
   */
  private async pagedList<T>(
    type: ResourceType,
    opts: ListOptions,
    fetchPage: (query: Record<string, string | undefined>) => Promise<ListPage<T>>,
  ): Promise<{ items: T[]; resourceVersion?: string }> {
    for (let restarts = 0; ; restarts++) {
      const items: T[] = [];
      let next: string | undefined;
      try {
        for (;;) {
          const page = await fetchPage({
            labelSelector: opts.labelSelector,
            fieldSelector: opts.fieldSelector,
            limit: String(LIST_PAGE_SIZE),
            continue: next,
          });
          for (const item of page.items) items.push(item);
          next = page.metadata?.continue || undefined;
          if (!next) {
            const rv = page.metadata?.resourceVersion;
            return { items, ...(rv ? { resourceVersion: rv } : {}) };
          }
        }
      } catch (error) {
        if (!(next && isGone(error) && restarts < MAX_LIST_RESTARTS)) throw error;
      }
    }
  }

  async watch<T extends HasMetadata = KubeObject>(
    type: ResourceType,
    opts: WatchOptions,
    onEvent: (event: WatchEvent<T>) => void,
    signal: AbortSignal,
  ): Promise<void> {
    const req: HttpRequest = {
      method: 'GET',
      path: resourcePath(type, opts.namespace),
      query: {
        watch: '1',
        allowWatchBookmarks: 'true',
        resourceVersion: opts.resourceVersion,
        timeoutSeconds: String(Math.max(1, Math.round(opts.timeoutSeconds))),
        labelSelector: opts.labelSelector,
        fieldSelector: opts.fieldSelector,
      },
      intent: intent('watch', type, undefined, opts.namespace),
    };
    // An ERROR event ends the watch: the rest of the stream is not read.
    const stop = new AbortController();
    const both = AbortSignal.any([signal, stop.signal]);
    let failure: KubeApiError | undefined;
    const res = await this.transport.stream(
      req,
      (line) => {
        if (failure) return;
        let event: { type?: string; object?: unknown };
        try {
          event = JSON.parse(line) as { type?: string; object?: unknown };
        } catch {
          return; // a torn line of a stream cut short: the caller lists again anyway
        }
        if (event.type === 'ERROR') {
          const status = (event.object ?? {}) as { code?: number };
          failure = apiErrorFromResponse(this.clusterName, status.code ?? 500, JSON.stringify(status), req.intent);
          stop.abort();
        } else if (event.type && event.object) {
          const object = { apiVersion: apiVersionOf(type), kind: type.kind, ...(event.object as T) };
          onEvent({ type: event.type as WatchEvent['type'], object });
        }
      },
      both,
    );
    if (failure) throw failure;
    if (res.statusCode !== 0 && (res.statusCode < 200 || res.statusCode >= 300))
      throw apiErrorFromResponse(this.clusterName, res.statusCode, res.body, req.intent);
  }

  async create<T extends HasMetadata>(type: ResourceType, obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.call<T>(this.createRequest(type, obj, opts));
  }

  async createWithoutAnswer(type: ResourceType, obj: HasMetadata, opts: WriteOptions = {}): Promise<void> {
    // Decoding a created Deployment's answer costs about as much as encoding and sending it.
    await this.answered({ ...this.createRequest(type, obj, opts), bodyUnread: true });
  }

  private createRequest(type: ResourceType, obj: HasMetadata, opts: WriteOptions): HttpRequest {
    const ns = obj.metadata.namespace;
    return {
      method: 'POST',
      path: resourcePath(type, ns),
      query: { fieldManager: this.fieldManager, ...dryRunQuery(opts) },
      body: JSON.stringify(obj),
      // A named create sent twice is answered 409 AlreadyExists, which callers resolve; a generated name would make two objects.
      retrySafe: Boolean(obj.metadata.name),
      intent: intent('create', type, obj.metadata.name ?? obj.metadata.generateName, ns),
    };
  }

  /** Replaces an object (PUT); send metadata.resourceVersion for optimistic concurrency. */
  async update<T extends HasMetadata>(
    type: ResourceType,
    obj: T,
    opts: WriteOptions & { subresource?: 'status' } = {},
  ): Promise<T> {
    const { name, namespace } = obj.metadata;
    return this.call<T>({
      method: 'PUT',
      path: resourcePath(type, namespace, name, opts.subresource),
      query: { fieldManager: this.fieldManager, ...dryRunQuery(opts) },
      body: JSON.stringify(obj),
      intent: intent(opts.subresource ? 'update status of' : 'update', type, name, namespace),
    });
  }

  /** JSON merge patch (RFC 7386). */
  async mergePatch<T extends HasMetadata = KubeObject>(
    type: ResourceType,
    name: string,
    namespace: string | undefined,
    patch: object,
    opts: WriteOptions & { subresource?: 'status' } = {},
  ): Promise<T> {
    return this.call<T>({
      method: 'PATCH',
      path: resourcePath(type, namespace, name, opts.subresource),
      query: { fieldManager: this.fieldManager, ...dryRunQuery(opts) },
      body: JSON.stringify(patch),
      contentType: 'application/merge-patch+json',
      intent: intent('patch', type, name, namespace),
    });
  }

  /** JSON patch (RFC 6902); a `replace` of /metadata/resourceVersion makes it conditional (409 when changed). */
  async jsonPatch<T extends HasMetadata = KubeObject>(
    type: ResourceType,
    { name, namespace }: ObjectName,
    patch: JsonPatchOperation[],
    opts: WriteOptions = {},
  ): Promise<T> {
    return this.call<T>({
      method: 'PATCH',
      path: resourcePath(type, namespace, name),
      query: { fieldManager: this.fieldManager, ...dryRunQuery(opts) },
      body: JSON.stringify(patch),
      contentType: 'application/json-patch+json',
      intent: intent('patch', type, name, namespace),
    });
  }

  /** Server-side apply with the kubefedctl field manager. */
  async apply<T extends HasMetadata>(
    type: ResourceType,
    obj: T,
    opts: WriteOptions & { force?: boolean; subresource?: 'status' } = {},
  ): Promise<T> {
    const { name, namespace } = obj.metadata;
    return this.call<T>({
      method: 'PATCH',
      path: resourcePath(type, namespace, name, opts.subresource),
      query: { fieldManager: this.fieldManager, force: opts.force ? 'true' : undefined, ...dryRunQuery(opts) },
      body: JSON.stringify({ apiVersion: apiVersionOf(type), kind: type.kind, ...obj }),
      contentType: 'application/apply-patch+yaml',
      intent: intent('apply', type, name, namespace),
    });
  }

  /** Deletes an object; returns false when it was already gone. */
  async delete(
    type: ResourceType,
    name: string,
    namespace?: string,
    opts: WriteOptions & { propagationPolicy?: string; options?: Record<string, unknown> } = {},
  ): Promise<boolean> {
    const body: Record<string, unknown> = { apiVersion: 'v1', kind: 'DeleteOptions', ...opts.options };
    if (opts.propagationPolicy) body['propagationPolicy'] = opts.propagationPolicy;
    if (opts.serverDryRun) body['dryRun'] = ['All'];
    try {
      await this.call({
        method: 'DELETE',
        path: resourcePath(type, namespace, name),
        body: JSON.stringify(body),
        intent: intent('delete', type, name, namespace),
      });
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  /** GET of a raw path such as /readyz or /version; returns status and body without throwing on errors. */
  async raw(
    path: string,
    opts: Pick<HttpRequest, 'timeoutMs' | 'maxRetries' | 'maxNetworkRetries' | 'retryBudgetMs'> = {},
  ): Promise<HttpResponse> {
    return this.transport.request({ method: 'GET', path, intent: { verb: 'get', resource: path }, ...opts });
  }

  /** Sends a request and decodes its JSON body, throwing KubeApiError on an error status. */
  async call<T>(req: HttpRequest): Promise<T> {
    const res = await this.answered(req);
    try {
      return JSON.parse(res.body) as T;
    } catch {
      throw new KubeApiError(
        this.clusterName,
        res.statusCode,
        'InvalidResponse',
        `the server answered with a body that is not JSON: ${res.body.slice(0, 120)}`,
        req.intent,
      );
    }
  }

  /** Sends a request; throws the API error of an answer other than 2xx. */
  private async answered(req: HttpRequest): Promise<HttpResponse> {
    const res = await this.transport.request(req);
    if (res.statusCode < 200 || res.statusCode >= 300)
      throw Object.assign(apiErrorFromResponse(this.clusterName, res.statusCode, res.body, req.intent), {
        attempts: res.attempts,
      });
    return res;
  }

  get requestCounts(): Readonly<Record<string, number>> {
    return this.transport.counts;
  }

  get unreachableReason(): string | undefined {
    return this.transport.unreachableReason;
  }

  get maxInFlight(): number {
    return this.transport.options.maxInFlight;
  }

  close(): void {
    this.transport.close();
  }
}

function dryRunQuery(opts: WriteOptions): Record<string, string | undefined> {
  return opts.serverDryRun ? { dryRun: 'All' } : {};
}

function intent(verb: string, type: ResourceType, name?: string, namespace?: string): RequestIntent {
  const resource = type.group ? `${type.plural}.${type.group}` : type.plural;
  return { verb, resource, ...(name ? { name } : {}), ...(type.namespaced && namespace ? { namespace } : {}) };
}
