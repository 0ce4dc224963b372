// Writes to member clusters: one planned action in, one result out. Failures become results, so
// one cluster's trouble never stops the others.
import { messageOf } from '../errors.js';
import type { FederatedObject } from '../federation/federated-object.js';
import { createOwnershipMovedToApply, othersOwnDesiredFields } from '../federation/field-ownership.js';
import { MANAGED_LABEL } from '../api/kubefed.js';
import { CONFLICT_MESSAGE, isUpToDate, type ClusterAction } from '../federation/plan.js';
import { APPLIED_HASH_ANNOTATION } from '../api/kubefed.js';
import { retainFromLive } from '../federation/render.js';
import { ClusterUnreachableError, isAlreadyExists, isConflict, isNotFound, KubeApiError } from '../kube/api-error.js';
import { FIELD_MANAGER } from '../kube/client.js';
import type { ClusterClient } from '../kube/cluster-client.js';
import type { Writer } from '../kube/writer.js';
import { apiVersionOf, type KubeObject, type ResourceType } from '../api/objects.js';

/** What happened to one (federated object, cluster) pair. */
export type Outcome =
  | 'created'
  | 'updated'
  | 'adopted'
  | 'deleted'
  | 'unlabelled'
  | 'unchanged'
  | 'conflict'
  | 'failed'
  | 'skipped'
  | 'waiting';

/** A field another field manager owned with a different value, which our apply took over. */
export interface TakenField {
  /** Path as the API server names it, e.g. `.spec.replicas`. */
  field: string;
  manager: string;
}

export interface ClusterResult {
  cluster: string;
  action: ClusterAction['kind'];
  outcome: Outcome;
  /** KubeFed per-cluster status word ('' = OK). */
  status: string;
  message?: string;
  /** Fields this write took from other field managers. */
  takenFields?: TakenField[];
  /** The cluster could not be reached (this request, or an earlier one in the run). */
  unreachable?: boolean;
  /** The member object's `.status` after this run, for status collection. */
  remoteStatus?: unknown;
  /** The PlacementPolicy that does not allow this cluster (status NotAllowedByPolicy). */
  policy?: string;
}

type Base = Pick<ClusterResult, 'cluster' | 'action'>;

/**
 * Performs one action; never throws: failures become results. `remoteStatus` says whether the
 * result must carry the member object's status (status collection): a create reads its answer only then.
 */
export async function applyAction(
  client: ClusterClient | undefined,
  type: ResourceType,
  action: ClusterAction,
  fed: FederatedObject | undefined,
  writer: Writer,
  { remoteStatus = true }: { remoteStatus?: boolean } = {},
): Promise<ClusterResult> {
  const base: Base = { cluster: action.cluster, action: action.kind };
  if (action.kind === 'skip')
    return {
      ...base,
      outcome: 'skipped',
      status: action.status,
      ...(action.message ? { message: action.message } : {}),
    };
  // Reported as the create it was planned as, which the existing object stopped.
  if (action.kind === 'conflict')
    return {
      ...base,
      action: 'create',
      outcome: 'conflict',
      status: action.status,
      ...(action.message ? { message: action.message } : {}),
    };
  if (action.kind === 'none')
    return {
      ...base,
      outcome: action.status === 'WaitingForRemoval' ? 'waiting' : 'unchanged',
      status: action.status,
      ...(action.message ? { message: action.message } : {}),
      ...(action.policy ? { policy: action.policy } : {}),
      ...remote(action.live),
    };
  if (!client)
    return { ...base, outcome: 'skipped', status: 'ClientRetrievalFailed', message: 'no client for this cluster' };
  const meta = (action.desired ?? action.live)!.metadata;
  switch (action.kind) {
    case 'create':
      return create(client, type, action, fed, writer, remoteStatus);
    case 'update':
      try {
        const { stored, taken } = await applyTakingBack(client, type, action.desired!, action.live, writer);
        return { ...base, outcome: 'updated', status: '', ...taken, ...remote(stored) };
      } catch (error) {
        return failed(base, 'UpdateFailed', error);
      }
    case 'delete':
      try {
        await writer.delete(
          client,
          type,
          meta.name ?? '',
          meta.namespace,
          action.deleteOptions ? { options: action.deleteOptions } : {},
        );
        return {
          ...base,
          outcome: 'deleted',
          status: action.status || 'WaitingForRemoval',
          ...(action.policy ? { policy: action.policy, message: action.message } : {}),
        };
      } catch (error) {
        return failed(base, 'DeletionFailed', error);
      }
    case 'unlabel':
      try {
        await writer.mergePatch(client, type, meta.name ?? '', meta.namespace, {
          metadata: { labels: { [MANAGED_LABEL]: null }, annotations: { [APPLIED_HASH_ANNOTATION]: null } },
        });
        return { ...base, outcome: 'unlabelled', status: '', ...(action.message ? { message: action.message } : {}) };
      } catch (error) {
        if (isNotFound(error)) return { ...base, outcome: 'unlabelled', status: '' };
        return failed(base, 'LabelRemovalFailed', error);
      }
  }
}

