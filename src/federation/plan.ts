// Planning: desired state (federated objects, placement, overrides) against live member state ->
// one action per (federated object, cluster). Pure: the engine gathers the inputs and applies the plan.
import type { Operation } from 'fast-json-patch';
import type { KubeObject } from '../api/objects.js';
import { holds } from './compare.js';
import { qualifiedName, type FederatedObject, type MemberCluster } from './federated-object.js';
import {
  DELETE_OPTIONS_ANNOTATION,
  MANAGED_LABEL,
  ORPHAN_ANNOTATION,
  SYNC_FINALIZER,
  type KubeFedScope,
} from '../api/kubefed.js';
import { OverrideError, parseOverrides } from './overrides.js';
import { PlacementError, selectClusters } from './placement.js';
import { APPLIED_HASH_ANNOTATION, FIELD_MANAGER } from '../api/kubefed.js';
import { unchangedSinceOurWrite } from './field-ownership.js';
import { needsRetention, RenderError, renderForCluster, renderKey, type RenderCache, type Rendered } from './render.js';
import type { FederatedTypeConfig } from './typeconfig.js';
import { NOT_ALLOWED_BY_POLICY, type PlacementLimit } from '../api/policy.js';

/** What to do in one cluster. */
export type ActionKind =
  /** create the object (POST); an unlabelled object of that name is adopted only if `adopt` */
  | 'create'
  /** server-side apply the desired object over the managed live one */
  | 'update'
  /** delete the managed live object */
  | 'delete'
  /** remove the managed label, leaving the object in place (orphaning, or the host's own namespace) */
  | 'unlabel'
  /** nothing to write: already as desired, or waiting for removal */
  | 'none'
  /** nothing can be written; `status` says why */
  | 'skip'
  /** an object of that name exists without the managed label and adoption is off: left untouched */
  | 'conflict';

export interface ClusterAction {
  cluster: string;
  kind: ActionKind;
  /** KubeFed's per-cluster status word this action ends in if it succeeds ('' = OK). */
  status: string;
  desired?: KubeObject;
  live?: KubeObject;
  /** For create: take over an unlabelled object of the same name (adoptResources). */
  adopt?: boolean;
  /** For create: always take over the object with this UID (the host's own namespace, as KubeFed does). */
  adoptUid?: string;
  /** The PlacementPolicy that took this cluster out of the placement (status NotAllowedByPolicy). */
  policy?: string;
  /** For delete: DeleteOptions fields. */
  deleteOptions?: Record<string, unknown>;
  message?: string;
}

export type AggregateReason = '' | 'ComputePlacementFailed' | 'NamespaceNotFederated' | 'ComputeResourceFailed';

export interface ResourcePlan {
  /** FederatedTypeConfig name, e.g. deployments.apps */
  typeName: string;
  federated: FederatedObject;
  aggregate: AggregateReason;
  aggregateMessage?: string;
  actions: ClusterAction[];
  warnings: string[];
  /** Add our finalizer (host mode, live object without it) or remove it (deletion finished). */
  finalizer: 'add' | 'remove' | 'keep';
  deleting: boolean;
  /** PlacementPolicy limits on clusters the placement selected: Enforce took them out, Audit only warned. */
  limits: PlacementLimit[];
}

/** Where a namespaced resource may go, from the FederatedNamespace of its namespace. */
export type NamespacePlacement =
  { kind: 'not-applicable' } | { kind: 'missing' } | { kind: 'clusters'; clusters: string[] };

export interface PlanInput {
  federated: FederatedObject;
  ftc: FederatedTypeConfig;
  clusters: MemberCluster[];
  /** Live objects carrying the managed label (true or false), by cluster; clusters not ready are absent. */
  live: Map<string, KubeObject | undefined>;
  namespacePlacement: NamespacePlacement;
  scope: KubeFedScope;
  adopt: boolean;
  /** Host mode manages the finalizer; file mode has nowhere to keep one. */
  manageFinalizer: boolean;
  /** UID of the host's namespace of the same name (Namespace type only): that object is never deleted. */
  hostNamespaceUid?: string;
  /** Clusters PlacementPolicies do not allow for this object: Enforce takes them out, Audit warns. */
  limits?: readonly PlacementLimit[];
  /** Labels every member copy carries besides the managed label (the ApplySet's part-of label). */
  memberLabels?: Readonly<Record<string, string>>;
  /**
   * The live objects are metadata only (a PartialObjectMetadataList): whether one is up to date is
   * told by its applied hash and managedFields instead of its fields.
   */
  liveIsMetadata?: boolean;
  /** Renders already made with `memberLabels` (the pre-flight's); the plan adds its own. */
  renders?: RenderCache | undefined;
}

