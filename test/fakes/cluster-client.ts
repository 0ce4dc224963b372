// A strict in-memory ClusterClient for engine unit tests. It keeps objects like a tiny API server
// (create refuses existing names, delete of a missing object is false, merge patches merge), records
// every call in order, and throws on any call the test did not allow, so an engine rule that sends
// an unexpected request fails its test instead of passing silently.
import type { HasMetadata, KubeObject, ListResult, ResourceType } from '../../src/api/objects.js';
import { apiErrorFromResponse } from '../../src/kube/api-error.js';
import type {
  ClusterClient,
  JsonPatchOperation,
  ListOptions,
  ObjectName,
  WatchEvent,
  WatchOptions,
  WriteOptions,
} from '../../src/kube/cluster-client.js';
import type { HttpResponse } from '../../src/kube/transport.js';
import type { ItemVersion } from '../../src/kube/protobuf-metadata.js';

type Method =
  | 'get'
  | 'list'
  | 'listMetadata'
  | 'listVersions'
  | 'create'
  | 'apply'
  | 'update'
  | 'mergePatch'
  | 'jsonPatch'
  | 'delete'
  | 'raw'
  | 'watch';

export interface Call {
  method: Method;
  /** `plural/namespace/name` (or the raw path). */
  target: string;
  dryRun: boolean;
}

const key = (type: ResourceType, namespace: string | undefined, name: string) =>
  `${type.plural}/${type.namespaced ? (namespace ?? '') : ''}/${name}`;

function mergePatchInto(target: Record<string, unknown>, patch: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete target[k];
    else if (
      typeof v === 'object' &&
      !Array.isArray(v) &&
      typeof target[k] === 'object' &&
      target[k] !== null &&
      !Array.isArray(target[k])
    )
      mergePatchInto(target[k] as Record<string, unknown>, v as Record<string, unknown>);
    else target[k] = structuredClone(v);
  }
}

/** One JSON patch operation on object members (no array indices: the engine sends none). */
function jsonPatchOp(target: Record<string, unknown>, op: JsonPatchOperation): void {
  const keys = op.path
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const last = keys.pop() ?? '';
  let parent = target;
  for (const k of keys) parent = parent[k] as Record<string, unknown>;
  if (op.op === 'test') {
    if (JSON.stringify(parent[last]) !== JSON.stringify(op.value)) throw new Error(`test ${op.path} failed`);
  } else if (op.op === 'remove') delete parent[last];
  else parent[last] = structuredClone(op.value);
}

export class FakeCluster implements ClusterClient {
  readonly calls: Call[] = [];
  private readonly store = new Map<string, KubeObject>();
  private version = 1;
  /** Fails the next write to this key with this HTTP status (once). */
  readonly failNext = new Map<string, number>();
  /** What raw GETs of these paths answer (an Error: the request fails); others answer 200 "ok". */
  readonly rawAnswers = new Map<string, { statusCode: number; body: string } | Error>();

  constructor(
    readonly clusterName: string,
    private readonly allow: readonly Method[],
    objects: { type: ResourceType; object: KubeObject }[] = [],
  ) {
    for (const { type, object } of objects)
      this.store.set(key(type, object.metadata.namespace, object.metadata.name ?? ''), {
        ...structuredClone(object),
        metadata: {
          uid: `uid-${this.version}`,
          resourceVersion: String(this.version++),
          ...structuredClone(object.metadata),
        },
      });
  }

  get requestCounts(): Readonly<Record<string, number>> {
    const http: Record<Method, string> = {
      get: 'GET',
      list: 'GET',
      listMetadata: 'GET',
      listVersions: 'GET',
      raw: 'GET',
      watch: 'WATCH',
      create: 'POST',
      apply: 'PATCH',
      update: 'PUT',
      mergePatch: 'PATCH',
      jsonPatch: 'PATCH',
      delete: 'DELETE',
    };
    const out: Record<string, number> = {};
    for (const c of this.calls) out[http[c.method]] = (out[http[c.method]] ?? 0) + 1;
    return out;
  }

  readonly unreachableReason: string | undefined = undefined;

  maxInFlight = 16;

  /** The stored object, for assertions. */
  object(type: ResourceType, name: string, namespace?: string): KubeObject | undefined {
    return this.store.get(key(type, namespace, name));
  }

  /** Calls of one method, as targets, in order. */
  targets(method: Method, opts: { dryRun?: boolean } = {}): string[] {
    return this.calls
      .filter((c) => c.method === method && (opts.dryRun === undefined || c.dryRun === opts.dryRun))
      .map((c) => c.target);
  }