/** A failed write; an unreachable cluster is marked so the report can say it once per cluster. */
function failed(base: Base, status: string, error: unknown): ClusterResult {
  return {
    ...base,
    outcome: 'failed',
    status,
    message: messageOf(error),
    ...(error instanceof ClusterUnreachableError ? { unreachable: true } : {}),
  };
}

/**
 * Creates the object. An object of that name that already exists is resolved by its label: one we
 * manage (made by an overlapping run, or by our own earlier attempt whose answer was lost) is
 * brought up to date like any update; anything else is adopted or left alone.
 */
async function create(
  client: ClusterClient,
  type: ResourceType,
  action: ClusterAction,
  fed: FederatedObject | undefined,
  writer: Writer,
  remoteStatus: boolean,
): Promise<ClusterResult> {
  const base: Base = { cluster: action.cluster, action: action.kind };
  const desired = action.desired!;
  const { name = '', namespace } = desired.metadata;
  // Known from the bulk list to exist unlabelled, and to be taken over: no POST needed.
  if (action.live) return adoptOrConflict(client, type, action, action.live, fed, writer);
  let existing: KubeObject | undefined;
  let ourEarlierAttempt = false;
  try {
    const stored = await sendCreate(client, type, desired, { writer, remoteStatus });
    return { ...base, outcome: 'created', status: '', ...remote(stored) };
  } catch (error) {
    if (!isAlreadyExists(error)) return failed(base, 'CreationFailed', error);
    // A 409 after a resend most likely answers our own first attempt, which reached the server.
    ourEarlierAttempt = error instanceof KubeApiError && error.attempts > 1;
    try {
      existing = await client.get(type, name, namespace);
    } catch (e) {
      return failed(base, 'RetrievalFailed', e);
    }
    if (!existing)
      return failed(base, 'RetrievalFailed', new Error('the object existed a moment ago and is gone now; run again'));
  }
  if (existing.metadata.labels?.[MANAGED_LABEL] === 'true')
    return updateManaged(client, type, action, existing, fed, writer, ourEarlierAttempt);
  return adoptOrConflict(client, type, action, existing, fed, writer);
}

/** The object is already managed: compare, and apply only if it differs. */
async function updateManaged(
  client: ClusterClient,
  type: ResourceType,
  action: ClusterAction,
  existing: KubeObject,
  fed: FederatedObject | undefined,
  writer: Writer,
  ourEarlierAttempt: boolean,
): Promise<ClusterResult> {
  const base: Base = { cluster: action.cluster, action: action.kind };
  const desired = retainFromLive(action.desired!, existing, fed?.spec.retainReplicas === true);
  if (isUpToDate(desired, existing))
    return { ...base, outcome: ourEarlierAttempt ? 'created' : 'unchanged', status: '', ...remote(existing) };
  try {
    const { stored, taken } = await applyTakingBack(client, type, desired, existing, writer);
    return { ...base, outcome: ourEarlierAttempt ? 'created' : 'updated', status: '', ...taken, ...remote(stored) };
  } catch (error) {
    return failed(base, 'UpdateFailed', error);
  }
}

/** Sends a create; the stored object is decoded only when its status is wanted. */
async function sendCreate(
  client: ClusterClient,
  type: ResourceType,
  desired: KubeObject,
  { writer, remoteStatus }: { writer: Writer; remoteStatus: boolean },
): Promise<KubeObject | undefined> {
  if (remoteStatus) return writer.create(client, type, desired);
  await writer.createWithoutAnswer(client, type, desired);
  return undefined;
}

/** `{ remoteStatus }` when the object has a status. */
function remote(obj: KubeObject | undefined): { remoteStatus?: unknown } {
  const status = obj?.['status'];
  return status !== undefined && status !== null && !(typeof status === 'object' && Object.keys(status).length === 0)
    ? { remoteStatus: status }
    : {};
}

