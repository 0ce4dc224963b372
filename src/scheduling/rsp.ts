// ReplicaSchedulingPreference (RSP): validation, the replica state read from members, one scheduling
// pass, and how its result is written into the FederatedDeployment / FederatedReplicaSet. Pure.
// Contract: spec/sync-semantics.md §10.1–§10.6 and spec/kubefed-cli-and-api.md §4.6.
import { UserError, ValidationError } from '../errors.js';
import type { FederatedObject, MemberCluster, Override } from '../federation/federated-object.js';
import { qualifiedName } from '../federation/federated-object.js';
import { selectorMatches } from '../federation/placement.js';
import type { V1DeploymentSpec, V1DeploymentStatus, V1PodCondition, V1PodStatus } from '@kubernetes/client-node';
import type { KubeObject, Wire } from '../api/objects.js';
import { DEFAULT_PREFERENCE_KEY, plan, type ClusterPreferences, type ReplicaCounts } from './planner.js';

/** Kinds an RSP may target. */
export const RSP_TARGET_KINDS = ['FederatedDeployment', 'FederatedReplicaSet'] as const;
/** The override path the scheduler owns (v0.8.1 JSON pointer form). */
export const REPLICAS_OVERRIDE_PATH = '/spec/replicas';
/** How long a pod must have been unschedulable before it lowers the capacity estimate. */
export const UNSCHEDULABLE_THRESHOLD_MS = 60_000;
/** Preferences used when `spec.clusters` is empty or absent. */
export const DEFAULT_CLUSTER_PREFERENCES: Readonly<Record<string, ClusterPreferences>> = Object.freeze({
  [DEFAULT_PREFERENCE_KEY]: Object.freeze({ weight: 1 }),
});

const INT32_MAX = 2_147_483_647;

export interface RspSpec {
  targetKind: string;
  totalReplicas: number;
  rebalance?: boolean;
  intersectWithClusterSelector?: boolean;
  clusters?: Record<string, ClusterPreferences>;
}

export interface ReplicaSchedulingPreference {
  apiVersion?: string;
  kind?: string;
  metadata: { name?: string; namespace?: string; [field: string]: unknown };
  spec: RspSpec;
  status?: unknown;
}

/** Result of {@link validateRsp}. */
export type RspValidation = { ok: true; value: ReplicaSchedulingPreference } | { ok: false; issues: string[] };

/**
 * Checks an RSP document: targetKind is one of {@link RSP_TARGET_KINDS}; totalReplicas is an int32
 * ≥ 0; rebalance and intersectWithClusterSelector are booleans; every cluster entry has
 * non-negative integer minReplicas/maxReplicas/weight with min ≤ max. Issues name the field.
 */
export function validateRsp(doc: unknown): RspValidation {
  if (!isObject(doc)) return { ok: false, issues: ['must be an object'] };
  const issues: string[] = [];
  if (doc.kind !== undefined && doc.kind !== 'ReplicaSchedulingPreference')
    issues.push(`kind: must be ReplicaSchedulingPreference (got ${show(doc.kind)})`);
  const meta = doc.metadata;
  if (!isObject(meta) || typeof meta.name !== 'string' || meta.name === '')
    issues.push('metadata.name: must be a non-empty string');
  if (isObject(doc.spec)) issues.push(...specIssues(doc.spec));
  else issues.push('spec: must be an object');
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: doc as unknown as ReplicaSchedulingPreference };
}

function specIssues(spec: Record<string, unknown>): string[] {
  const issues: string[] = [];
  if (!(RSP_TARGET_KINDS as readonly unknown[]).includes(spec.targetKind)) {
    issues.push(`spec.targetKind: must be ${RSP_TARGET_KINDS.join(' or ')} (got ${show(spec.targetKind)})`);
  }
  if (spec.totalReplicas === undefined) issues.push('spec.totalReplicas: is required');
  else if (!isCount(spec.totalReplicas) || spec.totalReplicas > INT32_MAX)
    issues.push(`spec.totalReplicas: must be an integer from 0 to ${INT32_MAX} (got ${show(spec.totalReplicas)})`);
  for (const flag of ['rebalance', 'intersectWithClusterSelector'] as const) {
    const value = spec[flag];
    if (value !== undefined && value !== null && typeof value !== 'boolean')
      issues.push(`spec.${flag}: must be a boolean (got ${show(value)})`);
  }
  const clusters = spec.clusters;
  if (clusters === undefined || clusters === null) return issues;
  if (!isObject(clusters)) return [...issues, 'spec.clusters: must be a map of cluster name to preferences'];
  for (const [name, pref] of Object.entries(clusters)) issues.push(...clusterPreferenceIssues(name, pref));
  return issues;
}

