// KubeFed's replica planner (ReplicaSchedulingPreference): how many of `totalReplicas` each cluster
// gets, from weights, min/max, current replicas and estimated capacity. Pure: no I/O, no clock.
// Contract: spec/sync-semantics.md §10.4, checked against every §10.7 example in planner.test.ts.

/** One entry of an RSP's `spec.clusters` map (the `"*"` key is the default entry). */
export interface ClusterPreferences {
  /** Replicas handed out before any weighting. Default 0. */
  minReplicas?: number;
  /** Upper bound; absent or null means unbounded. */
  maxReplicas?: number | null;
  /** Share of what is left after the minimums. Default 0. */
  weight?: number;
}

/** Per-cluster replica counts, as a Map or a plain object. */
export type ReplicaCounts = ReadonlyMap<string, number> | Readonly<Record<string, number>>;

/** Everything the planner looks at. */
export interface PlannerInput {
  /** Preferences by cluster name; `"*"` applies to clusters without their own entry. */
  preferences: Readonly<Record<string, ClusterPreferences>>;
  totalReplicas: number;
  /** When false, replicas already running stay where they are as far as the plan allows. */
  rebalance: boolean;
  /** Candidate cluster names (duplicates are ignored). */
  availableClusters: readonly string[];
  /** Replicas running now; clusters without the workload have no entry. */
  currentReplicas?: ReplicaCounts;
  /** Estimated capacity; only clusters with unschedulable pods have an entry. */
  estimatedCapacity?: ReplicaCounts;
  /** Tie-break salt: `"<rsp namespace>/<rsp name>"` in KubeFed. */
  key: string;
}

/** The planner's answer. */
export interface PlanResult {
  /** Replicas each candidate cluster can run; every candidate cluster has an entry. */
  plan: Record<string, number>;
  /** Replicas that did not fit a cluster's capacity and would be nice to place there anyway. */
  overflow: Record<string, number>;
}

/** The preference key that applies to clusters without an entry of their own. */
export const DEFAULT_PREFERENCE_KEY = '*';

const FNV32_OFFSET_BASIS = 0x811c9dc5;
const FNV32_PRIME = 0x01000193;

/**
 * 32-bit FNV-1 of the UTF-8 bytes of `text` (multiply, then XOR: this is FNV-1, not FNV-1a),
 * the same as Go's `hash/fnv.New32`. Returns an unsigned 32-bit integer.
 */
export function fnv1_32(text: string, seed: number = FNV32_OFFSET_BASIS): number {
  let hash = seed >>> 0;
  for (const byte of new TextEncoder().encode(text)) {
    hash = Math.imul(hash, FNV32_PRIME) >>> 0;
    hash = (hash ^ byte) >>> 0;
  }
  return hash;
}

/**
 * The tie-break hash of one cluster: FNV-1 over the cluster name's bytes followed by the key's bytes
 * (one running hash, as KubeFed writes both into the same hasher; no separator).
 */
export function clusterHash(clusterName: string, key: string): number {
  return fnv1_32(key, fnv1_32(clusterName));
}

interface NamedPreference {
  cluster: string;
  hash: number;
  min: number;
  max: number | undefined;
  weight: number;
}

/**
 * The order in which the planner serves clusters: weight descending, then {@link clusterHash}
 * ascending. Clusters with no applicable preference (no entry, no `"*"`) are left out.
 */
export function preferenceOrder(
  preferences: Readonly<Record<string, ClusterPreferences>>,
  clusters: readonly string[],
  key: string,
): string[] {
  return namedPreferences(preferences, clusters, key).map((p) => p.cluster);
}

function namedPreferences(
  preferences: Readonly<Record<string, ClusterPreferences>>,
  clusters: readonly string[],
  key: string,
): NamedPreference[] {
  const named: NamedPreference[] = [];
  for (const cluster of new Set(clusters)) {
    const pref = ownEntry(preferences, cluster) ?? ownEntry(preferences, DEFAULT_PREFERENCE_KEY);
    if (pref === undefined) continue;
    named.push({
      cluster,
      hash: clusterHash(cluster, key),
      min: pref.minReplicas ?? 0,
      max: pref.maxReplicas ?? undefined,
      weight: pref.weight ?? 0,
    });
  }
  // Sorting by a hash rather than by name keeps single-replica workloads from always landing on
  // the alphabetically first cluster. Equal hashes would need equal names, so the order is total.
  return named.sort((a, b) => b.weight - a.weight || a.hash - b.hash);
}

/** Mutable bookkeeping of one planner run. */
interface PlanState {
  readonly capacity: ReadonlyMap<string, number>;
  readonly planned: Map<string, number>;
  readonly overflow: Map<string, number>;
  /** Replicas kept where they already run; weighted rounds consume these before adding more. */
  readonly preallocated: Map<string, number>;
  remaining: number;
}

/**
 * Splits `totalReplicas` over `availableClusters` the way KubeFed's `Planner.Plan` does:
 * minimums first (in preference order), then (rebalance=false) the replicas already running,
 * then rounds of weighted shares rounded up, capped by maxReplicas and capacity, until nothing
 * changes or nothing is left. Inputs are expected to be integers.
 */
