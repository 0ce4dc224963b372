// `propagate --wait`: after the writes, watch the member objects until each is ready (by the rules
// of federation/readiness.ts), has failed for good, or the deadline passes. One LIST and then one
// WATCH per type and cluster (per namespace when there are few; by name for a single object), so
// many objects cost few requests. A watch the server ends is resumed from the last version seen; a
// 410 Gone or a dropped stream lists again. A cluster that cannot be reached ends its own wait.
import { messageOf } from '../errors.js';
import { MANAGED_LABEL } from '../api/kubefed.js';
import type { KubeObject, ResourceType } from '../api/objects.js';
import { qualifiedName } from '../federation/federated-object.js';
import { conditionsOf, readinessOf, type ObjectCondition, type Readiness } from '../federation/readiness.js';
import { isGone } from '../kube/api-error.js';
import type { ClusterClient, ListOptions } from '../kube/cluster-client.js';

/** One member object to wait for. */
export interface WaitTarget {
  cluster: string;
  /** Undefined when the run had no client for the cluster. */
  client: ClusterClient | undefined;
  type: ResourceType;
  /** The FederatedTypeConfig's name, as the report's `type`. */
  typeName: string;
  namespace?: string;
  name: string;
}

/** A member object that was not ready when the wait ended. */
export interface NotReadyObject {
  cluster: string;
  type: string;
  kind: string;
  namespace?: string;
  name: string;
  /** pending: not ready yet; failed: will not become ready by waiting; unknown: its cluster could not be read. */
  state: 'pending' | 'failed' | 'unknown';
  reason: string;
  message: string;
  /** The object's own status.conditions, as last seen. */
  conditions: ObjectCondition[];
}

export interface WaitReport {
  /** The deadline, in ms after the writes (0: readiness checked once, without waiting). */
  timeoutMs: number;
  elapsedMs: number;
  /** Objects waited for, and how many of them became ready. */
  objects: number;
  ready: number;
  notReady: NotReadyObject[];
}

export interface WaitOptions {
  timeoutMs: number;
  progress?: (line: string) => void;
  /** How often a "still waiting" line is printed. */
  progressEveryMs?: number;
}

/** The longest single watch; the server ends it, and it is resumed from the version reached. */
const MAX_WATCH_SECONDS = 300;
/** Pause before listing again after a watch failed (not a server timeout). */
const RETRY_PAUSE_MS = 1_000;
/** Above this many namespaces, one cluster-wide watch replaces a watch per namespace. */
const MAX_NAMESPACED_WATCHES = 4;

interface Tracked {
  target: WaitTarget;
  object: KubeObject | undefined;
  readiness: Readiness;
  /** Why its cluster could not be read, when it could not. */
  unreadable?: string;
}

/** One LIST+WATCH: a type in a cluster, within one namespace or all of them, by label or by name. */
interface Scope {
  cluster: string;
  client: ClusterClient | undefined;
  type: ResourceType;
  query: ListOptions;
  /** The objects it covers, by `namespace/name`. */
  objects: Map<string, Tracked>;
}

const settled = (t: Tracked) => t.readiness.state !== 'pending';

/** Splits the targets into watch scopes: as few requests as the objects allow. */
function scopesOf(tracked: Tracked[]): Scope[] {
  const byType = new Map<string, Tracked[]>();
  for (const t of tracked) {
    const key = `${t.target.cluster}\n${t.target.typeName}`;
    (byType.get(key) ?? byType.set(key, []).get(key)!).push(t);
  }
  const scopes: Scope[] = [];
  for (const group of byType.values()) {
    const { cluster, client, type } = group[0]!.target;
    const make = (items: Tracked[], query: ListOptions): Scope => ({
      cluster,
      client,
      type,
      query,
      objects: new Map(items.map((t) => [keyOf(t.target), t])),
    });
    if (group.length === 1) {
      const { namespace, name } = group[0]!.target;
      scopes.push(make(group, { ...(namespace ? { namespace } : {}), fieldSelector: `metadata.name=${name}` }));
      continue;
    }
    const label = { labelSelector: `${MANAGED_LABEL}=true` };
    const namespaces = [...new Set(group.map((t) => t.target.namespace))];
    if (!type.namespaced || namespaces.length > MAX_NAMESPACED_WATCHES) scopes.push(make(group, label));
    else
      for (const ns of namespaces)
        scopes.push(
          make(
            group.filter((t) => t.target.namespace === ns),
            { ...label, ...(ns ? { namespace: ns } : {}) },
          ),
        );
  }
  return scopes;
}