  private record(method: Method, target: string, dryRun = false): void {
    if (!this.allow.includes(method)) throw new Error(`${this.clusterName}: unexpected ${method} ${target}`);
    this.calls.push({ method, target, dryRun });
  }

  /** The API server's 404 for a write to a missing object. */
  private notFound(target: string, verb: string): Error {
    return apiErrorFromResponse(
      this.clusterName,
      404,
      JSON.stringify({ reason: 'NotFound', message: `${target} not found` }),
      { verb },
    );
  }

  private failure(target: string, verb: string): void {
    const status = this.failNext.get(target);
    if (status === undefined) return;
    this.failNext.delete(target);
    throw apiErrorFromResponse(
      this.clusterName,
      status,
      JSON.stringify({ reason: 'Injected', message: `injected ${status}` }),
      { verb },
    );
  }

  async get<T extends HasMetadata = KubeObject>(
    type: ResourceType,
    name: string,
    namespace?: string,
  ): Promise<T | undefined> {
    this.record('get', key(type, namespace, name));
    const found = this.store.get(key(type, namespace, name));
    return found ? (structuredClone(found) as unknown as T) : undefined;
  }

  async list<T extends HasMetadata = KubeObject>(type: ResourceType, opts: ListOptions = {}): Promise<ListResult<T>> {
    this.record('list', `${type.plural}/${opts.namespace ?? ''}`);
    return { items: this.matching(type, opts) as unknown as T[] };
  }

  async listMetadata(type: ResourceType, opts: ListOptions = {}): Promise<ListResult<KubeObject>> {
    this.record('listMetadata', `${type.plural}/${opts.namespace ?? ''}`);
    return {
      items: this.matching(type, opts).map((o) => ({ apiVersion: o.apiVersion, kind: o.kind, metadata: o.metadata })),
    };
  }

  async listVersions(type: ResourceType, opts: ListOptions = {}): Promise<{ items: ItemVersion[] }> {
    this.record('listVersions', `${type.plural}/${opts.namespace ?? ''}`);
    return {
      items: this.matching(type, opts).map(({ metadata: m }) => ({
        uid: m.uid ?? '',
        resourceVersion: m.resourceVersion ?? '',
      })),
    };
  }

  async create<T extends HasMetadata>(type: ResourceType, obj: T, opts: WriteOptions = {}): Promise<T> {
    const k = key(type, obj.metadata.namespace, obj.metadata.name ?? '');
    this.record('create', k, opts.serverDryRun);
    this.failure(k, 'create');
    if (this.store.has(k))
      throw apiErrorFromResponse(
        this.clusterName,
        409,
        JSON.stringify({ reason: 'AlreadyExists', message: `${k} already exists` }),
        { verb: 'create' },
      );
    const stored = {
      ...structuredClone(obj),
      metadata: {
        ...structuredClone(obj.metadata),
        uid: `uid-${this.version}`,
        resourceVersion: String(this.version++),
      },
    } as unknown as KubeObject;
    if (!opts.serverDryRun) this.store.set(k, stored);
    return stored as unknown as T;
  }

  async createWithoutAnswer(type: ResourceType, obj: HasMetadata, opts: WriteOptions = {}): Promise<void> {
    await this.create(type, obj, opts);
  }

  async apply<T extends HasMetadata>(
    type: ResourceType,
    obj: T,
    opts: WriteOptions & { force?: boolean } = {},
  ): Promise<T> {
    const k = key(type, obj.metadata.namespace, obj.metadata.name ?? '');
    this.record('apply', k, opts.serverDryRun);
    this.failure(k, 'apply');
    const current = this.store.get(k) ?? { metadata: {} };
    const next = structuredClone(current) as Record<string, unknown>;
    mergePatchInto(next, structuredClone(obj) as unknown as Record<string, unknown>);
    (next['metadata'] as KubeObject['metadata']).resourceVersion = String(this.version++);
    if (!opts.serverDryRun) this.store.set(k, next as KubeObject);
    return next as unknown as T;
  }

  async update<T extends HasMetadata>(type: ResourceType, obj: T, opts: WriteOptions = {}): Promise<T> {
    const k = key(type, obj.metadata.namespace, obj.metadata.name ?? '');
    this.record('update', k, opts.serverDryRun);
    this.failure(k, 'update');
    const current = this.store.get(k);
    if (!current) throw this.notFound(k, 'update');
    const next = {
      ...structuredClone(obj),
      metadata: {
        ...structuredClone(obj.metadata),
        uid: current.metadata.uid,
        resourceVersion: String(this.version++),
      },
    } as unknown as KubeObject;
    if (!opts.serverDryRun) this.store.set(k, next);
    return next as unknown as T;
  }