export function plan(input: PlannerInput): PlanResult {
  const state: PlanState = {
    capacity: toMap(input.estimatedCapacity),
    planned: new Map(),
    overflow: new Map(),
    preallocated: new Map(),
    remaining: input.totalReplicas,
  };
  const order = namedPreferences(input.preferences, input.availableClusters, input.key);
  const served = new Set(order.map((p) => p.cluster));
  // A cluster with neither its own entry nor "*" still appears in the plan, with 0.
  for (const cluster of input.availableClusters) if (!served.has(cluster)) state.planned.set(cluster, 0);

  assignMinimums(state, order);
  if (!input.rebalance) keepRunning(state, order, toMap(input.currentReplicas));

  // One round rarely suffices (rounding, max, capacity); each round either places everything,
  // fills a cluster, or halves the pending preallocation, so the loop ends.
  let active = order;
  let modified = true;
  while (modified && state.remaining > 0) ({ active, modified } = distributeRound(state, active));

  const planned = Object.fromEntries(state.planned);
  if (input.rebalance) return { plan: planned, overflow: Object.fromEntries(state.overflow) };
  // Without rebalancing, overflow only covers replicas that found no place at all.
  const trimmed: Record<string, number> = {};
  for (const [cluster, value] of state.overflow) {
    const kept = Math.min(value, state.remaining);
    if (kept > 0) trimmed[cluster] = kept;
  }
  return { plan: planned, overflow: trimmed };
}

function assignMinimums(state: PlanState, order: readonly NamedPreference[]): void {
  for (const p of order) {
    let min = Math.min(p.min, state.remaining);
    const cap = state.capacity.get(p.cluster);
    if (cap !== undefined) min = Math.min(min, cap);
    state.remaining -= min;
    state.planned.set(p.cluster, min);
  }
}

function keepRunning(state: PlanState, order: readonly NamedPreference[], current: ReadonlyMap<string, number>): void {
  for (const p of order) {
    const start = state.planned.get(p.cluster) ?? 0;
    const running = current.get(p.cluster);
    if (running === undefined || running <= start) continue;
    let target = running;
    if (p.max !== undefined) target = Math.min(p.max, target);
    const cap = state.capacity.get(p.cluster);
    if (cap !== undefined) target = Math.min(cap, target);
    const extra = Math.max(0, Math.min(target - start, state.remaining));
    state.remaining -= extra;
    state.preallocated.set(p.cluster, extra);
    state.planned.set(p.cluster, start + extra);
  }
}

/** One weighted round over the clusters that are not full yet; returns those still not full. */
function distributeRound(
  state: PlanState,
  active: readonly NamedPreference[],
): { active: NamedPreference[]; modified: boolean } {
  let modified = false;
  const weightSum = active.reduce((sum, p) => sum + p.weight, 0);
  const toDistribute = state.remaining;
  const stillActive: NamedPreference[] = [];
  for (const p of active) {
    // KubeFed breaks out here, which also drops the rest of the clusters from later rounds.
    if (weightSum <= 0) break;
    const start = state.planned.get(p.cluster) ?? 0;
    let extra = Math.min(ceilShare(toDistribute, p.weight, weightSum), state.remaining);

    const prealloc = state.preallocated.get(p.cluster) ?? 0;
    const used = Math.min(extra, prealloc);
    state.preallocated.set(p.cluster, prealloc - used);
    extra -= used;
    if (used > 0) modified = true;

    const { total, full } = capTotal(state, p, start + extra);
    if (!full) stillActive.push(p);
    state.remaining -= total - start;
    state.planned.set(p.cluster, total);
    if (total > start) modified = true;
  }
  return { active: stillActive, modified };
}

/** Caps a cluster's total at maxReplicas, then at capacity (recording the excess as overflow). */
function capTotal(state: PlanState, p: NamedPreference, wanted: number): { total: number; full: boolean } {
  let total = wanted;
  let full = false;
  if (p.max !== undefined && total > p.max) {
    total = p.max;
    full = true;
  }
  const cap = state.capacity.get(p.cluster);
  if (cap !== undefined && total > cap) {
    state.overflow.set(p.cluster, total - cap);
    total = cap;
    full = true;
  }
  return { total, full };
}

/**
 * KubeFed's per-round share `(distribute*weight + weightSum - 1) / weightSum` in int64 arithmetic
 * (ceiling for non-negative inputs, truncation toward zero). BigInt keeps large weights exact.
 */
function ceilShare(distribute: number, weight: number, weightSum: number): number {
  const w = BigInt(weightSum);
  return Number((BigInt(distribute) * BigInt(weight) + w - 1n) / w);
}

function ownEntry(
  preferences: Readonly<Record<string, ClusterPreferences>>,
  name: string,
): ClusterPreferences | undefined {
  // Own keys only, so a cluster named "constructor" does not pick up Object.prototype.
  return Object.prototype.hasOwnProperty.call(preferences, name) ? preferences[name] : undefined;
}

function toMap(counts: ReplicaCounts | undefined): ReadonlyMap<string, number> {
  if (counts === undefined) return new Map();
  if (counts instanceof Map) return counts;
  return new Map(Object.entries(counts as Readonly<Record<string, number>>));
}