function keyOf(t: { namespace?: string | undefined; name?: string | undefined }): string {
  return qualifiedName({ ...(t.namespace ? { namespace: t.namespace } : {}), name: t.name ?? '' });
}

/** Records a new state of an object of the scope; other objects of the same list or watch are ignored. */
function observe(scope: Scope, object: KubeObject | undefined, key: string): void {
  const t = scope.objects.get(key);
  if (!t) return;
  t.object = object;
  t.readiness = readinessOf(object);
  delete t.unreadable;
}

/** Waits for every target to be ready, failed, or out of time; never throws. */
export async function waitForReady(targets: WaitTarget[], opts: WaitOptions): Promise<WaitReport> {
  const started = Date.now();
  const progress = opts.progress ?? (() => undefined);
  const tracked: Tracked[] = targets.map((target) => ({
    target,
    object: undefined,
    readiness: { state: 'pending', reason: 'NotRead', message: 'not read yet' },
  }));
  const clusters = [...new Set(targets.map((t) => t.cluster))];
  progress(
    opts.timeoutMs > 0
      ? `waiting up to ${formatDuration(opts.timeoutMs)} for ${targets.length} object(s) in ${clusters.length} cluster(s) to be ready`
      : `checking whether ${targets.length} object(s) in ${clusters.length} cluster(s) are ready`,
  );
  const deadline = new AbortController();
  // With no time to wait, the single list still runs to its end (bounded by --request-timeout).
  const timer = opts.timeoutMs > 0 ? setTimeout(() => deadline.abort(), opts.timeoutMs) : undefined;
  const ticker =
    opts.timeoutMs > 0 ? setInterval(() => progress(stillWaiting(tracked)), opts.progressEveryMs ?? 10_000) : undefined;
  try {
    const byCluster = new Map<string, Scope[]>();
    for (const scope of scopesOf(tracked))
      (byCluster.get(scope.cluster) ?? byCluster.set(scope.cluster, []).get(scope.cluster)!).push(scope);
    await Promise.all(
      [...byCluster].map(async ([cluster, scopes]) => {
        await Promise.all(scopes.map((s) => followScope(s, opts.timeoutMs > 0, deadline.signal)));
        if (opts.timeoutMs > 0 && !deadline.signal.aborted) progress(clusterLine(cluster, tracked));
      }),
    );
  } finally {
    clearTimeout(timer);
    clearInterval(ticker);
  }
  const notReady = tracked.filter((t) => t.readiness.state !== 'ready').map(notReadyObject);
  return {
    timeoutMs: opts.timeoutMs,
    elapsedMs: Date.now() - started,
    objects: tracked.length,
    ready: tracked.length - notReady.length,
    notReady,
  };
}

/**
 * Lists the scope, then (when `watch`) follows its changes until every object in it is settled,
 * the deadline aborts, or the cluster is found unreachable.
 */
async function followScope(scope: Scope, watch: boolean, deadline: AbortSignal): Promise<void> {
  const all = [...scope.objects.values()];
  const client = scope.client;
  if (!client) return unreadable(all, 'no client for this cluster');
  let version: string | undefined;
  while (!deadline.aborted) {
    if (client.unreachableReason) return unreadable(all, `the cluster is unreachable: ${client.unreachableReason}`);
    version ??= await listScope(scope, client, deadline);
    if (!watch || all.every(settled)) return;
    if (version === undefined) await pause(RETRY_PAUSE_MS, deadline);
    else version = await watchScope(scope, client, version, deadline);
  }
}

