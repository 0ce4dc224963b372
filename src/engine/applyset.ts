// File mode's ApplySet (docs/applyset.md): per member cluster, read the parent and, with --prune,
// the set's members; plan what to prune; record the parent before the member writes (every kind
// and namespace the run may add) and narrow it after a clean prune, as kubectl does.
import { messageOf } from '../errors.js';
import {
  applySetId,
  APPLYSET_PART_OF_LABEL,
  ApplySetError,
  decidePrunes,
  groupKindOf,
  groupKindOfType,
  memberKey,
  parentObject,
  parentRecords,
  readParent,
  type ApplySetParentRef,
  type ParentState,
  type PruneDecision,
} from '../federation/applyset.js';
import { qualifiedName } from '../federation/federated-object.js';
import type { ResourcePlan } from '../federation/plan.js';
import { targetResourceType } from '../federation/typeconfig.js';
import type { KubeObject, ResourceType } from '../api/objects.js';
import { CONFIG_MAPS, SECRETS } from '../api/resources.js';
import type { ClusterClient } from '../kube/cluster-client.js';
import type { Writer } from '../kube/writer.js';
import { builtinTargetType } from './builtin-types.js';
import type { Inventory } from './inventory.js';
import type { Outcome } from './member-writes.js';

/** What the run was asked to do with a set: record it (--applyset) and maybe prune it (--prune). */
export interface ApplySetRequest {
  ref: ApplySetParentRef;
  prune: boolean;
}

export interface PruneItem {
  type: ResourceType;
  decision: PruneDecision;
}

/** The set in one member cluster. */
export interface ClusterSetPlan {
  cluster: string;
  /** The parent as read, if it exists. */
  live?: KubeObject;
  current: ParentState;
  /** Kinds and namespaces the set has once this run's writes and prunes are done. */
  final: { groupKinds: string[]; namespaces: string[] };
  /** Kinds and namespaces recorded before the member writes: what the parent had plus what this run adds. */
  union: { groupKinds: string[]; namespaces: string[] };
  prunes: PruneItem[];
  /** Why nothing is recorded or pruned here (not ready, a foreign parent, a failed read). */
  skipped?: string;
  /** The skip is a failure (the run exits 2), not a cluster that is simply not ready. */
  failed?: boolean;
  /** Kinds in the parent that no type of this run describes: their members were not checked. */
  unknownKinds: string[];
}

export interface ApplySetPlan {
  ref: ApplySetParentRef;
  id: string;
  prune: boolean;
  clusters: ClusterSetPlan[];
}

/** The labels every member of the set carries. */
export function memberLabelsOf(req: ApplySetRequest | undefined): Record<string, string> {
  return req ? { [APPLYSET_PART_OF_LABEL]: applySetId(req.ref) } : {};
}

const PARENT_TYPES: Record<ApplySetParentRef['resource'], ResourceType> = { secrets: SECRETS, configmaps: CONFIG_MAPS };

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])].sort();
}

/** Every member key of the input: what must not be pruned anywhere, whatever its placement. */
function inputKeys(inv: Inventory, plans: ResourcePlan[]): Set<string> {
  const ftcOf = new Map(inv.types.map((t) => [t.ftc.metadata.name, t.ftc]));
  const keys = new Set<string>();
  for (const plan of plans) {
    const target = ftcOf.get(plan.typeName)?.spec.targetType;
    if (!target) continue;
    const groupKind = groupKindOfType(target);
    const namespaced = target.scope === 'Namespaced' && groupKind !== 'Namespace';
    const meta = plan.federated.metadata;
    keys.add(memberKey(groupKind, { name: meta.name ?? '', ...(namespaced ? { namespace: meta.namespace } : {}) }));
  }
  return keys;
}

