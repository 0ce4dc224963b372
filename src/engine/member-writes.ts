// Writes to member clusters: one planned action in, one result out. Failures become results, so
// one cluster's trouble never stops the others.
import { messageOf } from '../errors.js';
import type { FederatedObject } from '../federation/federated-object.js';
import { MANAGED_LABEL } from '../federation/kubefed-config.js';
import type { ClusterAction } from '../federation/plan.js';
import { APPLIED_HASH_ANNOTATION, retainFromLive } from '../federation/render.js';
import { isAlreadyExists, isNotFound } from '../kube/api-error.js';
import type { DryRun, KubeClient, KubeObject, ResourceType } from '../kube/client.js';

/** What happened to one (federated object, cluster) pair. */
export type Outcome = 'created' | 'updated' | 'adopted' | 'deleted' | 'unlabelled' | 'unchanged' | 'conflict' | 'failed' | 'skipped' | 'waiting';

export interface ClusterResult {
  cluster: string;
  action: ClusterAction['kind'];
  outcome: Outcome;
  /** KubeFed per-cluster status word ('' = OK). */
  status: string;
  message?: string;
  /** The member object's `.status` after this run, for status collection. */
  remoteStatus?: unknown;
}

/** Performs one action; never throws: failures become results. */
export async function applyAction(client: KubeClient | undefined, type: ResourceType, action: ClusterAction, fed: FederatedObject | undefined, dryRun: DryRun): Promise<ClusterResult> {
  const base = { cluster: action.cluster, action: action.kind };
  const fail = (status: string, error: unknown): ClusterResult => ({ ...base, outcome: 'failed', status, message: messageOf(error) });
  if (action.kind === 'skip') return { ...base, outcome: 'skipped', status: action.status, ...(action.message ? { message: action.message } : {}) };
  if (action.kind === 'none') return { ...base, outcome: action.status === 'WaitingForRemoval' ? 'waiting' : 'unchanged', status: action.status, ...remote(action.live) };
  if (!client) return { ...base, outcome: 'skipped', status: 'ClientRetrievalFailed', message: 'no client for this cluster' };
  const serverDryRun = dryRun === 'server';
  const meta = (action.desired ?? action.live)!.metadata;
  switch (action.kind) {
    case 'create': {
      const desired = action.desired!;
      try {
        if (dryRun === 'client') {
          const existing = await client.get(type, meta.name ?? '', meta.namespace);
          if (existing) return adoptOrConflict(client, type, action, existing, fed, dryRun);
        } else {
          const stored = await client.create(type, desired, { serverDryRun });
          return { ...base, outcome: 'created', status: '', ...remote(stored) };
        }
        return { ...base, outcome: 'created', status: '' };
      } catch (error) {
        if (!isAlreadyExists(error)) return fail('CreationFailed', error);
        try {
          const existing = await client.get(type, meta.name ?? '', meta.namespace);
          if (!existing) return fail('RetrievalFailed', new Error('the object existed a moment ago and is gone now; run again'));
          return await adoptOrConflict(client, type, action, existing, fed, dryRun);
        } catch (e) {
          return fail('RetrievalFailed', e);
        }
      }
    }
    case 'update':
      try {
        const stored = dryRun !== 'client' ? await client.apply(type, action.desired!, { force: true, serverDryRun }) : undefined;
        return { ...base, outcome: 'updated', status: '', ...remote(stored ?? action.live) };
      } catch (error) {
        return fail('UpdateFailed', error);
      }
    case 'delete':
      try {
        if (dryRun !== 'client') await client.delete(type, meta.name ?? '', meta.namespace, { serverDryRun, ...(action.deleteOptions ? { options: action.deleteOptions } : {}) });
        return { ...base, outcome: 'deleted', status: 'WaitingForRemoval' };
      } catch (error) {
        return fail('DeletionFailed', error);
      }
    case 'unlabel':
      try {
        if (dryRun !== 'client') await client.mergePatch(type, meta.name ?? '', meta.namespace, { metadata: { labels: { [MANAGED_LABEL]: null }, annotations: { [APPLIED_HASH_ANNOTATION]: null } } }, { serverDryRun });
        return { ...base, outcome: 'unlabelled', status: '', ...(action.message ? { message: action.message } : {}) };
      } catch (error) {
        if (isNotFound(error)) return { ...base, outcome: 'unlabelled', status: '' };
        return fail('LabelRemovalFailed', error);
      }
  }
}

/** `{ remoteStatus }` when the object has a status. */
function remote(obj: KubeObject | undefined): { remoteStatus?: unknown } {
  const status = obj?.['status'];
  return status !== undefined && status !== null && !(typeof status === 'object' && Object.keys(status).length === 0) ? { remoteStatus: status } : {};
}

/** An unlabelled object of the same name exists: adopt it only when adoption is on and it does not opt out. */
async function adoptOrConflict(client: KubeClient, type: ResourceType, action: ClusterAction, existing: KubeObject, fed: FederatedObject | undefined, dryRun: DryRun): Promise<ClusterResult> {
  const base = { cluster: action.cluster, action: action.kind };
  if (existing.metadata.labels?.[MANAGED_LABEL] === 'false') return { ...base, outcome: 'skipped', status: 'ManagedLabelFalse', message: `the existing object has label ${MANAGED_LABEL}: "false"` };
  const hostNamespace = action.adoptUid !== undefined && existing.metadata.uid === action.adoptUid;
  if (!action.adopt && !hostNamespace) return { ...base, outcome: 'conflict', status: 'AlreadyExists', message: 'an object of this name exists and is not managed by KubeFed; it was left untouched (adopt it with --adopt or adoptResources: Enabled)' };
  try {
    const desired = retainFromLive(action.desired!, existing, fed?.spec.retainReplicas === true);
    if (dryRun !== 'client') await client.apply(type, desired, { force: true, serverDryRun: dryRun === 'server' });
    return { ...base, outcome: 'adopted', status: '' };
  } catch (error) {
    return { ...base, outcome: 'failed', status: 'UpdateFailed', message: messageOf(error) };
  }
}