/** One LIST of the scope: records every object's state; the list's resourceVersion, or undefined when it failed. */
async function listScope(scope: Scope, client: ClusterClient, deadline: AbortSignal): Promise<string | undefined> {
  try {
    const list = await client.list(scope.type, { ...scope.query, signal: deadline });
    const present = new Map(list.items.map((o) => [qualifiedName(o.metadata), o]));
    for (const key of scope.objects.keys()) observe(scope, present.get(key), key);
    return list.resourceVersion ?? '';
  } catch (error) {
    if (!deadline.aborted) unreadable(scope.objects.values(), `cannot read ${scope.type.plural}: ${messageOf(error)}`);
    return undefined;
  }
}

/**
 * One WATCH of the scope from `version`, until the server ends it, everything in it is settled or
 * the deadline. Returns the version to go on from, or undefined to list again: after a 410 Gone
 * (too old a version) at once, after anything else (a dropped stream) after a pause, and that list
 * tells whether the cluster is gone.
 */
async function watchScope(
  scope: Scope,
  client: ClusterClient,
  version: string,
  deadline: AbortSignal,
): Promise<string | undefined> {
  const all = [...scope.objects.values()];
  const done = new AbortController();
  let reached = version;
  try {
    await client.watch(
      scope.type,
      { ...scope.query, resourceVersion: version, timeoutSeconds: MAX_WATCH_SECONDS },
      (event) => {
        reached = event.object.metadata.resourceVersion || reached;
        if (event.type === 'BOOKMARK') return;
        const key = qualifiedName(event.object.metadata);
        observe(scope, event.type === 'DELETED' ? undefined : event.object, key);
        if (all.every(settled)) done.abort();
      },
      AbortSignal.any([deadline, done.signal]),
    );
    return reached;
  } catch (error) {
    if (!deadline.aborted && !isGone(error)) await pause(RETRY_PAUSE_MS, deadline);
    return undefined;
  }
}

/** Notes why the objects not settled yet could not be read. */
function unreadable(objects: Iterable<Tracked>, why: string): void {
  for (const t of objects) if (!settled(t)) t.unreadable = why;
}

/** Sleeps, or less when the deadline comes first. */
function pause(ms: number, deadline: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      deadline.removeEventListener('abort', done);
      resolve();
    }
    deadline.addEventListener('abort', done, { once: true });
  });
}

function notReadyObject(t: Tracked): NotReadyObject {
  const { cluster, typeName, type, namespace, name } = t.target;
  const unknown = t.unreadable !== undefined && t.readiness.state === 'pending';
  return {
    cluster,
    type: typeName,
    kind: type.kind,
    ...(namespace ? { namespace } : {}),
    name,
    state: unknown ? 'unknown' : t.readiness.state === 'failed' ? 'failed' : 'pending',
    reason: unknown ? 'ClusterUnreadable' : t.readiness.reason,
    message: unknown ? (t.unreadable ?? '') : t.readiness.message,
    conditions: conditionsOf(t.object),
  };
}

/** "cluster1: 4 of 4 object(s) ready" (with failures and unreadable ones named). */
function clusterLine(cluster: string, tracked: Tracked[]): string {
  const mine = tracked.filter((t) => t.target.cluster === cluster);
  const ready = mine.filter((t) => t.readiness.state === 'ready').length;
  const failed = mine.filter((t) => t.readiness.state === 'failed').length;
  const unreadable = mine.find((t) => t.unreadable && !settled(t))?.unreadable;
  return `${cluster}: ${ready} of ${mine.length} object(s) ready${failed ? `, ${failed} failed` : ''}${unreadable ? ` (${unreadable})` : ''}`;
}

/** "still waiting for 3 object(s): cluster2 2, cluster3 1" */
function stillWaiting(tracked: Tracked[]): string {
  const counts = new Map<string, number>();
  for (const t of tracked) if (!settled(t)) counts.set(t.target.cluster, (counts.get(t.target.cluster) ?? 0) + 1);
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  return `still waiting for ${total} object(s): ${[...counts].map(([c, n]) => `${c} ${n}`).join(', ')}`;
}

/** 300000 → "5m", 90000 → "1m30s", 1500 → "1.5s": as Go prints durations, without zero parts. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${Number(s.toFixed(3))}s` : ''}`;
}
