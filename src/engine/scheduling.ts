// Replica scheduling step of a pass: for each ReplicaSchedulingPreference, read the workload's
// replicas (and unschedulable pods) in every ready member, run the planner, and put the result into
// the in-memory federated object's placement and /spec/replicas overrides. The write-back to the
// host is returned as data, so propagate, diff and render plan with the same scheduled objects.
import { MANAGED_LABEL } from '../api/kubefed.js';
import { messageOf } from '../errors.js';
import type { FederatedObject } from '../federation/federated-object.js';
import { qualifiedName } from '../federation/federated-object.js';
import { federatedResourceType, targetResourceType } from '../federation/typeconfig.js';
import type { V1Deployment, V1Pod, V1ReplicaSet } from '@kubernetes/client-node';
import type { ResourceType, WireObject } from '../api/objects.js';
import {
  applySchedulingResult,
  currentReplicasFrom,
  podsNeeded,
  replicaMapsFrom,
  scheduleRsp,
  validateRsp,
  workloadPodSelector,
  type ReplicaSchedulingPreference,
  type WorkloadReplicaState,
} from '../scheduling/rsp.js';
import { limitsOf } from './plain-manifests.js';
import { enforcedLimits } from '../policy/constrain.js';
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
    const index = entry.objects.findIndex(
      (o) => o.metadata.name === rsp.metadata.name && o.metadata.namespace === rsp.metadata.namespace,
    );
    if (index >= 0) return { entry, index };
  }
  return undefined;
}

/** Reads what the planner needs from one member: the workload and, only if it is not fully ready, its pods. */
async function memberState(
  inv: Inventory,
  entry: TypeEntry,
  fed: FederatedObject,
  cluster: string,
  now: Date,
): Promise<WorkloadReplicaState | undefined> {
  const client = inv.clusters.find((c) => c.name === cluster)?.client;
  if (!client) return undefined;
  const workload = await client.get<WireObject<V1Deployment> | WireObject<V1ReplicaSet>>(
    targetResourceType(entry.ftc),
    fed.metadata.name ?? '',
    fed.metadata.namespace,
  );
  if (!workload || workload.metadata.labels?.[MANAGED_LABEL] !== 'true') return undefined;
  let pods: WireObject<V1Pod>[] | undefined;
  if (podsNeeded(workload)) {
    const selector = Object.entries(workloadPodSelector(workload))
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    pods = (
      await client.list<WireObject<V1Pod>>(PODS, { namespace: fed.metadata.namespace ?? '', labelSelector: selector })
    ).items;
  }
  return currentReplicasFrom(workload, pods, now);
}

/** A federated object's new placement and overrides, to be written back to the host (host mode). */
export interface SchedulingPatch {
  type: ResourceType;
  /** The in-memory object the pass plans with; its resourceVersion is refreshed once the patch is written. */
  federated: FederatedObject;
  patch: { spec: { placement: unknown; overrides: unknown } };
}

/**
 * Schedules every RSP and updates the inventory's federated objects in memory; returns, as data,
 * the patches that write the new placement and overrides back to the host, as KubeFed does.
 * Reads each workload (and, when not fully ready, its pods) from the members; writes nothing.
 */
export async function planScheduling(
  inv: Inventory,
  rsps: unknown[],
  now: Date,
): Promise<{ results: SchedulingResult[]; patches: SchedulingPatch[] }> {
  const results: SchedulingResult[] = [];
  const patches: SchedulingPatch[] = [];
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
      await Promise.all(
        inv.clusters
          .filter((c) => c.ready)
          .map(async (c) => (states[c.name] = await memberState(inv, entry, fed, c.name, now))),
      );
      const { current, capacity } = replicaMapsFrom(states);
      // Replicas go only where PlacementPolicies allow, so none are counted for a cluster taken out later.
      const forbidden = enforcedLimits(limitsOf(fed, entry.ftc, inv.clusters, inv));
      const schedule = scheduleRsp({
        rsp,
        federated: fed,
        clusters: inv.clusters.filter((c) => !forbidden.has(c.name)),
        current,
        capacity,
        federatedNamespace: inv.federatedNamespaces.get(fed.metadata.namespace ?? '') ?? null,
      });
      if (schedule.skipped) {
        results.push({ rsp: name, outcome: 'skipped', message: schedule.skipped });
        continue;
      }
      const applied = applySchedulingResult(fed, schedule.replicas);
      if (!applied.placementChanged && !applied.overridesChanged) {
        results.push({ rsp: name, outcome: 'unchanged', replicas: schedule.replicas });
        continue;
      }
      const updated = applied.federated;
      entry.objects[index] = updated;
      patches.push({
        type: federatedResourceType(entry.ftc),
        federated: updated,
        patch: { spec: { placement: updated.spec.placement ?? null, overrides: updated.spec.overrides ?? null } },
      });
      results.push({ rsp: name, outcome: 'scheduled', replicas: schedule.replicas });
    } catch (error) {
      results.push({ rsp: name, outcome: 'failed', message: messageOf(error) });
    }
  }
  return { results, patches };
}