/** Plans one federated object across all clusters. */
export function planResource(input: PlanInput): ResourcePlan {
  const { federated: fed, ftc, clusters, live } = input;
  const plan: ResourcePlan = {
    typeName: ftc.metadata.name,
    federated: fed,
    aggregate: '',
    actions: [],
    warnings: [],
    finalizer: 'keep',
    deleting: Boolean(fed.metadata.deletionTimestamp),
    limits: [],
  };
  if (plan.deleting) return planDeletion(input, plan);
  if (input.manageFinalizer && !(fed.metadata.finalizers ?? []).includes(SYNC_FINALIZER)) plan.finalizer = 'add';

  let selected: Set<string>;
  try {
    selected = new Set(selectClusters(fed.spec.placement, clusters));
  } catch (error) {
    if (!(error instanceof PlacementError)) throw error;
    plan.aggregate = 'ComputePlacementFailed';
    plan.aggregateMessage = error.message;
    return plan;
  }
  // Limits apply to the object's own placement: a cluster its namespace does not reach is still
  // reported as the policy's doing.
  const forbidden = new Map<string, string>();
  const audited: PlacementLimit[] = [];
  for (const limit of input.limits ?? []) {
    if (!selected.has(limit.cluster)) continue;
    plan.limits.push(limit);
    if (limit.enforcement === 'Enforce') forbidden.set(limit.cluster, forbidden.get(limit.cluster) ?? limit.policy);
    else audited.push(limit);
  }
  for (const cluster of forbidden.keys()) selected.delete(cluster);
  const ns = input.namespacePlacement;
  if (ns.kind === 'missing' && input.scope === 'Cluster') {
    plan.aggregate = 'NamespaceNotFederated';
    plan.aggregateMessage = `namespace "${fed.metadata.namespace ?? ''}" has no FederatedNamespace, so nothing in it is propagated`;
    selected = new Set();
  } else if (ns.kind === 'clusters') {
    selected = new Set([...selected].filter((c) => ns.clusters.includes(c)));
  }
  for (const limit of audited)
    if (selected.has(limit.cluster))
      plan.warnings.push(`${limit.policy} (Audit) does not allow cluster ${limit.cluster}; placed there all the same`);

  // Bad overrides make the object unusable in every selected cluster; clean-up elsewhere goes on.
  let overrides: Map<string, Operation[]> | undefined;
  let overrideError: string | undefined;
  try {
    overrides = parseOverrides(fed.spec.overrides);
  } catch (error) {
    if (!(error instanceof OverrideError)) throw error;
    overrideError = error.message;
    plan.aggregateMessage = error.message;
  }

  const renders: RenderCache = input.renders ?? new Map<string, Rendered>();
  for (const cluster of clusters) {
    const current = live.get(cluster.name);
    const policy = forbidden.get(cluster.name);
    if (policy !== undefined) {
      plan.actions.push(planForbidden(input, cluster, current, policy));
    } else if (!selected.has(cluster.name)) {
      const action = planUnselected(input, cluster, current);
      if (action) plan.actions.push(action);
    } else if (overrideError !== undefined && cluster.ready) {
      plan.actions.push({
        cluster: cluster.name,
        kind: 'skip',
        status: 'ApplyOverridesFailed',
        message: overrideError,
      });
    } else {
      plan.actions.push(
        planSelected(input, cluster, current, overrides?.get(cluster.name) ?? [], plan.warnings, renders),
      );
    }
  }
  return plan;
}

function render(input: PlanInput, ops: Operation[], current: KubeObject | undefined, cache: RenderCache): Rendered {
  if (current && needsRetention(input.ftc.spec.targetType.kind, input.federated.spec.retainReplicas === true))
    return renderForCluster(input.federated, input.ftc, ops, { live: current, memberLabels: input.memberLabels });
  const key = renderKey(ops);
  let rendered = cache.get(key);
  if (!rendered)
    cache.set(
      key,
      (rendered = renderForCluster(input.federated, input.ftc, ops, { memberLabels: input.memberLabels })),
    );
  return rendered;
}

