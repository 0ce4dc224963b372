// One propagation pass: read members in bulk -> plan -> apply -> write status -> report.
// Every cluster is worked on in parallel; one slow or dead cluster only fails its own actions.
import { messageOf } from '../errors.js';
import { qualifiedName, type FederatedObject } from '../federation/federated-object.js';
import { MANAGED_LABEL, SYNC_FINALIZER } from '../api/kubefed.js';
import {
  classifyCreate,
  hasAppliedHash,
  isUpToDate,
  planResource,
  planStrays,
  type ClusterAction,
  type NamespacePlacement,
  type ResourcePlan,
} from '../federation/plan.js';
import { selectClusters } from '../federation/placement.js';
import { FieldSetPool } from '../federation/field-ownership.js';
import { computeStatus, FAILED_CLUSTER_STATUSES, SETTLED_STATUSES } from '../federation/status.js';
import { mergeShardEntries, ownsCluster } from '../federation/shard.js';
import { NOT_ALLOWED_BY_POLICY, type PlacementLimit } from '../api/policy.js';
import { federatedResourceType, targetResourceType, type FederatedTypeConfig } from '../federation/typeconfig.js';
import { isConflict, isNotFound } from '../kube/api-error.js';
import type { DryRun, KubeObject, ResourceType } from '../api/objects.js';
import type { ClusterClient } from '../kube/cluster-client.js';
import { writerFor } from '../kube/writer.js';
import { forEachLimited } from '../util/pool.js';
import { needsRetention, type RenderCache } from '../federation/render.js';
import { builtinTargetType } from './builtin-types.js';
import { writeHealth } from './health.js';
import type { ClusterEntry, HostInventory, Inventory, TypeEntry } from './inventory.js';
import { applyAction, type ClusterResult, type Outcome } from './member-writes.js';
import { planScheduling, type SchedulingPatch, type SchedulingResult } from './scheduling.js';
import { applyDns, planDns, type DnsRecordPlan, type DnsResult } from './dns.js';
import { limitsOf, noteKey, type PolicyNote } from './plain-manifests.js';
import {
  memberLabelsOf,
  planApplySet,
  pruneAndRecord,
  recordParentsBefore,
  type ApplySetPlan,
  type ApplySetReport,
  type ApplySetRequest,
} from './applyset.js';
import { waitForReady, type WaitReport, type WaitTarget } from './wait.js';

export type { ClusterResult, Outcome } from './member-writes.js';

export interface ResourceResult {
  type: string;
  kind: string;
  namespace?: string;
  name: string;
  /** The member object's `namespace/name` (or `name`). */
  target: string;
  reason: string;
  message?: string;
  clusters: ClusterResult[];
  warnings: string[];
  /** The policies behind this object: which propagation policy placed it, which PlacementPolicies restricted it. */
  policies?: PolicyNote & { restrictedBy?: PlacementLimit[] };
}

export interface PropagateReport {
  mode: 'host' | 'file';
  dryRun: DryRun;
  clusters: ClusterReport[];
  resources: ResourceResult[];
  /** Managed member objects that no federated object manages any more (label removed). */
  strays: { type: string; cluster: string; name: string; outcome: Outcome; message?: string }[];
  summary: Record<Outcome, number>;
  /** Host writes (cluster health, scheduling, finalizers, status). */
  hostWrites: number;
  /** What each ReplicaSchedulingPreference decided. */
  scheduling: SchedulingResult[];
  /** What the DNS step did with each ServiceDNSRecord / IngressDNSRecord. */
  dns: DnsResult[];
  /** File mode with --applyset or --prune: the set's parent per cluster and what was pruned. */
  applySet?: ApplySetReport;
  failed: boolean;
  /** With --wait: which member objects became ready before the deadline, and why the others did not. */
  wait?: WaitReport;
  /** With --shard: which shard ran and the member clusters it owned (`clusters` lists only those). */
  shard?: { index: number; count: number; clusters: string[] };
}

export interface ClusterReport {
  name: string;
  /** Answered the readiness probe and the reads at the start of the run. */
  ready: boolean;
  /** Why it got no writes, or why writes stopped. */
  reason?: string;
  /** Could not be reached, at the start or part-way through the run; later requests to it were not sent. */
  unreachable: boolean;
  /** Changes planned for this cluster that were not made because it was not ready or not reachable. */
  notPropagated: number;
  requests: Record<string, number>;
}

export interface PropagateOptions {
  dryRun: DryRun;
  /** File mode: record the members as an ApplySet, and prune it with `prune`. */
  applySet?: ApplySetRequest;
  now?: () => Date;
  progress?: (line: string) => void;
  /** --wait: after the writes, wait this long (ms) for the member objects to be ready; 0 checks once. */
  waitMs?: number;
  /**
   * Told how many changes each cluster gets before the writes start; returns what to call as each
   * one ends (output/progress.ts shows the counts per cluster).
   */
  tally?: (perCluster: ReadonlyMap<string, number>) => (cluster: string) => void;
  /** The member objects, as startReadingLive began reading them; read in the pass when absent. */
  live?: Promise<LiveRead>;
  /**
   * The pre-flight's renders of each federated object (PreflightOptions.keepRenders), used by the
   * plan instead of rendering again. Made without member labels: ignored with an ApplySet. Emptied
   * once the plan is made, so the renders the plan does not keep are freed before the writes.
   */
  renders?: Map<FederatedObject, RenderCache>;
}

/**
 * The plan of a pass, as data: what replica scheduling decided (and the host patches that record
 * it), one ResourcePlan per federated object, managed objects nobody manages any more, the status
 * of invalid federated objects, and the DNS records' statuses and DNSEndpoints (host mode).
 * `propagate` applies it; `diff` and dry runs only print it, so they cannot disagree.
 * The status of valid federated objects is the one thing computed after the writes: KubeFed's
 * per-cluster words report what each write did (CreationFailed, UpdateFailed, …).
 */