function clusterPreferenceIssues(name: string, pref: unknown): string[] {
  const at = `spec.clusters[${JSON.stringify(name)}]`;
  if (!isObject(pref)) return [`${at}: must be an object with minReplicas, maxReplicas and weight`];
  const issues: string[] = [];
  for (const field of ['minReplicas', 'maxReplicas', 'weight'] as const) {
    const value = pref[field];
    // maxReplicas: null is how some tools write "unbounded".
    if (value === undefined || (field === 'maxReplicas' && value === null)) continue;
    if (!isCount(value)) issues.push(`${at}.${field}: must be a non-negative integer (got ${show(value)})`);
  }
  const { minReplicas: min, maxReplicas: max } = pref;
  if (isCount(min) && isCount(max) && min > max)
    issues.push(`${at}.minReplicas: must not exceed maxReplicas (${min} > ${max})`);
  return issues;
}

/** Pod counts that matter to the scheduler (KubeFed's podanalyzer). */
export interface PodAnalysis {
  total: number;
  /** Phase Running with a Ready condition (its status is not checked, as in KubeFed). */
  runningAndReady: number;
  /** Not running, PodScheduled=False/Unschedulable for longer than the threshold. */
  unschedulable: number;
  /** Unschedulable, but not yet for longer than the threshold: worth looking again later. */
  unschedulableRecently: number;
}

/**
 * Counts running-and-ready and unschedulable pods. A pod is unschedulable only if its
 * `lastTransitionTime` is strictly more than `thresholdMs` before `now`.
 */