/** Kinds and namespaces of what this run leaves in a cluster: objects written or kept there. */
function kept(plans: ResourcePlan[], cluster: string): { groupKinds: string[]; namespaces: string[] } {
  const groupKinds = new Set<string>();
  const namespaces = new Set<string>();
  for (const plan of plans)
    for (const a of plan.actions) {
      if (a.cluster !== cluster || a.kind === 'delete' || a.kind === 'unlabel' || a.kind === 'conflict') continue;
      const obj = a.desired ?? a.live;
      if (!obj) continue;
      groupKinds.add(groupKindOf(obj));
      if (obj.metadata.namespace) namespaces.add(obj.metadata.namespace);
    }
  return { groupKinds: [...groupKinds], namespaces: [...namespaces] };
}

/** The resource type of a `Kind.group`: from this run's types, else the well-known table. */
function typeResolver(inv: Inventory): (groupKind: string) => ResourceType | undefined {
  const known = new Map<string, ResourceType>();
  for (const { ftc } of inv.types) {
    const t = targetResourceType(ftc);
    known.set(groupKindOfType(t), t);
  }
  return (groupKind) => {
    const dot = groupKind.indexOf('.');
    const [kind, group] = dot < 0 ? [groupKind, ''] : [groupKind.slice(0, dot), groupKind.slice(dot + 1)];
    return known.get(groupKind) ?? builtinTargetType(kind, group);
  };
}

/** What reading one cluster's set needs. */
interface Scan {
  client: ClusterClient;
  /** The part-of label selector of the set's members. */
  selector: string;
  /** Member keys of the input: never pruned. */
  keys: Set<string>;
  resolve: (groupKind: string) => ResourceType | undefined;
}

/**
 * Reads each ready cluster's parent and, when pruning, the set's members (one metadata LIST per
 * kind and namespace, selected by the part-of label), and decides what to prune. Writes nothing.
 */
export async function planApplySet(inv: Inventory, req: ApplySetRequest, plans: ResourcePlan[]): Promise<ApplySetPlan> {
  const id = applySetId(req.ref);
  const keys = inputKeys(inv, plans);
  const resolve = typeResolver(inv);
  const clusters = await Promise.all(
    inv.clusters.map(async (c): Promise<ClusterSetPlan> => {
      const mine = kept(plans, c.name);
      const base: ClusterSetPlan = {
        cluster: c.name,
        current: { exists: false, groupKinds: [], namespaces: [req.ref.namespace] },
        final: mine,
        union: mine,
        prunes: [],
        unknownKinds: [],
      };
      if (!c.ready || !c.client)
        return { ...base, skipped: `not ready: nothing recorded or pruned (${c.notReadyReason ?? 'not ready'})` };
      let live: KubeObject | undefined;
      let current: ParentState;
      try {
        live = await c.client.get(PARENT_TYPES[req.ref.resource], req.ref.name, req.ref.namespace);
        current = readParent(req.ref, live);
      } catch (error) {
        const why = error instanceof ApplySetError ? error.message : `cannot read the parent: ${messageOf(error)}`;
        return { ...base, skipped: why, failed: true };
      }
      const plan: ClusterSetPlan = {
        ...base,
        ...(live ? { live } : {}),
        current,
        union: {
          groupKinds: union(current.groupKinds, mine.groupKinds),
          namespaces: union(current.namespaces, mine.namespaces),
        },
      };
      if (!req.prune) return { ...plan, final: plan.union };
      try {
        return await planClusterPrunes(plan, {
          client: c.client,
          selector: `${APPLYSET_PART_OF_LABEL}=${id}`,
          keys,
          resolve,
        });
      } catch (error) {
        return {
          ...plan,
          final: plan.union,
          skipped: `cannot list the set's members: ${messageOf(error)}`,
          failed: true,
        };
      }
    }),
  );
  return { ref: req.ref, id, prune: req.prune, clusters };
}