export interface PassPlan {
  scheduling: SchedulingResult[];
  schedulingPatches: SchedulingPatch[];
  plans: ResourcePlan[];
  strays: { typeName: string; action: ClusterAction }[];
  /** Host mode: the status each invalid federated object gets, when it changed. */
  invalidStatuses: { type: ResourceType; object: FederatedObject; status: unknown }[];
  dns: DnsRecordPlan[];
  /** File mode with --applyset or --prune: each cluster's parent and what to prune. */
  applySet?: ApplySetPlan;
}

/** Schedules replicas, reads the members in bulk and plans every federated object; writes nothing. */
export async function planPass(
  inv: Inventory,
  opts: {
    progress?: (line: string) => void;
    now?: Date;
    applySet?: ApplySetRequest;
    /** diff: read whole every member object that changes, to show how (only metadata is read in bulk). */
    wholeLiveOfChanges?: boolean;
    live?: Promise<LiveRead> | undefined;
    renders?: ReadonlyMap<FederatedObject, RenderCache> | undefined;
  } = {},
): Promise<PassPlan> {
  const progress = opts.progress ?? (() => undefined);
  let scheduling: SchedulingResult[] = [];
  let schedulingPatches: SchedulingPatch[] = [];
  // Fleet-wide steps see every cluster: a shard schedules with the whole fleet's replicas, so all
  // shards plan the same numbers; only shard 0 records them in the host (applyPass).
  const fleet = inv.shard?.fleet ?? inv.clusters;
  if (inv.rsps.length > 0) {
    progress(`scheduling replicas for ${inv.rsps.length} ReplicaSchedulingPreference(s)`);
    ({ results: scheduling, patches: schedulingPatches } = await planScheduling(
      { ...inv, clusters: fleet },
      inv.rsps,
      opts.now ?? new Date(),
    ));
  }
  progress(
    `reading member objects of ${inv.types.length} type(s) from ${inv.clusters.filter((c) => c.ready).length} ready cluster(s)`,
  );
  const live = await (opts.live ?? readLive(inv));

  const plans: ResourcePlan[] = [];
  const strays: { typeName: string; action: ClusterAction }[] = [];
  const memberLabels = memberLabelsOf(opts.applySet);
  // The pre-flight rendered without member labels: its renders serve only when there are none.
  const madeRenders = Object.keys(memberLabels).length === 0 ? opts.renders : undefined;
  for (const { ftc, objects } of inv.types) {
    const { perCluster, metadataOnly } = live.get(ftc.metadata.name) ?? {
      perCluster: new Map<string, LiveState>(),
      metadataOnly: false,
    };
    for (const fed of objects) {
      const key = targetKey(fed, ftc);
      const clusters = inv.clusters.map((c) => {
        const state = perCluster.get(c.name);
        return state?.error ? { ...c, ready: false, notReadyReason: state.error } : c;
      });
      const liveObjects = new Map([...perCluster].map(([cluster, state]) => [cluster, state.objects.get(key)]));
      plans.push(
        planResource({
          federated: fed,
          ftc,
          clusters,
          live: liveObjects,
          namespacePlacement: namespacePlacementOf(inv, fed, ftc, inv.clusters),
          scope: inv.scope,
          adopt: inv.adopt,
          manageFinalizer: inv.mode === 'host',
          ...(isNamespaceType(ftc) && inv.hostNamespaceUids.has(key)
            ? { hostNamespaceUid: inv.hostNamespaceUids.get(key) ?? '' }
            : {}),
          limits: limitsOf(fed, ftc, clusters, inv),
          memberLabels,
          liveIsMetadata: metadataOnly,
          renders: madeRenders?.get(fed),
        }),
      );
    }
    // Only host mode sees every federated object of a type; file mode and -l see part of them, and
    // with -n only the namespaced objects inside that namespace are all in view.
    const wholeTypeInView =
      inv.mode === 'host' && !inv.partial && (!inv.namespace || targetResourceType(ftc).namespaced);
    if (wholeTypeInView) {
      const keys = new Set(objects.map((o) => targetKey(o, ftc)));
      for (const cluster of inv.clusters) {
        const state = perCluster.get(cluster.name);
        if (!state || state.error) continue;
        for (const action of planStrays(ftc.metadata.name, cluster, [...state.objects.values()], keys))
          strays.push({ typeName: ftc.metadata.name, action });
      }
    }
  }
  await classifyCreates(inv, plans);
  const metadataTypes = new Set([...live].filter(([, l]) => l.metadataOnly).map(([name]) => name));
  await readWholeWhereUnsure(inv, { plans, strays }, { metadataTypes, forDisplay: opts.wholeLiveOfChanges === true });
  if (opts.applySet)
    progress(
      `reading ApplySet ${opts.applySet.ref.name}${opts.applySet.prune ? ' and its members' : ''} in each cluster`,
    );
  const applySet = opts.applySet ? await planApplySet(inv, opts.applySet, plans) : undefined;
  // DNS records are one per Service or Ingress for the whole fleet: shard 0 alone writes them.
  const dns =
    inv.mode === 'host' && leadsFleet(inv)
      ? await planDns({
          host: inv.host,
          kubefedNamespace: inv.kubefedNamespace,
          ...(inv.namespace ? { namespace: inv.namespace } : {}),
          clusters: fleet,
          topology: inv.topology,
        })
      : [];
  return {
    scheduling,
    schedulingPatches,
    plans,
    strays,
    invalidStatuses: invalidStatuses(inv, opts.now ?? new Date()),
    dns,
    ...(applySet ? { applySet } : {}),
  };
}

/** Unsharded, or shard 0: the run that records fleet-wide results (schedules, DNS) in the host. */
function leadsFleet(inv: Inventory): boolean {
  return !inv.shard || inv.shard.index === 0;
}

/** Host mode: an invalid federated object says so in its own status; the others go on. */
function invalidStatuses(inv: Inventory, now: Date): PassPlan['invalidStatuses'] {
  if (inv.mode !== 'host') return [];
  return inv.invalid.flatMap((bad) => {
    const ftc = inv.allTypes.get(bad.typeName);
    const reason = bad.issues.some((i) => i.startsWith('spec.placement'))
      ? 'ComputePlacementFailed'
      : 'ComputeResourceFailed';
    const update = computeStatus(bad.object, reason, new Map(), now);
    return ftc && update.changed
      ? [{ type: federatedResourceType(ftc), object: bad.object, status: update.status }]
      : [];
  });
}