export function analyzePods(
  pods: readonly KubeObject[],
  now: Date,
  thresholdMs: number = UNSCHEDULABLE_THRESHOLD_MS,
): PodAnalysis {
  const result: PodAnalysis = { total: 0, runningAndReady: 0, unschedulable: 0, unschedulableRecently: 0 };
  for (const pod of pods) {
    result.total++;
    // client-node's models (ReplicaSet's spec and status have the same fields as Deployment's);
    // each level is still checked, as the pods and workloads are whatever a member returned.
    const status: Partial<Wire<V1PodStatus>> = isObject(pod.status) ? pod.status : {};
    const conditions: Wire<V1PodCondition>[] = Array.isArray(status.conditions)
      ? status.conditions.filter(isObject)
      : [];
    if (status.phase === 'Running') {
      if (conditions.some((c) => c.type === 'Ready')) result.runningAndReady++;
      continue;
    }
    const stuck = conditions.find(
      (c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable',
    );
    if (stuck === undefined) continue;
    const since = typeof stuck.lastTransitionTime === 'string' ? Date.parse(stuck.lastTransitionTime) : NaN;
    // A missing time is Go's zero time, which is always long ago.
    if (Number.isNaN(since) || since + thresholdMs < now.getTime()) result.unschedulable++;
    else result.unschedulableRecently++;
  }
  return result;
}

/** What one member's workload says about current replicas and capacity. */
export interface WorkloadReplicaState {
  /** Replicas counted as running. */
  current: number;
  /** `spec.replicas - unschedulable`, only when some pods are unschedulable. */
  capacity?: number;
  /** Some pods just became unschedulable: scheduling again in a little while may give a better answer. */
  recheck: boolean;
}

/** True when `spec.replicas` differs from `status.readyReplicas`, so the pods must be listed. */
export function podsNeeded(workload: KubeObject): boolean {
  return specReplicas(workload) !== readyReplicas(workload);
}

/** The `spec.selector.matchLabels` used to list a workload's pods; KubeFed fails without one. */
export function workloadPodSelector(workload: KubeObject): Record<string, string> {
  const spec = isObject(workload.spec) ? workload.spec : {};
  const selector = isObject(spec.selector) ? spec.selector : undefined;
  if (selector === undefined || !isObject(selector.matchLabels)) {
    throw new UserError(
      `${workload.kind ?? 'workload'} ${qualifiedName(workload.metadata)} has no spec.selector.matchLabels, so its pods cannot be found`,
    );
  }
  return Object.fromEntries(Object.entries(selector.matchLabels).map(([k, v]) => [k, String(v)]));
}

/**
 * Current replicas (and capacity) of one member's Deployment/ReplicaSet. When `spec.replicas`
 * equals `status.readyReplicas` that number is used and `pods` is ignored; otherwise `pods` (those
 * matching {@link workloadPodSelector}) must be given and are analysed with {@link analyzePods}.
 */
export function currentReplicasFrom(
  workload: KubeObject,
  pods: readonly KubeObject[] | undefined,
  now: Date,
  thresholdMs: number = UNSCHEDULABLE_THRESHOLD_MS,
): WorkloadReplicaState {
  // readyReplicas with a capital R: v0.0.10 read "readyreplicas" and so never took this shortcut.
  const replicas = specReplicas(workload);
  const ready = readyReplicas(workload);
  if (replicas === ready) return { current: ready, recheck: false };
  if (pods === undefined)
    throw new TypeError(
      `currentReplicasFrom: pods are needed for ${qualifiedName(workload.metadata)} (spec.replicas ${replicas} ≠ readyReplicas ${ready})`,
    );
  const analysis = analyzePods(pods, now, thresholdMs);
  const state: WorkloadReplicaState = {
    current: analysis.runningAndReady,
    recheck: analysis.unschedulableRecently > 0,
  };
  if (analysis.unschedulable > 0) state.capacity = replicas - analysis.unschedulable;
  return state;
}

/** The planner's current/capacity maps from per-cluster states; clusters without the workload are left out. */
export function replicaMapsFrom(states: Readonly<Record<string, WorkloadReplicaState | undefined>>): {
  current: Record<string, number>;
  capacity: Record<string, number>;
  recheck: boolean;
} {
  const current: Record<string, number> = {};
  const capacity: Record<string, number> = {};
  let recheck = false;
  for (const [cluster, state] of Object.entries(states)) {
    if (state === undefined) continue;
    current[cluster] = state.current;
    if (state.capacity !== undefined) capacity[cluster] = state.capacity;
    // KubeFed keeps only the last analysed cluster's verdict; any cluster asking is enough here.
    recheck ||= state.recheck;
  }
  return { current, capacity, recheck };
}

/** Inputs of one scheduling pass. */
export interface ScheduleInput {
  rsp: ReplicaSchedulingPreference;
  /** The FederatedDeployment/ReplicaSet with the RSP's namespace and name. */
  federated: FederatedObject;
  /** Member clusters; only ready ones take part. */
  clusters: readonly Pick<MemberCluster, 'name' | 'labels' | 'ready'>[];
  /** Replicas running per cluster (see {@link currentReplicasFrom}); clusters without the workload have no entry. */
  current?: ReplicaCounts;
  /** Capacity per cluster; only clusters with unschedulable pods have an entry. */
  capacity?: ReplicaCounts;
  /** The FederatedNamespace `ns/ns`; required when `intersectWithClusterSelector` is set. */
  federatedNamespace?: FederatedObject | null;
}

/** Outcome of one scheduling pass. */
export interface RspSchedule {
  /** Replicas per cluster to write (planner result merged with overflow, §10.5). */
  replicas: Record<string, number>;
  /** The clusters to place on: the keys of `replicas`, sorted. */
  placement: string[];
  /** The clusters the planner considered, sorted. */
  candidates: string[];
  /** Raw planner output, for reports. */
  plan: Record<string, number>;
  overflow: Record<string, number>;
  /** Set when KubeFed would do nothing this pass; the federated object must then be left alone. */
  skipped?: string;
}

/**
 * One RSP scheduling pass (§10.2): candidates are the ready clusters (narrowed, with
 * intersectWithClusterSelector, to those the federated object's *and* the FederatedNamespace's
 * cluster selectors match; explicit cluster lists are ignored there). Throws ValidationError for
 * an invalid RSP or a mismatched target, UserError when the FederatedNamespace is required but absent.
 */
export function scheduleRsp(input: ScheduleInput): RspSchedule {
  const { rsp, federated } = input;
  const validation = validateRsp(rsp);
  if (!validation.ok)
    throw new ValidationError(
      `ReplicaSchedulingPreference ${qualifiedName(rsp.metadata)} is invalid`,
      validation.issues,
    );
  checkTarget(rsp, federated);
  const key = qualifiedName(rsp.metadata);

  const ready = input.clusters.filter((c) => c.ready);
  if (ready.length === 0) return skipped('no ready member clusters');

  let candidates = ready.map((c) => c.name);
  if (rsp.spec.intersectWithClusterSelector === true) {
    const fedNs = input.federatedNamespace;
    // KubeFed fetches it whatever the control plane's scope, so its absence fails the pass.
    if (fedNs === undefined || fedNs === null) {
      const ns = rsp.metadata.namespace ?? '';
      throw new UserError(
        `FederatedNamespace ${ns}/${ns} not found; intersectWithClusterSelector on ReplicaSchedulingPreference ${key} needs it`,
      );
    }
    const fedSelected = selectorOnly(federated, ready);
    const nsSelected = selectorOnly(fedNs, ready);
    candidates = candidates.filter((c) => fedSelected.has(c) && nsSelected.has(c));
    if (candidates.length === 0)
      return skipped(
        'no ready cluster matches the clusterSelector of both the federated object and its FederatedNamespace',
      );
  }

  // KubeFed only knows replica state for candidate clusters; anything else would leak into the result.
  const inScope = new Set(candidates);
  const current = restrict(input.current, inScope);
  const capacity = restrict(input.capacity, inScope);
  const clusters = rsp.spec.clusters;
  const preferences =
    clusters !== undefined && clusters !== null && Object.keys(clusters).length > 0
      ? clusters
      : DEFAULT_CLUSTER_PREFERENCES;

  const result = plan({
    preferences,
    totalReplicas: rsp.spec.totalReplicas,
    rebalance: rsp.spec.rebalance === true,
    availableClusters: candidates,
    currentReplicas: current,
    estimatedCapacity: capacity,
    key,
  });
  const replicas = mergeSchedule(current, result.plan, result.overflow);
  return {
    replicas,
    placement: Object.keys(replicas).sort(),
    candidates: [...candidates].sort(),
    plan: result.plan,
    overflow: result.overflow,
  };
}

/**
 * §10.5: 0 for every cluster with current replicas, then the planned count, plus any overflow.
 * Overflow is added on purpose: if those pods do get scheduled, the layout is closer to the plan.
 */
export function mergeSchedule(
  current: ReplicaCounts,
  planned: Readonly<Record<string, number>>,
  overflow: Readonly<Record<string, number>>,
): Record<string, number> {
  const result: Record<string, number> = {};
  const clusters: Iterable<string> =
    current instanceof Map ? (current.keys() as Iterable<string>) : Object.keys(current);
  for (const cluster of clusters) result[cluster] = 0;
  for (const [cluster, n] of Object.entries(planned)) result[cluster] = n;
  for (const [cluster, n] of Object.entries(overflow)) result[cluster] = (result[cluster] ?? 0) + n;
  return result;
}

/** What {@link applySchedulingResult} produced. */
export interface AppliedSchedule {
  /** A new federated object; the input is not changed. */
  federated: FederatedObject;
  placementChanged: boolean;
  overridesChanged: boolean;
}

/**
 * Writes a replica map into a copy of the federated object (§10.6). Placement: when the sorted
 * cluster list differs from the result's clusters it becomes `spec.placement.clusters` (sorted);
 * a clusterSelector is kept (the list wins). Overrides: when any `/spec/replicas` override is
 * non-numeric, for an unscheduled cluster, or differs, or their count differs from the result's,
 * the `/spec/replicas` override is removed for unscheduled clusters and set (no `op`, i.e. replace)
 * for every scheduled one; other overrides are kept as they are.
 */
export function applySchedulingResult(
  federated: FederatedObject,
  replicas: Readonly<Record<string, number>>,
): AppliedSchedule {
  const out = structuredClone(federated);
  out.spec ??= {};
  const names = Object.keys(replicas).sort();

  const existing = (out.spec.placement?.clusters ?? []).map((c) => c.name).sort();
  const placementChanged = !sameList(existing, names);
  if (placementChanged) out.spec.placement = { ...out.spec.placement, clusters: names.map((name) => ({ name })) };

  const overridesChanged = replicaOverridesNeedUpdate(out.spec.overrides ?? [], replicas);
  if (overridesChanged) out.spec.overrides = setReplicaOverrides(out.spec.overrides ?? [], replicas);

  return { federated: out, placementChanged, overridesChanged };
}

/** KubeFed's needs-update check for the `/spec/replicas` overrides (§10.6). */
export function replicaOverridesNeedUpdate(
  overrides: readonly Override[],
  replicas: Readonly<Record<string, number>>,
): boolean {
  let seen = 0;
  for (const entry of overrides) {
    for (const o of entry.clusterOverrides ?? []) {
      if (o.path !== REPLICAS_OVERRIDE_PATH) continue;
      if (typeof o.value !== 'number' || !hasOwn(replicas, entry.clusterName)) return true;
      // Go reads the JSON number as float64 and converts it to int64, dropping any fraction.
      if (Math.trunc(o.value) !== replicas[entry.clusterName]) return true;
      seen++;
    }
  }
  return seen !== Object.keys(replicas).length;
}

function setReplicaOverrides(overrides: readonly Override[], replicas: Readonly<Record<string, number>>): Override[] {
  const result: Override[] = [];
  const written = new Set<string>();
  for (const entry of overrides) {
    const others = (entry.clusterOverrides ?? []).filter((o) => o.path !== REPLICAS_OVERRIDE_PATH);
    const hadReplicas = others.length !== (entry.clusterOverrides ?? []).length;
    const scheduled = hasOwn(replicas, entry.clusterName) && !written.has(entry.clusterName);
    if (scheduled) {
      // Replace in place, keeping the entry's position and its other overrides.
      const at = (entry.clusterOverrides ?? []).findIndex((o) => o.path === REPLICAS_OVERRIDE_PATH);
      const item = { path: REPLICAS_OVERRIDE_PATH, value: replicas[entry.clusterName] };
      const list = at < 0 ? [...others, item] : [...others.slice(0, at), item, ...others.slice(at)];
      result.push({ ...entry, clusterOverrides: list });
      written.add(entry.clusterName);
    } else if (hadReplicas && others.length === 0) {
      // Its only override was the replicas one: drop the now empty entry.
      continue;
    } else {
      result.push(hadReplicas ? { ...entry, clusterOverrides: others } : entry);
    }
  }
  for (const cluster of Object.keys(replicas).sort()) {
    if (!written.has(cluster))
      result.push({
        clusterName: cluster,
        clusterOverrides: [{ path: REPLICAS_OVERRIDE_PATH, value: replicas[cluster] }],
      });
  }
  return result;
}

function checkTarget(rsp: ReplicaSchedulingPreference, federated: FederatedObject): void {
  const issues: string[] = [];
  if (federated.kind !== undefined && federated.kind !== rsp.spec.targetKind)
    issues.push(`spec.targetKind: is ${rsp.spec.targetKind} but the federated object is a ${federated.kind}`);
  if (
    federated.metadata.name !== rsp.metadata.name ||
    (federated.metadata.namespace ?? '') !== (rsp.metadata.namespace ?? '')
  ) {
    issues.push(
      `metadata: the RSP ${qualifiedName(rsp.metadata)} must have the namespace and name of its target (${qualifiedName(federated.metadata)})`,
    );
  }
  if (issues.length > 0)
    throw new ValidationError(
      `ReplicaSchedulingPreference ${qualifiedName(rsp.metadata)} does not match its target`,
      issues,
    );
}

/** Clusters a placement's selector matches, ignoring any explicit list (KubeFed's selectorOnly). */
function selectorOnly(obj: FederatedObject, clusters: readonly Pick<MemberCluster, 'name' | 'labels'>[]): Set<string> {
  const selector = obj.spec?.placement?.clusterSelector;
  if (selector === undefined || selector === null) return new Set();
  return new Set(clusters.filter((c) => selectorMatches(selector, c.labels)).map((c) => c.name));
}

function skipped(reason: string): RspSchedule {
  return { replicas: {}, placement: [], candidates: [], plan: {}, overflow: {}, skipped: reason };
}

function restrict(counts: ReplicaCounts | undefined, keep: ReadonlySet<string>): Map<string, number> {
  const entries: Iterable<[string, number]> =
    counts === undefined ? [] : counts instanceof Map ? counts.entries() : Object.entries(counts);
  return new Map([...entries].filter(([cluster]) => keep.has(cluster)));
}

function specReplicas(workload: KubeObject): number {
  const spec: Partial<Wire<V1DeploymentSpec>> = isObject(workload.spec) ? workload.spec : {};
  return typeof spec.replicas === 'number' ? spec.replicas : 0;
}

function readyReplicas(workload: KubeObject): number {
  const status: Partial<Wire<V1DeploymentStatus>> = isObject(workload.status) ? workload.status : {};
  return typeof status.readyReplicas === 'number' ? status.readyReplicas : 0;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function hasOwn(record: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(record, key);
}

function show(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}