/** The set's members in one cluster, with their types. */
async function listMembers(
  plan: ClusterSetPlan,
  scan: Scan,
): Promise<{ groupKind: string; object: KubeObject; type: ResourceType }[]> {
  const members: { groupKind: string; object: KubeObject; type: ResourceType }[] = [];
  for (const groupKind of plan.current.groupKinds) {
    const type = scan.resolve(groupKind);
    if (!type) {
      plan.unknownKinds.push(groupKind);
      continue;
    }
    const scopes = type.namespaced ? plan.current.namespaces : [undefined];
    const lists = await Promise.all(
      scopes.map((namespace) =>
        scan.client.listMetadata(type, { labelSelector: scan.selector, ...(namespace ? { namespace } : {}) }),
      ),
    );
    // listMetadata gives the items their own kind back (a metadata list names them PartialObjectMetadata).
    for (const object of lists.flatMap((l) => l.items)) members.push({ groupKind, object, type });
  }
  return members;
}

async function planClusterPrunes(plan: ClusterSetPlan, scan: Scan): Promise<ClusterSetPlan> {
  const members = await listMembers(plan, scan);
  const typeOf = new Map(members.map((m) => [m.object, m.type]));
  const decisions = decidePrunes(members, scan.keys);
  const pruned = new Set(decisions.filter((d) => d.prune).map((d) => memberKey(d.groupKind, d.object.metadata)));
  for (const d of decisions.filter((x) => x.prune && x.groupKind === 'Namespace')) {
    const left = await objectsLeftIn(scan, d.object.metadata.name ?? '', plan, pruned);
    if (left.length > 0)
      Object.assign(d, {
        prune: false,
        reason: `the namespace still holds ${left.length} object(s) outside what is pruned (${left.slice(0, 3).join(', ')}${left.length > 3 ? ', …' : ''}): left alone`,
      });
  }
  plan.prunes = decisions.map((decision) => ({ decision, type: typeOf.get(decision.object)! }));
  // Members left in place stay in the set, so their kinds and namespaces stay recorded.
  const stay = decisions.filter((d) => !d.prune);
  plan.final = {
    groupKinds: union(plan.final.groupKinds, [...stay.map((d) => d.groupKind), ...plan.unknownKinds]),
    namespaces: union(plan.final.namespaces, [
      ...stay.map((d) => d.object.metadata.namespace ?? '').filter(Boolean),
      // Unchecked kinds may have members in any namespace the parent named.
      ...(plan.unknownKinds.length > 0 ? plan.current.namespaces : []),
    ]),
  };
  return plan;
}

/** What Kubernetes' own controllers put in every namespace: not content that keeps a namespace alive. */
const IN_EVERY_NAMESPACE = new Set(['ConfigMap kube-root-ca.crt', 'ServiceAccount default']);

/**
 * Objects of the set's kinds in a namespace about to be pruned that are not pruned with it:
 * deleting the namespace would take them too, so it stays. Kinds the set never had are not looked at.
 */
async function objectsLeftIn(
  scan: Scan,
  namespace: string,
  plan: ClusterSetPlan,
  pruned: Set<string>,
): Promise<string[]> {
  const left: string[] = [];
  for (const groupKind of union(plan.current.groupKinds, plan.union.groupKinds)) {
    const type = scan.resolve(groupKind);
    if (!type?.namespaced) continue;
    const list = await scan.client.listMetadata(type, { namespace });
    for (const o of list.items) {
      const key = memberKey(groupKind, o.metadata);
      if (!pruned.has(key) && !IN_EVERY_NAMESPACE.has(`${groupKind} ${o.metadata.name ?? ''}`)) left.push(key);
    }
  }
  return left;
}

/** What happened to the parent in one cluster. */
export type ParentOutcome = 'created' | 'updated' | 'unchanged' | 'failed' | 'skipped';

export interface ApplySetClusterResult {
  cluster: string;
  parent: ParentOutcome;
  pruned: number;
  /** Members of the set the input no longer has, left in place (not managed, or a namespace with contents). */
  kept: number;
  message?: string;
}