/**
 * Planned creates meet objects of the same name that lack the managed label: one bulk list of
 * unlabelled objects per type and cluster that has creates (metadata only, unless adoption needs
 * whole objects for field retention), so neither diff nor the applier asks per object. A failed
 * list leaves the creates as they are: the applier still resolves a 409 object by object.
 */
async function classifyCreates(inv: Inventory, plans: ResourcePlan[]): Promise<void> {
  const entryOf = new Map(inv.types.map((t) => [t.ftc.metadata.name, t]));
  const wanted = new Map<string, { entry: TypeEntry; cluster: ClusterEntry }>();
  for (const plan of plans) {
    for (const a of plan.actions) {
      const entry = entryOf.get(plan.typeName);
      const cluster = inv.clusters.find((c) => c.name === a.cluster);
      if (a.kind === 'create' && entry && cluster?.client)
        wanted.set(`${plan.typeName}\n${a.cluster}`, { entry, cluster });
    }
  }
  const unlabelled = new Map<string, Map<string, KubeObject>>();
  await Promise.all(
    [...wanted].map(async ([key, { entry, cluster }]) => {
      const type = targetResourceType(entry.ftc);
      const query = { labelSelector: `!${MANAGED_LABEL}` };
      try {
        const lists = await Promise.all(
          listScopes(inv, type, entry.objects).map((namespace) =>
            inv.adopt
              ? cluster.client!.list(type, { ...query, ...(namespace ? { namespace } : {}) })
              : cluster.client!.listMetadata(type, { ...query, ...(namespace ? { namespace } : {}) }),
          ),
        );
        unlabelled.set(key, new Map(lists.flatMap((l) => l.items).map((o) => [qualifiedName(o.metadata), o])));
      } catch {
        // the applier's 409 handling covers this type and cluster
      }
    }),
  );
  for (const plan of plans) {
    const implicit = isImplicitNamespace(inv, plan);
    plan.actions = plan.actions.map((a) => {
      const found = unlabelled.get(`${plan.typeName}\n${a.cluster}`);
      const classified = found && a.desired ? classifyCreate(a, found.get(qualifiedName(a.desired.metadata))) : a;
      return implicit ? useExistingNamespace(classified) : classified;
    });
  }
}

/** A FederatedNamespace made only to hold plain manifests (docs/policy.md, "Implicit namespaces"). */
function isImplicitNamespace(inv: Inventory, plan: ResourcePlan): boolean {
  return plan.typeName === 'namespaces' && (inv.implicitNamespaces?.has(plan.federated.metadata.name ?? '') ?? false);
}

/** An implicit namespace that exists already, unmanaged, is used as it is: not a conflict. */
function useExistingNamespace(action: ClusterAction): ClusterAction {
  if (action.kind !== 'conflict') return action;
  return {
    ...action,
    kind: 'none',
    status: '',
    message: 'the namespace exists and is not managed; it is used as it is',
  };
}

/** Runs the pass over a loaded inventory: plan, then apply the plan and write status. */
export async function propagate(inv: Inventory, opts: PropagateOptions): Promise<PropagateReport> {
  const now = opts.now ?? (() => new Date());
  const plan = await planPass(inv, {
    ...(opts.progress ? { progress: opts.progress } : {}),
    live: opts.live,
    renders: opts.renders,
    now: now(),
    ...(opts.applySet ? { applySet: opts.applySet } : {}),
  });
  opts.renders?.clear();
  // The writes need neither the lists nor the renders: what the plan keeps of them, it holds.
  const { live: _live, renders: _renders, ...writing } = opts;
  const report = await applyPass(inv, plan, writing);
  if (opts.waitMs !== undefined && writerFor(opts.dryRun).persists)
    await waitAfterWrites(inv, report, opts.waitMs, opts);
  return report;
}

/** --wait: waits for the placed objects to be ready, and counts the wait's lists and watches in. */
async function waitAfterWrites(
  inv: Inventory,
  report: PropagateReport,
  timeoutMs: number,
  opts: Pick<PropagateOptions, 'progress'>,
): Promise<void> {
  report.wait = await waitForReady(waitTargets(inv, report.resources), {
    timeoutMs,
    ...(opts.progress ? { progress: opts.progress } : {}),
  });
  for (const c of report.clusters) {
    const client = inv.clusters.find((x) => x.name === c.name)?.client;
    if (client) c.requests = { ...client.requestCounts };
  }
}

/**
 * What --wait waits for: every member object this run leaves in place, whether written now
 * (created, updated, adopted) or already as desired (unchanged), since a copy written by an
 * earlier run may still be rolling out. Failed, skipped, conflicting and deleted copies are
 * reported by the pass itself.
 */
export function waitTargets(inv: Inventory, resources: ResourceResult[]): WaitTarget[] {
  const ftcs = new Map(inv.types.map((t) => [t.ftc.metadata.name, t.ftc]));
  const clients = new Map(inv.clusters.map((c) => [c.name, c.client]));
  return resources.flatMap((r) => {
    const ftc = ftcs.get(r.type);
    if (!ftc) return [];
    const type = targetResourceType(ftc);
    const slash = r.target.indexOf('/');
    const [namespace, name] =
      slash >= 0 ? [r.target.slice(0, slash), r.target.slice(slash + 1)] : [undefined, r.target];
    return r.clusters
      .filter(
        (c) =>
          ['created', 'updated', 'adopted'].includes(c.outcome) ||
          (c.outcome === 'unchanged' && c.action === 'none' && c.status === ''),
      )
      .map((c) => ({
        cluster: c.cluster,
        client: clients.get(c.cluster),
        type,
        typeName: r.type,
        ...(namespace ? { namespace } : {}),
        name,
      }));
  });
}