function planSelected(
  input: PlanInput,
  cluster: MemberCluster,
  current: KubeObject | undefined,
  ops: Operation[],
  warnings: string[],
  renders: RenderCache,
): ClusterAction {
  const name = cluster.name;
  if (!cluster.ready)
    return {
      cluster: name,
      kind: 'skip',
      status: 'ClusterNotReady',
      message: cluster.notReadyReason ?? 'cluster is not ready',
    };
  if (current && current.metadata.labels?.[MANAGED_LABEL] !== 'true') {
    return {
      cluster: name,
      kind: 'skip',
      status: 'ManagedLabelFalse',
      live: current,
      message: `the object has label ${MANAGED_LABEL}: ${current.metadata.labels?.[MANAGED_LABEL] ?? ''} and is left alone`,
    };
  }
  let rendered;
  try {
    rendered = render(input, ops, current, renders);
  } catch (error) {
    if (error instanceof RenderError)
      return { cluster: name, kind: 'skip', status: error.status, message: error.message };
    throw error;
  }
  for (const w of rendered.warnings) if (!warnings.includes(w)) warnings.push(w);
  if (!current)
    return {
      cluster: name,
      kind: 'create',
      status: '',
      desired: rendered.object,
      adopt: input.adopt,
      ...(input.hostNamespaceUid ? { adoptUid: input.hostNamespaceUid } : {}),
    };
  return {
    cluster: name,
    kind: (input.liveIsMetadata ? isUnchangedSinceApplied : isUpToDate)(rendered.object, current) ? 'none' : 'update',
    status: '',
    desired: rendered.object,
    live: current,
  };
}

/** True when a live object already holds a rendered one: the same applied hash, and every rendered field in place. */
export function isUpToDate(desired: KubeObject, live: KubeObject): boolean {
  return hasAppliedHash(desired, live) && holds(comparable(desired), live);
}

/** True when the live object carries the applied hash of the rendered one. */
export function hasAppliedHash(desired: KubeObject, live: KubeObject): boolean {
  const hash = desired.metadata.annotations?.[APPLIED_HASH_ANNOTATION];
  return hash !== undefined && live.metadata.annotations?.[APPLIED_HASH_ANNOTATION] === hash;
}

/**
 * isUpToDate from metadata alone: the same applied hash, and managedFields saying no one else has
 * changed a field we set since our last write (field-ownership.ts). When it says no, the object
 * may still be up to date: the engine then reads it whole and asks isUpToDate.
 */
export function isUnchangedSinceApplied(desired: KubeObject, live: KubeObject): boolean {
  return (
    hasAppliedHash(desired, live) &&
    unchangedSinceOurWrite(live.metadata.managedFields, ownedFields(desired), FIELD_MANAGER)
  );
}

/** The fields of an object that its writer owns: name and namespace identify it, and are no one's. */
function ownedFields(obj: KubeObject): Record<string, unknown> {
  const { apiVersion: _a, kind: _k, metadata, ...rest } = obj;
  const { name: _n, namespace: _ns, ...owned } = metadata;
  return { ...rest, metadata: owned };
}

function planUnselected(
  input: PlanInput,
  cluster: MemberCluster,
  current: KubeObject | undefined,
): ClusterAction | undefined {
  // Unlabelled and managed=false objects are never touched; unreachable clusters are never cleaned.
  if (!current || current.metadata.labels?.[MANAGED_LABEL] !== 'true' || !cluster.ready) return undefined;
  if (current.metadata.deletionTimestamp)
    return { cluster: cluster.name, kind: 'none', status: 'WaitingForRemoval', live: current };
  if (isHostNamespace(input, current))
    return {
      cluster: cluster.name,
      kind: 'unlabel',
      status: '',
      live: current,
      message: 'the host cluster keeps its own namespace',
    };
  return { cluster: cluster.name, kind: 'delete', status: 'WaitingForRemoval', live: current };
}

/**
 * A cluster the placement selects but a PlacementPolicy does not allow: its managed copy goes, as
 * for any placement change; unmanaged objects and unreachable clusters are left alone.
 */
function planForbidden(
  input: PlanInput,
  cluster: MemberCluster,
  current: KubeObject | undefined,
  policy: string,
): ClusterAction {
  const base = { cluster: cluster.name, status: NOT_ALLOWED_BY_POLICY, policy };
  const message = `${policy} does not allow cluster ${cluster.name}`;
  const action = planUnselected(input, cluster, current);
  if (action?.kind === 'delete') return { ...action, ...base, message: `${message}; its managed copy is deleted` };
  if (action) return { ...action, ...base, message: action.message ?? message };
  return { ...base, kind: 'none', message };
}

function isHostNamespace(input: PlanInput, obj: KubeObject): boolean {
  return input.hostNamespaceUid !== undefined && obj.metadata.uid === input.hostNamespaceUid;
}