export interface PruneResult {
  cluster: string;
  /** `Kind.group` of the member. */
  kind: string;
  name: string;
  outcome: Extract<Outcome, 'deleted' | 'skipped' | 'failed'>;
  message?: string;
}

/** The set's part of the report. */
export interface ApplySetReport {
  name: string;
  namespace: string;
  kind: ApplySetParentRef['kind'];
  id: string;
  prune: boolean;
  clusters: ApplySetClusterResult[];
  pruned: PruneResult[];
}

/** Where a cluster's set is written. */
interface SetWriter {
  client: ClusterClient;
  writer: Writer;
  ref: ApplySetParentRef;
}

type Recorded = ClusterSetPlan['final'];

/** Writes the parent recording kinds and namespaces, when `live` does not record them already. */
async function recordParent(to: SetWriter, live: KubeObject | undefined, recorded: Recorded): Promise<ParentOutcome> {
  if (parentRecords(live, to.ref, recorded.groupKinds, recorded.namespaces)) return 'unchanged';
  const parent = parentObject(to.ref, recorded.groupKinds, recorded.namespaces);
  await to.writer.apply(to.client, PARENT_TYPES[to.ref.resource], parent, { force: true });
  return live ? 'updated' : 'created';
}

type ParentResults = Map<string, { outcome: ParentOutcome; message?: string }>;

/**
 * Before any member write: each cluster's parent records every kind and namespace the run may
 * add, so a member is never written where a later prune would not look for it. A cluster whose
 * parent cannot be written gets no prune. Returns the outcome per cluster.
 */
export async function recordParentsBefore(
  plan: ApplySetPlan,
  clients: Map<string, ClusterClient | undefined>,
  writer: Writer,
  onlyInDryRun: (cluster: string, namespace: string) => boolean,
): Promise<ParentResults> {
  const out: ParentResults = new Map();
  await Promise.all(
    plan.clusters.map(async (c) => {
      const client = clients.get(c.cluster);
      if (c.skipped || !client) {
        out.set(c.cluster, { outcome: c.failed ? 'failed' : 'skipped', message: c.skipped ?? 'no client' });
        return;
      }
      if (onlyInDryRun(c.cluster, plan.ref.namespace)) {
        out.set(c.cluster, { outcome: 'created', message: 'not sent: its namespace is only created in this dry run' });
        return;
      }
      try {
        out.set(c.cluster, { outcome: await recordParent({ client, writer, ref: plan.ref }, c.live, c.union) });
      } catch (error) {
        out.set(c.cluster, { outcome: 'failed', message: `cannot record the set: ${messageOf(error)}` });
      }
    }),
  );
  return out;
}

/** What the prune step needs besides the plan. */
export interface PruneRun {
  clients: Map<string, ClusterClient | undefined>;
  writer: Writer;
  /** The parents' outcomes from recordParentsBefore. */
  before: ParentResults;
  /** Failed member writes per cluster. */
  writeFailures: Map<string, number>;
  progress: (line: string) => void;
}

/**
 * After the member writes: prune in each cluster whose parent was recorded and whose writes all
 * succeeded (kubectl prunes nothing after a failed apply either), namespaces last; then narrow
 * the parent to what the set holds now. Never throws: failures become results.
 */
export async function pruneAndRecord(plan: ApplySetPlan, run: PruneRun): Promise<ApplySetReport> {
  if (plan.prune) run.progress(`pruning ApplySet ${plan.ref.name}`);
  const done = await Promise.all(plan.clusters.map((c) => pruneCluster(plan, c, run)));
  const order = (a: { cluster: string }, b: { cluster: string }) => a.cluster.localeCompare(b.cluster);
  return {
    name: plan.ref.name,
    namespace: plan.ref.namespace,
    kind: plan.ref.kind,
    id: plan.id,
    prune: plan.prune,
    clusters: done.map((d) => d.result).sort(order),
    pruned: done
      .flatMap((d) => d.pruned)
      .sort((a, b) => order(a, b) || a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name)),
  };
}