/** Applies a pass plan: scheduling and finalizers to the host, then member writes, status and DNS. */
export async function applyPass(inv: Inventory, pass: PassPlan, opts: PropagateOptions): Promise<PropagateReport> {
  const now = opts.now ?? (() => new Date());
  const progress = opts.progress ?? (() => undefined);
  const { scheduling, plans, strays } = pass;
  // The writer is the only thing that knows the dry-run mode; writes that are not stored record
  // nothing in the host either (no health, schedules, finalizers or status).
  const writer = writerFor(opts.dryRun);
  const host: HostInventory | undefined = inv.mode === 'host' && writer.persists ? inv : undefined;
  let hostWrites = 0;
  if (host) {
    progress(`recording the health of ${host.health.length} cluster(s)`);
    hostWrites += await writeHealth(host.host, host.health);
    if (leadsFleet(host)) hostWrites += await writeSchedulingPatches(host.host, pass.schedulingPatches, scheduling);
    hostWrites += await addFinalizers(host.host, host, plans);
  }

  const isChange = (a: ClusterAction) => a.kind !== 'none' && a.kind !== 'skip' && a.kind !== 'conflict';
  const perCluster = new Map<string, number>();
  for (const a of [...plans.flatMap((p) => p.actions.filter(isChange)), ...strays.map((s) => s.action)])
    perCluster.set(a.cluster, (perCluster.get(a.cluster) ?? 0) + 1);
  const count = [...perCluster.values()].reduce((a, b) => a + b, 0);
  progress(`applying ${count} change(s)`);
  const changed = opts.tally?.(perCluster) ?? (() => undefined);
  const resultsByPlan = new Map<ResourcePlan, ClusterResult[]>();
  const ftcOf = new Map(inv.types.flatMap((t) => t.objects.map((o) => [o, t.ftc] as const)));
  const clients = new Map(inv.clusters.map((c) => [c.name, c.client]));
  // Namespaces are created before, and deleted after, the objects inside them.
  const phase = (plan: ResourcePlan, a: ClusterAction) =>
    isNamespaceType(ftcOf.get(plan.federated)!) ? (a.kind === 'delete' ? 2 : 0) : 1;
  // A server dry run does not really create namespaces, so objects inside new ones cannot be sent.
  const dryRunNamespaces = new Set<string>();
  let parents: Awaited<ReturnType<typeof recordParentsBefore>> | undefined;
  for (const current of [0, 1, 2]) {
    // The ApplySet's parent lives in a namespace the run may create: recorded once namespaces
    // exist, before any other member is written.
    if (current === 1 && pass.applySet)
      parents = await recordParentsBefore(pass.applySet, clients, writer, (cluster, ns) =>
        dryRunNamespaces.has(`${cluster}/${ns}`),
      );
    // Each cluster's writes in this phase, one per request slot of its client (--concurrency). A
    // write holds its encoded body until it is sent: writes made ahead of free slots only kept
    // those alive through young collections (docs/performance.md, session 12).
    const byCluster = new Map<string, { plan: ResourcePlan; action: ClusterAction }[]>();
    for (const plan of plans)
      for (const action of plan.actions)
        if (phase(plan, action) === current)
          (byCluster.get(action.cluster) ?? byCluster.set(action.cluster, []).get(action.cluster)!).push({
            plan,
            action,
          });
    await Promise.all(
      [...byCluster].map(([cluster, work]) =>
        forEachLimited(work, clients.get(cluster)?.maxInFlight ?? 1, async ({ plan, action }) => {
          const ftc = ftcOf.get(plan.federated)!;
          const ns = action.desired?.metadata.namespace;
          const result: ClusterResult =
            ns && action.kind === 'create' && dryRunNamespaces.has(`${action.cluster}/${ns}`)
              ? {
                  cluster: action.cluster,
                  action: action.kind,
                  outcome: 'created',
                  status: '',
                  message: 'not sent: its namespace is only created in this dry run',
                }
              : await applyAction(
                  clients.get(action.cluster),
                  targetResourceType(ftc),
                  action,
                  plan.federated,
                  writer,
                  {
                    remoteStatus: collectsStatus(inv, ftc),
                  },
                );
          if (current === 0 && writer.sends && !writer.persists && result.outcome === 'created')
            dryRunNamespaces.add(`${action.cluster}/${plan.federated.metadata.name ?? ''}`);
          (resultsByPlan.get(plan) ?? resultsByPlan.set(plan, []).get(plan)!).push(result);
          if (isChange(action)) changed(action.cluster);
        }),
      ),
    );
  }
  const strayResults = await Promise.all(
    strays.map(async ({ typeName, action }) => {
      const ftc = inv.types.find((t) => t.ftc.metadata.name === typeName)!.ftc;
      const r = await applyAction(clients.get(action.cluster), targetResourceType(ftc), action, undefined, writer);
      changed(action.cluster);
      return {
        type: typeName,
        cluster: action.cluster,
        name: qualifiedName(action.live?.metadata ?? {}),
        outcome: r.outcome,
        ...(r.message ? { message: r.message } : {}),
      };
    }),
  );

  const applySet =
    pass.applySet && parents
      ? await pruneAndRecord(pass.applySet, {
          clients,
          writer,
          before: parents,
          writeFailures: writeFailures(resultsByPlan, strayResults),
          progress,
        })
      : undefined;

  const resources: ResourceResult[] = [];
  for (const plan of plans) {
    const results = (resultsByPlan.get(plan) ?? []).sort((a, b) => a.cluster.localeCompare(b.cluster));
    const ftc = ftcOf.get(plan.federated)!;
    if (host) hostWrites += await finishHostObject(host, plan, ftc, results, now());
    resources.push(resourceResult(plan, ftc, results, inv.policyNotes?.get(noteKey(plan.federated))));
  }
  if (host) {
    for (const { type, object, status } of pass.invalidStatuses) {
      await host.host
        .mergePatch(type, object.metadata.name ?? '', object.metadata.namespace, { status }, { subresource: 'status' })
        .catch(() => undefined);
      hostWrites++;
    }
  }
  for (const bad of inv.invalid) {
    resources.push({
      type: bad.typeName,
      kind: bad.object.kind ?? '',
      ...(bad.object.metadata.namespace ? { namespace: bad.object.metadata.namespace } : {}),
      name: bad.object.metadata.name ?? '',
      target: qualifiedName(bad.object.metadata),
      reason: 'Invalid',
      message: bad.issues.join('; '),
      clusters: [],
      warnings: [],
    });
  }
  let dns: DnsResult[] = [];
  if (inv.mode === 'host') {
    progress('updating multicluster DNS records');
    const d = await applyDns(inv.host, pass.dns, writer);
    dns = d.results;
    if (host) hostWrites += d.writes;
  }
  const summary = summarise(resources, [...strayResults, ...(applySet?.pruned ?? [])]);
  const failed =
    scheduling.some((s) => s.outcome === 'invalid' || s.outcome === 'failed') ||
    dns.some((d) => d.outcome === 'failed') ||
    resources.some(
      (r) =>
        r.reason === 'Invalid' ||
        r.reason === 'ComputePlacementFailed' ||
        r.reason === 'ComputeResourceFailed' ||
        r.reason === 'NamespaceNotFederated' ||
        r.clusters.some(
          (c) => c.outcome === 'failed' || c.outcome === 'conflict' || FAILED_CLUSTER_STATUSES.has(c.status),
        ),
    ) ||
    strayResults.some((s) => s.outcome === 'failed') ||
    applySetFailed(applySet);
  return {
    mode: inv.mode,
    dryRun: opts.dryRun,
    clusters: clusterReports(inv, resources),
    resources,
    strays: strayResults,
    summary,
    hostWrites,
    scheduling,
    dns,
    ...(applySet ? { applySet } : {}),
    failed,
    ...(inv.shard
      ? { shard: { index: inv.shard.index, count: inv.shard.count, clusters: inv.clusters.map((c) => c.name) } }
      : {}),
  };
}