/** A federated object being deleted: remove (or, with the orphan annotation, unlabel) its copies everywhere. */
function planDeletion(input: PlanInput, plan: ResourcePlan): ResourcePlan {
  const fed = input.federated;
  if (!(fed.metadata.finalizers ?? []).includes(SYNC_FINALIZER)) return plan; // not ours to clean up
  const orphan = fed.metadata.annotations?.[ORPHAN_ANNOTATION] === 'true';
  let deleteOptions: Record<string, unknown> | undefined;
  let blocked = false;
  if (!orphan) {
    try {
      deleteOptions = deleteOptionsOf(fed);
    } catch (error) {
      if (!(error instanceof OverrideError)) throw error;
      // Deleting with options the user did not mean is worse than waiting for a fix.
      plan.aggregateMessage = error.message;
      for (const c of input.clusters)
        if (input.live.get(c.name))
          plan.actions.push({ cluster: c.name, kind: 'skip', status: 'DeletionFailed', message: error.message });
      return plan;
    }
  }
  for (const cluster of input.clusters) {
    const current = input.live.get(cluster.name);
    if (!cluster.ready) {
      // Deleting can only finish once every cluster has been checked.
      blocked = true;
      plan.actions.push({
        cluster: cluster.name,
        kind: 'skip',
        status: 'ClusterNotReady',
        message: cluster.notReadyReason ?? 'cluster is not ready',
      });
      continue;
    }
    if (!current || current.metadata.labels?.[MANAGED_LABEL] !== 'true') continue;
    const hostNamespace = isHostNamespace(input, current);
    // A host namespace already being deleted, or an orphaned copy already going away, is left alone.
    if (current.metadata.deletionTimestamp && (hostNamespace || orphan)) continue;
    if (orphan || hostNamespace) {
      plan.actions.push({ cluster: cluster.name, kind: 'unlabel', status: '', live: current });
    } else if (current.metadata.deletionTimestamp) {
      blocked = true;
      plan.actions.push({ cluster: cluster.name, kind: 'none', status: 'WaitingForRemoval', live: current });
    } else {
      plan.actions.push({
        cluster: cluster.name,
        kind: 'delete',
        status: 'WaitingForRemoval',
        live: current,
        ...(deleteOptions ? { deleteOptions } : {}),
      });
    }
  }
  // The applier removes the finalizer once every copy is confirmed gone or unlabelled.
  plan.finalizer = blocked ? 'keep' : 'remove';
  return plan;
}

/** DeleteOptions from `spec.deleteOptions` or KubeFed's `kubefed.io/deleteoption` annotation (JSON). */
export function deleteOptionsOf(fed: FederatedObject): Record<string, unknown> | undefined {
  const fromSpec = (fed.spec as { deleteOptions?: unknown }).deleteOptions;
  let raw: unknown = fromSpec;
  const annotation = fed.metadata.annotations?.[DELETE_OPTIONS_ANNOTATION];
  if (raw === undefined && annotation) {
    try {
      raw = JSON.parse(annotation);
    } catch {
      throw new OverrideError(`annotation ${DELETE_OPTIONS_ANNOTATION} is not valid JSON`);
    }
  }
  if (!raw || typeof raw !== 'object') return undefined;
  const o = raw as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of ['gracePeriodSeconds', 'propagationPolicy', 'preconditions'])
    if (o[key] !== undefined) out[key] = o[key];
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The parts of a desired object that must match the live one (identity and type are given). */
function comparable(obj: KubeObject): Record<string, unknown> {
  const { apiVersion: _a, kind: _k, ...rest } = obj;
  return rest;
}

/** The message of a conflict: what exists, and how to take it over. */
export const CONFLICT_MESSAGE =
  'an object of this name exists and is not managed by KubeFed; it was left untouched (adopt it with --adopt or adoptResources: Enabled)';

/**
 * A planned create, told that an object of the same name exists without the managed label (from
 * the bulk list of unlabelled objects). With adoption, or for the host's own namespace, it becomes
 * a create that takes the existing object over (`live` set, so no POST is needed); otherwise it is
 * a conflict and nothing is sent.
 */
export function classifyCreate(action: ClusterAction, existing: KubeObject | undefined): ClusterAction {
  if (action.kind !== 'create' || !existing) return action;
  const hostNamespace = action.adoptUid !== undefined && existing.metadata.uid === action.adoptUid;
  if (action.adopt || hostNamespace) return { ...action, live: existing };
  return {
    cluster: action.cluster,
    kind: 'conflict',
    status: 'AlreadyExists',
    live: existing,
    message: CONFLICT_MESSAGE,
  };
}

/** Managed objects with no federated object (e.g. its FederatedTypeConfig was re-created): unlabel them. */
export function planStrays(
  typeName: string,
  cluster: MemberCluster,
  liveManaged: KubeObject[],
  federatedKeys: Set<string>,
): ClusterAction[] {
  if (!cluster.ready) return [];
  return liveManaged
    .filter(
      (o) =>
        o.metadata.labels?.[MANAGED_LABEL] === 'true' &&
        !o.metadata.deletionTimestamp &&
        !federatedKeys.has(qualifiedName(o.metadata)),
    )
    .map((o) => ({
      cluster: cluster.name,
      kind: 'unlabel' as const,
      status: '',
      live: o,
      message: `no ${typeName} federated object manages it any more`,
    }));
}
