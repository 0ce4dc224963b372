// Replica scheduling step of a pass: for each ReplicaSchedulingPreference, read the workload's
// replicas (and unschedulable pods) in every ready member, run the planner, and write the result
// into the federated object's placement and /spec/replicas overrides (host mode), or only into the
// in-memory copy (file mode, dry runs, render).
import { messageOf } from '../errors.js';
import type { FederatedObject } from '../federation/federated-object.js';
import { qualifiedName } from '../federation/federated-object.js';
import { federatedResourceType, targetResourceType } from '../federation/typeconfig.js';
import type { DryRun, KubeObject } from '../api/objects.js';
import { applySchedulingResult, currentReplicasFrom, podsNeeded, replicaMapsFrom, scheduleRsp, validateRsp, workloadPodSelector, type ReplicaSchedulingPreference, type WorkloadReplicaState } from '../scheduling/rsp.js';
import type { Inventory, TypeEntry } from './inventory.js';

export interface SchedulingResult {
  rsp: string;
  outcome: 'scheduled' | 'unchanged' | 'skipped' | 'invalid' | 'failed';
  replicas?: Record<string, number>;
  message?: string;
}

const PODS = { group: '', version: 'v1', plural: 'pods', kind: 'Pod', namespaced: true };

function findTarget(inv: Inventory, rsp: ReplicaSchedulingPreference): { entry: TypeEntry; index: number } | undefined {
  for (const entry of inv.types) {
    if (entry.ftc.spec.federatedType.kind !== rsp.spec.targetKind) continue;
    const index = entry.objects.findIndex((o) => o.metadata.name === rsp.metadata.name && o.metadata.namespace === rsp.metadata.namespace);
    if (index >= 0) return { entry, index };
  }
  return undefined;
}

/** Reads what the planner needs from one member: the workload and, only if it is not fully ready, its pods. */
async function memberState(inv: Inventory, entry: TypeEntry, fed: FederatedObject, cluster: string, now: Date): Promise<WorkloadReplicaState | undefined> {
  const client = inv.clusters.find((c) => c.name === cluster)?.client;
  if (!client) return undefined;
  const workload = await client.get<KubeObject>(targetResourceType(entry.ftc), fed.metadata.name ?? '', fed.metadata.namespace);
  if (!workload || workload.metadata.labels?.['kubefed.io/managed'] !== 'true') return undefined;
  let pods: KubeObject[] | undefined;
  if (podsNeeded(workload)) {
    const selector = Object.entries(workloadPodSelector(workload))
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    pods = (await client.list<KubeObject>(PODS, { namespace: fed.metadata.namespace ?? '', labelSelector: selector })).items;
  }
  return currentReplicasFrom(workload, pods, now);
}

/**
 * Schedules every RSP and updates the inventory's federated objects in place; in host mode (not a
 * dry run) the new placement and overrides are also written to the host, as KubeFed does.
 */
export async function scheduleReplicas(inv: Inventory, rsps: unknown[], opts: { dryRun: DryRun; now: Date }): Promise<{ results: SchedulingResult[]; writes: number }> {
  const results: SchedulingResult[] = [];
  let writes = 0;
  for (const doc of rsps) {
    const checked = validateRsp(doc);
    const name = qualifiedName((doc as { metadata?: { name?: string; namespace?: string } })?.metadata ?? {});
    if (!checked.ok) {
      results.push({ rsp: name, outcome: 'invalid', message: checked.issues.join('; ') });
      continue;
    }
    const rsp = checked.value;
    const target = findTarget(inv, rsp);
    if (!target) {
      results.push({ rsp: name, outcome: 'skipped', message: `no ${rsp.spec.targetKind} ${name} to schedule` });
      continue;
    }
    const { entry, index } = target;
    const fed = entry.objects[index]!;
    try {
      const states: Record<string, WorkloadReplicaState | undefined> = {};
      await Promise.all(inv.clusters.filter((c) => c.ready).map(async (c) => (states[c.name] = await memberState(inv, entry, fed, c.name, opts.now))));
      const { current, capacity } = replicaMapsFrom(states);
      const schedule = scheduleRsp({ rsp, federated: fed, clusters: inv.clusters, current, capacity, federatedNamespace: inv.federatedNamespaces.get(fed.metadata.namespace ?? '') ?? null });
      if (schedule.skipped) {
        results.push({ rsp: name, outcome: 'skipped', message: schedule.skipped });
        continue;
      }
      const applied = applySchedulingResult(fed, schedule.replicas);
      if (!applied.placementChanged && !applied.overridesChanged) {
        results.push({ rsp: name, outcome: 'unchanged', replicas: schedule.replicas });
        continue;
      }
      let updated: FederatedObject = applied.federated;
      if (inv.mode === 'host' && inv.host && opts.dryRun === 'none') {
        const spec = { placement: updated.spec.placement ?? null, overrides: updated.spec.overrides ?? null };
        updated = await inv.host.mergePatch<FederatedObject>(federatedResourceType(entry.ftc), fed.metadata.name ?? '', fed.metadata.namespace, { spec });
        writes++;
      }
      entry.objects[index] = updated;
      results.push({ rsp: name, outcome: 'scheduled', replicas: schedule.replicas });
    } catch (error) {
      results.push({ rsp: name, outcome: 'failed', message: messageOf(error) });
    }
  }
  return { results, writes };
}