/** A parent that could not be read or written, or a member that could not be pruned. */
function applySetFailed(set: ApplySetReport | undefined): boolean {
  if (!set) return false;
  return set.clusters.some((c) => c.parent === 'failed') || set.pruned.some((p) => p.outcome === 'failed');
}

/** Failed member writes per cluster: a cluster with any gets no prune. */
function writeFailures(
  resultsByPlan: Map<ResourcePlan, ClusterResult[]>,
  strays: { cluster: string; outcome: Outcome }[],
): Map<string, number> {
  const out = new Map<string, number>();
  const results = [...[...resultsByPlan.values()].flat(), ...strays];
  for (const r of results) if (r.outcome === 'failed') out.set(r.cluster, (out.get(r.cluster) ?? 0) + 1);
  return out;
}

interface LiveState {
  objects: Map<string, KubeObject>;
  error?: string;
}

/** Above this many namespaces, one cluster-wide LIST is cheaper than one LIST per namespace. */
const MAX_NAMESPACED_LISTS = 4;

/**
 * Which namespaces to LIST a type in: undefined means cluster-wide. Host mode lists cluster-wide
 * (it must see strays); file mode only needs the namespaces its objects are in.
 */
function listScopes(inv: Inventory, type: ResourceType, objects: FederatedObject[]): (string | undefined)[] {
  if (!type.namespaced) return [undefined];
  if (inv.namespace) return [inv.namespace];
  if (inv.mode !== 'file') return [undefined];
  const namespaces = [...new Set(objects.map((o) => o.metadata.namespace ?? ''))];
  return namespaces.length <= MAX_NAMESPACED_LISTS ? namespaces : [undefined];
}

/** What was read of one type's member objects: per ready cluster, and whether only their metadata. */
interface TypeLive {
  perCluster: Map<string, LiveState>;
  metadataOnly: boolean;
  type: ResourceType;
  /** The namespaces listed (undefined: all, or a cluster-scoped type). */
  scopes: (string | undefined)[];
}

/** The member objects of every type, by type name (readLive). */
export type LiveRead = Map<string, TypeLive>;

/**
 * Starts reading the member objects, for a caller with other work before the pass (file mode's
 * pre-flight): the LISTs are then served while it works. Pass the result as `live`. Reading never
 * writes, so a pre-flight that refuses the input after this has still written nothing.
 */
export function startReadingLive(inv: Inventory): Promise<LiveRead> {
  const reading = readLive(inv);
  // A caller that fails before the pass never awaits it; a list's failure is recorded per cluster.
  reading.catch(() => undefined);
  return reading;
}

/** What was listed, per type and cluster; undefined when a list failed. */
export function listsRead(
  live: LiveRead,
):
  { cluster: string; type: ResourceType; scopes: (string | undefined)[]; objects: Iterable<KubeObject> }[] | undefined {
  const out = [];
  for (const { perCluster, type, scopes } of live.values())
    for (const [cluster, state] of perCluster) {
      if (state.error !== undefined) return undefined;
      out.push({ cluster, type, scopes, objects: state.objects.values() });
    }
  return out;
}

/** Whether the federated status of a type's objects carries their member objects' status. */
function collectsStatus(inv: Inventory, ftc: FederatedTypeConfig): boolean {
  return ftc.spec.statusCollection === 'Enabled' || inv.collectStatus === true;
}

/**
 * Whether a type's member objects are read as metadata only (names, labels, annotations,
 * managedFields), which is all planning needs when an object's applied hash and managedFields can
 * say it is unchanged (isUnchangedSinceApplied): built-in kinds, whose emptied fields are dropped,
 * and nothing that reads the live object's fields (retained fields, collected status).
 */
function readsMetadataOnly(inv: Inventory, { ftc, objects }: TypeEntry): boolean {
  const type = targetResourceType(ftc);
  if (!builtinTargetType(type.kind, type.group)) return false;
  if (collectsStatus(inv, ftc)) return false;
  return !objects.some((o) => needsRetention(type.kind, o.spec.retainReplicas === true));
}