  async mergePatch<T extends HasMetadata = KubeObject>(
    type: ResourceType,
    name: string,
    namespace: string | undefined,
    patch: object,
    opts: WriteOptions & { subresource?: 'status' } = {},
  ): Promise<T> {
    const k = key(type, namespace, name);
    this.record('mergePatch', k, opts.serverDryRun);
    this.failure(k, 'patch');
    const current = this.store.get(k);
    if (!current) throw this.notFound(k, 'patch');
    const next = structuredClone(current) as Record<string, unknown>;
    mergePatchInto(next, patch as Record<string, unknown>);
    (next['metadata'] as KubeObject['metadata']).resourceVersion = String(this.version++);
    if (!opts.serverDryRun) this.store.set(k, next as KubeObject);
    return next as unknown as T;
  }

  /**
   * A JSON patch of top-level and nested object members (add, replace, remove, test). As the API
   * server: a patched resourceVersion other than the stored one is a 409 Conflict.
   */
  async jsonPatch<T extends HasMetadata = KubeObject>(
    type: ResourceType,
    { name, namespace }: ObjectName,
    patch: JsonPatchOperation[],
    opts: WriteOptions = {},
  ): Promise<T> {
    const k = key(type, namespace, name);
    this.record('jsonPatch', k, opts.serverDryRun);
    this.failure(k, 'patch');
    const current = this.store.get(k);
    if (!current) throw this.notFound(k, 'patch');
    const next = structuredClone(current) as Record<string, unknown>;
    for (const op of patch) jsonPatchOp(next, op);
    if ((next['metadata'] as KubeObject['metadata']).resourceVersion !== current.metadata.resourceVersion)
      throw apiErrorFromResponse(
        this.clusterName,
        409,
        JSON.stringify({ reason: 'Conflict', message: `${k}: the object has been modified` }),
        { verb: 'patch' },
      );
    (next['metadata'] as KubeObject['metadata']).resourceVersion = String(this.version++);
    if (!opts.serverDryRun) this.store.set(k, next as KubeObject);
    return next as unknown as T;
  }

  async delete(type: ResourceType, name: string, namespace?: string, opts: WriteOptions = {}): Promise<boolean> {
    const k = key(type, namespace, name);
    this.record('delete', k, opts.serverDryRun);
    this.failure(k, 'delete');
    const found = this.store.get(k);
    if (opts.serverDryRun || !found) return found !== undefined;
    // Like the API server: an object with finalizers is only marked for deletion.
    if ((found.metadata.finalizers ?? []).length > 0) found.metadata.deletionTimestamp ??= '2026-01-01T00:00:00Z';
    else this.store.delete(k);
    return true;
  }

  /** A server where nothing changes: no event until the caller aborts. */
  async watch<T extends HasMetadata = KubeObject>(
    type: ResourceType,
    opts: WatchOptions,
    _onEvent: (event: WatchEvent<T>) => void,
    signal: AbortSignal,
  ): Promise<void> {
    this.record('watch', `${type.plural}/${opts.namespace ?? ''}`);
    if (signal.aborted) return;
    await new Promise((r) => signal.addEventListener('abort', r, { once: true }));
  }

  async raw(path: string): Promise<HttpResponse> {
    this.record('raw', path);
    const answer = this.rawAnswers.get(path);
    if (answer instanceof Error) throw answer;
    return { statusCode: answer?.statusCode ?? 200, headers: {}, body: answer?.body ?? 'ok', attempts: 1 };
  }

  private matching(type: ResourceType, opts: ListOptions): KubeObject[] {
    const prefix = `${type.plural}/`;
    const selector = opts.labelSelector ?? '';
    return [...this.store]
      .filter(
        ([k, o]) => k.startsWith(prefix) && (opts.namespace === undefined || o.metadata.namespace === opts.namespace),
      )
      .map(([, o]) => structuredClone(o))
      .filter((o) => {
        const field = /^metadata\.name=(.*)$/.exec(opts.fieldSelector ?? '');
        if (field && o.metadata.name !== field[1]) return false;
        const labels = o.metadata.labels ?? {};
        if (selector === '') return true;
        if (selector.startsWith('!')) return !(selector.slice(1) in labels);
        const eq = selector.indexOf('=');
        if (eq > 0) return labels[selector.slice(0, eq)] === selector.slice(eq + 1);
        return selector in labels;
      });
  }
}