/** An unlabelled object of the same name exists: adopt it only when adoption is on and it does not opt out. */
async function adoptOrConflict(
  client: ClusterClient,
  type: ResourceType,
  action: ClusterAction,
  existing: KubeObject,
  fed: FederatedObject | undefined,
  writer: Writer,
): Promise<ClusterResult> {
  const base: Base = { cluster: action.cluster, action: action.kind };
  if (existing.metadata.labels?.[MANAGED_LABEL] === 'false')
    return {
      ...base,
      outcome: 'skipped',
      status: 'ManagedLabelFalse',
      message: `the existing object has label ${MANAGED_LABEL}: "false"`,
    };
  const hostNamespace = action.adoptUid !== undefined && existing.metadata.uid === action.adoptUid;
  if (!action.adopt && !hostNamespace)
    return { ...base, outcome: 'conflict', status: 'AlreadyExists', message: CONFLICT_MESSAGE };
  try {
    const desired = retainFromLive(action.desired!, existing, fed?.spec.retainReplicas === true);
    const { taken } = await applyTakingBack(client, type, desired, existing, writer);
    return { ...base, outcome: 'adopted', status: '', ...taken };
  } catch (error) {
    return failed(base, 'UpdateFailed', error);
  }
}

/**
 * Server-side apply that takes back the fields it sets, as KubeFed did, and says which it took.
 * It first applies without force: if another field manager owns a field with a different value,
 * the API server refuses with the list of conflicts, and only then is the apply forced. The
 * server decides what a conflict is; an apply without conflicts costs one request, as before.
 */
export async function applyTakingBack(
  client: ClusterClient,
  type: ResourceType,
  desired: KubeObject,
  live: KubeObject | undefined,
  writer: Writer,
): Promise<{ stored: KubeObject; taken: { takenFields?: TakenField[] } }> {
  if (live) await moveCreateOwnershipToApply(client, type, live, writer);
  // No one else owns a field we set: nothing to take from anyone, so force at once.
  if (live && !othersOwnDesiredFields(live.metadata.managedFields, desired, FIELD_MANAGER))
    return { stored: await writer.apply(client, type, desired, { force: true }), taken: {} };
  try {
    return { stored: await writer.apply(client, type, desired), taken: {} };
  } catch (error) {
    const conflicts = fieldConflicts(error);
    if (!conflicts) throw error;
    const stored = await writer.apply(client, type, desired, { force: true });
    // Our own create's fields, when they could not be moved (another apiVersion): not someone else's.
    const takenFields = conflicts.filter((c) => c.manager !== FIELD_MANAGER);
    return { stored, taken: takenFields.length > 0 ? { takenFields } : {} };
  }
}

/** Attempts at moving our create's fields, each against the object as last read. */
const OWNERSHIP_MOVE_ATTEMPTS = 3;

/**
 * Moves the fields our create owns to our apply, before an apply. A create (POST) records its
 * fields under our field manager with operation Update, and an apply removes only fields its own
 * Apply entry owned: without the move, a field or list item the template stops setting would stay
 * in the member for ever, and every run would update it again. The move is a JSON patch of
 * metadata.managedFields, conditional on the resourceVersion (as `kubectl apply --server-side`
 * upgrades client-side ownership), so an object changed meanwhile is read again and never
 * clobbered. It goes through the writer like the apply: a server dry run sends it with dryRun, a
 * client dry run sends nothing.
 */
async function moveCreateOwnershipToApply(
  client: ClusterClient,
  type: ResourceType,
  live: KubeObject,
  writer: Writer,
): Promise<void> {
  const { name = '', namespace } = live.metadata;
  let current: KubeObject | undefined = live;
  for (let attempt = 1; current; attempt++) {
    const managedFields = createOwnershipMovedToApply(
      current.metadata.managedFields,
      FIELD_MANAGER,
      apiVersionOf(type),
    );
    if (!managedFields) return;
    try {
      await writer.jsonPatch(client, type, { name, namespace }, [
        { op: 'replace', path: '/metadata/resourceVersion', value: current.metadata.resourceVersion },
        { op: 'replace', path: '/metadata/managedFields', value: managedFields },
      ]);
      return;
    } catch (error) {
      if (!isConflict(error) || attempt >= OWNERSHIP_MOVE_ATTEMPTS) throw error;
      current = await client.get(type, name, namespace);
    }
  }
}

/** The field-manager conflicts in an apply's 409 answer; undefined for any other error. */
export function fieldConflicts(error: unknown): TakenField[] | undefined {
  if (!isConflict(error) || !(error instanceof KubeApiError)) return undefined;
  const conflicts = error.causes.filter((c) => c.reason === 'FieldManagerConflict');
  if (conflicts.length === 0) return undefined;
  return conflicts.map((c) => ({
    field: c.field ?? '',
    manager: /conflict with "([^"]*)"/.exec(c.message ?? '')?.[1] ?? 'another manager',
  }));
}