/**
 * Reads, per type and ready cluster, the objects carrying the managed label (true or false): one
 * paged LIST each, of metadata only where that is enough (readsMetadataOnly).
 */
async function readLive(inv: Inventory): Promise<LiveRead> {
  const out = new Map<string, TypeLive>();
  const fieldSets = new FieldSetPool();
  await Promise.all(
    inv.types.map(async (entry) => {
      const { ftc, objects } = entry;
      const metadataOnly = readsMetadataOnly(inv, entry);
      const perCluster = new Map<string, LiveState>();
      const type = targetResourceType(ftc);
      const scopes = listScopes(inv, type, objects);
      out.set(ftc.metadata.name, { perCluster, metadataOnly, type, scopes });
      await Promise.all(
        inv.clusters
          .filter((c) => c.ready && c.client)
          .map(async (c) => {
            try {
              const objects = await listManaged(c.client!, type, scopes, metadataOnly);
              for (const o of objects.values()) fieldSets.share(o);
              perCluster.set(c.name, { objects });
            } catch (error) {
              perCluster.set(c.name, { objects: new Map(), error: `cannot list ${type.plural}: ${messageOf(error)}` });
            }
          }),
      );
    }),
  );
  return out;
}

/** One cluster's objects of a type that carry the managed label, by key: one paged LIST per scope. */
async function listManaged(
  client: ClusterClient,
  type: ResourceType,
  scopes: readonly (string | undefined)[],
  metadataOnly: boolean,
): Promise<Map<string, KubeObject>> {
  const objects = new Map<string, KubeObject>();
  await Promise.all(
    scopes.map(async (namespace) => {
      const query = { ...(namespace ? { namespace } : {}), labelSelector: MANAGED_LABEL };
      const list = await (metadataOnly ? client.listMetadata(type, query) : client.list(type, query));
      for (const o of list.items) objects.set(qualifiedName(o.metadata), o);
    }),
  );
  return objects;
}

/**
 * Past this many objects of one type to read whole in one cluster, one paged LIST of the type's
 * managed objects replaces the GETs: after a bulk edit (a label put on every object by hand), a run
 * still reads in bulk.
 */
export const GETS_BEFORE_LIST = 32;

/** An action to settle with the whole live object, and where the settled action goes. */
interface WholeRead {
  typeName: string;
  action: ClusterAction;
  why: 'unsure' | 'shown';
  settle: (action: ClusterAction) => void;
}

/**
 * Reads whole the member objects whose metadata could not settle their action. An object with our
 * applied hash that someone else may have changed since our last write (isUnchangedSinceApplied
 * said no) is compared field by field, and needs no write when it holds everything all the same.
 * With `forDisplay` (diff), every object that changes is read whole too, to show how. A failed read
 * leaves the action as planned: an apply of what is already there changes nothing.
 */
async function readWholeWhereUnsure(
  inv: Inventory,
  pass: Pick<PassPlan, 'plans' | 'strays'>,
  opts: { metadataTypes: ReadonlySet<string>; forDisplay: boolean },
): Promise<void> {
  const reads: WholeRead[] = [];
  const add = (typeName: string, action: ClusterAction, settle: (a: ClusterAction) => void) => {
    const why = opts.metadataTypes.has(typeName) ? wholeReadNeeded(action, opts.forDisplay) : undefined;
    if (why) reads.push({ typeName, action, why, settle });
  };
  for (const plan of pass.plans)
    plan.actions.forEach((a, i) => add(plan.typeName, a, (settled) => (plan.actions[i] = settled)));
  for (const stray of pass.strays) add(stray.typeName, stray.action, (settled) => (stray.action = settled));
  const groups = new Map<string, WholeRead[]>();
  for (const r of reads) {
    const key = `${r.typeName}\n${r.action.cluster}`;
    const group = groups.get(key);
    if (group) group.push(r);
    else groups.set(key, [r]);
  }
  await Promise.all([...groups.values()].map((group) => readWholeGroup(inv, group)));
}

/** The whole reads of one type in one cluster: GETs, or one paged LIST past GETS_BEFORE_LIST. */
async function readWholeGroup(inv: Inventory, group: WholeRead[]): Promise<void> {
  const { typeName, action } = group[0]!;
  const client = inv.clusters.find((c) => c.name === action.cluster)?.client;
  const entry = inv.types.find((t) => t.ftc.metadata.name === typeName);
  if (!client || !entry) return;
  const type = targetResourceType(entry.ftc);
  const listed =
    group.length > GETS_BEFORE_LIST
      ? await listManaged(client, type, listScopes(inv, type, entry.objects), false).catch(() => undefined)
      : undefined;
  await Promise.all(
    group.map(async (read) => {
      const { name = '', namespace } = read.action.live!.metadata;
      const whole = listed
        ? listed.get(qualifiedName(read.action.live!.metadata))
        : await client.get(type, name, namespace).catch(() => undefined);
      // A failed read leaves the action as planned: an apply of what is there changes nothing.
      if (whole) read.settle(settledWith(read, whole));
    }),
  );
}

/** The action once its live object is known whole: nothing to do when it holds all we want. */
function settledWith(read: WholeRead, whole: KubeObject): ClusterAction {
  return read.why === 'unsure' && isUpToDate(read.action.desired!, whole)
    ? { ...read.action, kind: 'none', live: whole }
    : { ...read.action, live: whole };
}

/**
 * Why an action planned from a metadata-only live object needs the object whole: 'unsure' when it
 * has our applied hash but someone else may have changed it, 'shown' when diff shows the change.
 */
function wholeReadNeeded(action: ClusterAction, forDisplay: boolean): 'unsure' | 'shown' | undefined {
  if (!action.live) return undefined;
  if (action.kind === 'update' && action.desired && hasAppliedHash(action.desired, action.live)) return 'unsure';
  const changes = action.kind === 'update' || action.kind === 'delete' || action.kind === 'unlabel';
  return forDisplay && changes ? 'shown' : undefined;
}

function isNamespaceType(ftc: FederatedTypeConfig): boolean {
  return ftc.metadata.name === 'namespaces';
}