/** Why a cluster gets no prune this run, if it gets none. */
function noPruneReason(client: ClusterClient, failures: number): string | undefined {
  if (client.unreachableReason) return `not pruned: the cluster became unreachable (${client.unreachableReason})`;
  if (failures > 0) return `not pruned: ${failures} write(s) failed in this cluster this run`;
  return undefined;
}

/** A parent this run recorded (or found as it should be): only then is there anything to prune. */
const RECORDED: ReadonlySet<ParentOutcome> = new Set(['created', 'updated', 'unchanged']);

/** The cluster's result so far, and where to prune, unless it gets no prune. */
function startCluster(
  plan: ApplySetPlan,
  c: ClusterSetPlan,
  run: PruneRun,
): { result: ApplySetClusterResult; to?: SetWriter } {
  const first = run.before.get(c.cluster) ?? { outcome: 'skipped' as const };
  const result: ApplySetClusterResult = { cluster: c.cluster, parent: first.outcome, pruned: 0, kept: 0 };
  if (first.message) result.message = first.message;
  const client = run.clients.get(c.cluster);
  if (!client || !RECORDED.has(first.outcome) || !plan.prune) return { result };
  const why = noPruneReason(client, run.writeFailures.get(c.cluster) ?? 0);
  if (why) return { result: { ...result, message: why } };
  return { result, to: { client, writer: run.writer, ref: plan.ref } };
}

async function pruneCluster(
  plan: ApplySetPlan,
  c: ClusterSetPlan,
  run: PruneRun,
): Promise<{ result: ApplySetClusterResult; pruned: PruneResult[] }> {
  const { result, to } = startCluster(plan, c, run);
  if (!to) return { result, pruned: [] };
  const pruned: PruneResult[] = [];
  for (const namespaces of [false, true]) {
    const items = c.prunes.filter((p) => (p.decision.groupKind === 'Namespace') === namespaces);
    pruned.push(...(await Promise.all(items.map((item) => pruneOne(to, c.cluster, item)))));
  }
  result.pruned = pruned.filter((p) => p.outcome === 'deleted').length;
  result.kept = pruned.filter((p) => p.outcome === 'skipped').length;
  if (pruned.some((p) => p.outcome === 'failed')) {
    result.message = 'some prunes failed; the set keeps its kinds and namespaces so the next run tries again';
    return { result, pruned };
  }
  await narrowParent(to, c, result);
  return { result, pruned };
}

/** After a clean prune: the parent records only what the set holds now. */
async function narrowParent(to: SetWriter, c: ClusterSetPlan, result: ApplySetClusterResult): Promise<void> {
  try {
    const asWritten = parentObject(to.ref, c.union.groupKinds, c.union.namespaces);
    const narrowed = await recordParent(to, asWritten, c.final);
    if (narrowed !== 'unchanged' && result.parent === 'unchanged') result.parent = 'updated';
  } catch (error) {
    result.message = `pruned, but cannot narrow the set's kinds and namespaces: ${messageOf(error)}`;
  }
}

async function pruneOne(to: SetWriter, cluster: string, { decision, type }: PruneItem): Promise<PruneResult> {
  const base = { cluster, kind: decision.groupKind, name: qualifiedName(decision.object.metadata) };
  if (!decision.prune) return { ...base, outcome: 'skipped', ...(decision.reason ? { message: decision.reason } : {}) };
  try {
    const meta = decision.object.metadata;
    await to.writer.delete(to.client, type, meta.name ?? '', meta.namespace);
    return { ...base, outcome: 'deleted' };
  } catch (error) {
    return { ...base, outcome: 'failed', message: messageOf(error) };
  }
}