/** The member object's key: `namespace/name`, or `name` for cluster-scoped targets and namespaces. */
function targetKey(fed: FederatedObject, ftc: FederatedTypeConfig): string {
  return ftc.spec.targetType.scope === 'Namespaced' ? qualifiedName(fed.metadata) : (fed.metadata.name ?? '');
}

const SYSTEM_NAMESPACES = new Set(['kube-system', 'kube-public', 'default']);

/**
 * Where a federated object's namespace lets it go: the FederatedNamespace's clusters for a
 * namespaced object; for a FederatedNamespace of a system namespace (or the KubeFed namespace),
 * nowhere, since those namespaces are never written. render uses it too, so they agree.
 */
export function namespacePlacementOf(
  inv: Pick<Inventory, 'federatedNamespaces' | 'kubefedNamespace'>,
  fed: FederatedObject,
  ftc: FederatedTypeConfig,
  clusters: readonly Pick<ClusterEntry, 'name' | 'labels'>[],
): NamespacePlacement {
  if (ftc.spec.targetType.scope !== 'Namespaced' || isNamespaceType(ftc)) {
    if (
      isNamespaceType(ftc) &&
      (SYSTEM_NAMESPACES.has(fed.metadata.name ?? '') || fed.metadata.name === inv.kubefedNamespace)
    )
      return { kind: 'clusters', clusters: [] };
    return { kind: 'not-applicable' };
  }
  const fns = inv.federatedNamespaces.get(fed.metadata.namespace ?? '');
  if (!fns) return { kind: 'missing' };
  return { kind: 'clusters', clusters: selectClusters(fns.spec.placement, clusters) };
}

/** Records what replica scheduling decided in the host's federated objects, as KubeFed does. */
async function writeSchedulingPatches(
  host: ClusterClient,
  patches: SchedulingPatch[],
  results: SchedulingResult[],
): Promise<number> {
  let writes = 0;
  for (const p of patches) {
    const { name, namespace } = p.federated.metadata;
    try {
      const stored = await host.mergePatch<FederatedObject>(p.type, name ?? '', namespace, p.patch);
      // Later patches of this object (the finalizer) are made against the version just written.
      keepVersion(p.federated, stored);
      writes++;
    } catch (error) {
      const result = results.find((r) => r.rsp === qualifiedName(p.federated.metadata));
      if (result)
        Object.assign(result, {
          outcome: 'failed',
          message: `cannot record the schedule in the host: ${messageOf(error)}`,
        });
    }
  }
  return writes;
}

/**
 * Takes the resourceVersion of a version just read or written, with its status: a sharded status
 * write merges into that status under that version as its precondition, so the two must agree, or
 * another shard's entries written in between would be lost.
 */
function keepVersion(fed: FederatedObject, stored: FederatedObject): void {
  fed.metadata.resourceVersion = stored.metadata.resourceVersion ?? '';
  if (stored.status) fed.status = stored.status;
  else delete fed.status;
}

/** Adds our finalizer to live federated objects that lack it, before touching any member. */
async function addFinalizers(host: ClusterClient, inv: Inventory, plans: ResourcePlan[]): Promise<number> {
  let writes = 0;
  const typeOf = new Map(inv.types.flatMap((t) => t.objects.map((o) => [o, federatedResourceType(t.ftc)] as const)));
  await Promise.all(
    plans
      .filter((p) => p.finalizer === 'add')
      .map(async (p) => {
        const fed = p.federated;
        const type = typeOf.get(fed)!;
        const patch = (meta: FederatedObject['metadata']) =>
          host.mergePatch<FederatedObject>(type, fed.metadata.name ?? '', fed.metadata.namespace, {
            metadata: {
              finalizers: [...(meta.finalizers ?? []), SYNC_FINALIZER],
              resourceVersion: meta.resourceVersion,
            },
          });
        let stored: FederatedObject | undefined;
        try {
          stored = await patch(fed.metadata);
          writes++;
        } catch (error) {
          if (!isConflict(error)) throw error;
          // Changed since we read it (an overlapping run may have added the finalizer): read again, add it if still missing.
          const current = await host.get<FederatedObject>(type, fed.metadata.name ?? '', fed.metadata.namespace);
          if (!current) throw error;
          stored = (current.metadata.finalizers ?? []).includes(SYNC_FINALIZER)
            ? current
            : await patch(current.metadata);
          if (stored !== current) writes++;
        }
        fed.metadata.finalizers = stored.metadata.finalizers ?? [];
        keepVersion(fed, stored);
      }),
  );
  return writes;
}

/** Writes status (when it changed) and, once a deletion is complete, removes our finalizer. */
async function finishHostObject(
  inv: HostInventory,
  plan: ResourcePlan,
  ftc: FederatedTypeConfig,
  results: ClusterResult[],
  now: Date,
): Promise<number> {
  const host = inv.host;
  const type = federatedResourceType(ftc);
  const fed = plan.federated;
  if (plan.deleting) {
    if (plan.finalizer !== 'remove' || results.some((r) => r.outcome === 'failed' || r.outcome === 'skipped')) return 0;
    // Deletion is done when no copy is left: confirm with a direct read of each deleted object and,
    // in a sharded run, of every other shard's cluster (the last shard to finish removes the finalizer).
    const confirm = [
      ...results.filter((x) => x.outcome === 'deleted').map((r) => inv.clusters.find((c) => c.name === r.cluster)),
      ...(inv.shard?.fleet.filter((c) => !ownsCluster(inv.shard, c.name)) ?? []),
    ];
    for (const cluster of confirm) {
      const still = await copyLeft(cluster, ftc, fed);
      if (still) return 0;
    }
    const finalizers = (fed.metadata.finalizers ?? []).filter((f) => f !== SYNC_FINALIZER);
    try {
      await host.mergePatch(type, fed.metadata.name ?? '', fed.metadata.namespace, {
        metadata: { finalizers, resourceVersion: fed.metadata.resourceVersion },
      });
    } catch (error) {
      // Changed or gone since we read it (an overlapping run finished the deletion): the next run looks again.
      if (isConflict(error) || isNotFound(error)) return 0;
      throw error;
    }
    return 1;
  }
  const clusters = new Map<string, string>();
  for (const r of results)
    if (!(r.action === 'unlabel' && r.outcome === 'unlabelled')) clusters.set(r.cluster, r.status);
  const collect = collectsStatus(inv, ftc);
  const remoteStatuses = new Map<string, unknown>(
    collect ? results.filter((r) => r.remoteStatus !== undefined).map((r) => [r.cluster, r.remoteStatus]) : [],
  );
  // No copy is there to have a status: the federated status names the policy instead.
  for (const r of results)
    if (r.policy && r.status === NOT_ALLOWED_BY_POLICY) remoteStatuses.set(r.cluster, { placementPolicy: r.policy });
  const shard = inv.shard;
  if (!shard) {
    const update = computeStatus(fed, plan.aggregate, clusters, now, remoteStatuses);
    return update.changed ? writeStatus(host, type, fed, { status: update.status }) : 0;
  }
  // Shards share status.clusters: each replaces its own clusters' entries and keeps the others',
  // with the resourceVersion as a precondition; on a conflict it reads the object again and merges anew.
  let current: FederatedObject | undefined = fed;
  for (let attempt = 1; current; attempt++) {
    const merged = mergeShardEntries(current.status?.clusters ?? [], { clusters, remote: remoteStatuses }, shard);
    const update = computeStatus(current, plan.aggregate, merged.clusters, now, merged.remote);
    if (!update.changed) return 0;
    try {
      return await writeStatus(host, type, current, {
        status: update.status,
        resourceVersion: current.metadata.resourceVersion,
      });
    } catch (error) {
      if (!isConflict(error) || attempt >= STATUS_MERGE_ATTEMPTS) throw error;
    }
    current = await host.get<FederatedObject>(type, fed.metadata.name ?? '', fed.metadata.namespace);
  }
  return 0; // deleted meanwhile
}

/** How often a shard merges and writes one status before giving up: one try per other shard is typical. */
const STATUS_MERGE_ATTEMPTS = 10;

/** Writes a federated object's status; with a resourceVersion, only over that version (a 409 otherwise). */
async function writeStatus(
  host: ClusterClient,
  type: ResourceType,
  fed: FederatedObject,
  { status, resourceVersion }: { status: unknown; resourceVersion?: string | undefined },
): Promise<number> {
  try {
    await host.mergePatch(
      type,
      fed.metadata.name ?? '',
      fed.metadata.namespace,
      { ...(resourceVersion ? { metadata: { resourceVersion } } : {}), status },
      { subresource: 'status' },
    );
    return 1;
  } catch (error) {
    if (isNotFound(error)) return 0; // deleted meanwhile
    throw error;
  }
}

/** True when the cluster still has a managed copy of a deleted federated object, or cannot say. */
async function copyLeft(
  cluster: ClusterEntry | undefined,
  ftc: FederatedTypeConfig,
  fed: FederatedObject,
): Promise<boolean> {
  if (!cluster?.client) return true;
  try {
    const still = await cluster.client.get(
      targetResourceType(ftc),
      fed.metadata.name ?? '',
      ftc.spec.targetType.scope === 'Namespaced' && !isNamespaceType(ftc) ? fed.metadata.namespace : undefined,
    );
    return still !== undefined && still.metadata.labels?.[MANAGED_LABEL] === 'true';
  } catch {
    return true;
  }
}

function resourceResult(
  plan: ResourcePlan,
  ftc: FederatedTypeConfig,
  results: ClusterResult[],
  note: PolicyNote | undefined,
): ResourceResult {
  const policies = { ...note, ...(plan.limits.length > 0 ? { restrictedBy: plan.limits } : {}) };
  const fed = plan.federated;
  const reason =
    plan.aggregate || (results.some((r) => r.status && !SETTLED_STATUSES.has(r.status)) ? 'CheckClusters' : '');
  return {
    type: ftc.metadata.name,
    kind: fed.kind ?? '',
    ...(fed.metadata.namespace ? { namespace: fed.metadata.namespace } : {}),
    name: fed.metadata.name ?? '',
    target: targetKey(fed, ftc),
    reason,
    ...(plan.aggregateMessage ? { message: plan.aggregateMessage } : {}),
    clusters: results.map(({ remoteStatus: _remote, ...r }) => r),
    warnings: plan.warnings,
    ...(Object.keys(policies).length > 0 ? { policies } : {}),
  };
}

/** Per cluster: readiness, whether it was lost during the run, and how many changes it did not get. */
function clusterReports(inv: Inventory, resources: ResourceResult[]): ClusterReport[] {
  return inv.clusters.map((c) => {
    const results = resources.flatMap((r) => r.clusters.filter((x) => x.cluster === c.name));
    const cutOff = results.filter((x) => x.unreachable || (x.outcome === 'skipped' && x.status === 'ClusterNotReady'));
    const lost = c.client?.unreachableReason ?? results.find((x) => x.unreachable)?.message;
    const unreachable = lost !== undefined;
    const reason = c.notReadyReason ?? (lost ? `became unreachable during the run (${lost})` : cutOff[0]?.message);
    return {
      name: c.name,
      ready: c.ready,
      ...(reason ? { reason } : {}),
      unreachable,
      notPropagated: cutOff.length,
      requests: { ...(c.client?.requestCounts ?? {}) },
    };
  });
}

/** How many member objects (and strays) had each outcome. */
export function summarise(resources: ResourceResult[], strays: { outcome: Outcome }[]): Record<Outcome, number> {
  const summary: Record<Outcome, number> = {
    created: 0,
    updated: 0,
    adopted: 0,
    deleted: 0,
    unlabelled: 0,
    unchanged: 0,
    conflict: 0,
    failed: 0,
    skipped: 0,
    waiting: 0,
  };
  for (const r of resources) for (const c of r.clusters) summary[c.outcome]++;
  for (const s of strays) summary[s.outcome]++;
  return summary;
}
