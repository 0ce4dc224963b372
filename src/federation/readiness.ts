// When a member object counts as ready, for `propagate --wait`: the rules `kubectl rollout status`
// and `kubectl wait` apply, read from the object's own status. Pure.
import type { KubeObject } from '../api/objects.js';

/** One entry of an object's status.conditions, as the report shows it. */
export interface ObjectCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/**
 * - `ready`: done.
 * - `pending`: not yet; waiting may still help.
 * - `failed`: will not become ready by waiting (a Job that failed, a rollout past its progress deadline).
 */
export type ReadinessState = 'ready' | 'pending' | 'failed';

export interface Readiness {
  state: ReadinessState;
  /** One CamelCase word: RolloutInProgress, ProgressDeadlineExceeded, JobFailed, NotEstablished, … */
  reason: string;
  /** What is missing, in words. */
  message: string;
}

type Status = Record<string, unknown>;

const num = (s: Status, field: string): number => (typeof s[field] === 'number' ? s[field] : 0);

/** status.conditions, keeping only entries with a type and a status. */
export function conditionsOf(obj: KubeObject | undefined): ObjectCondition[] {
  const status = obj?.['status'] as Status | undefined;
  const list = status?.['conditions'];
  if (!Array.isArray(list)) return [];
  return list.flatMap((c: unknown) => {
    if (typeof c !== 'object' || c === null) return [];
    const { type, status: st, reason, message } = c as Record<string, unknown>;
    if (typeof type !== 'string' || typeof st !== 'string') return [];
    return [
      {
        type,
        status: st,
        ...(typeof reason === 'string' && reason ? { reason } : {}),
        ...(typeof message === 'string' && message ? { message } : {}),
      },
    ];
  });
}

const ready = (reason = 'Ready', message = 'ready'): Readiness => ({ state: 'ready', reason, message });
const pending = (reason: string, message: string): Readiness => ({ state: 'pending', reason, message });
const failed = (reason: string, message: string): Readiness => ({ state: 'failed', reason, message });

/** The API group of an object, from its apiVersion ('' for the core group). */
function groupOf(obj: KubeObject): string {
  const v = obj.apiVersion ?? '';
  return v.includes('/') ? v.slice(0, v.indexOf('/')) : '';
}

/** The controller has not seen the latest spec yet (status.observedGeneration < metadata.generation). */
function staleStatus(obj: KubeObject, status: Status): Readiness | undefined {
  const generation = obj.metadata.generation;
  const observed = status['observedGeneration'];
  if (generation === undefined) return undefined;
  if (typeof observed !== 'number' || observed < generation)
    return pending(
      'NotObserved',
      `the controller has not observed generation ${generation} yet (observed: ${typeof observed === 'number' ? observed : 'none'})`,
    );
  return undefined;
}

function specReplicas(obj: KubeObject): number {
  const spec = obj['spec'] as Status | undefined;
  return typeof spec?.['replicas'] === 'number' ? spec['replicas'] : 1;
}

function deployment(obj: KubeObject, status: Status): Readiness {
  // A deadline exceeded by an earlier generation says nothing about the one just written.
  const stale = staleStatus(obj, status);
  if (stale) return stale;
  const progressing = conditionsOf(obj).find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded')
    return failed('ProgressDeadlineExceeded', progressing.message ?? 'the rollout exceeded its progress deadline');
  const want = specReplicas(obj);
  const updated = num(status, 'updatedReplicas');
  const total = num(status, 'replicas');
  const available = num(status, 'availableReplicas');
  if (updated < want) return pending('RolloutInProgress', `${updated} of ${want} replicas updated`);
  if (total > updated) return pending('RolloutInProgress', `${total - updated} old replica(s) pending termination`);
  if (available < updated) return pending('RolloutInProgress', `${available} of ${updated} updated replicas available`);
  return ready('RolledOut', `${available} of ${want} replicas available`);
}

/** spec.updateStrategy.type, RollingUpdate when unset (the API default). */
function updateStrategyOf(obj: KubeObject): string {
  const type = ((obj['spec'] as Status | undefined)?.['updateStrategy'] as Status | undefined)?.['type'];
  return typeof type === 'string' ? type : 'RollingUpdate';
}

/** A partitioned roll out only updates the replicas at or above the partition. */
function partitioned(obj: KubeObject, status: Status, partition: number): Readiness {
  const want = specReplicas(obj);
  const updated = num(status, 'updatedReplicas');
  const readyReplicas = num(status, 'readyReplicas');
  if (updated < want - partition)
    return pending('RolloutInProgress', `${updated} of ${want - partition} replicas updated (partitioned roll out)`);
  return readyReplicas < want
    ? pending('RolloutInProgress', `${readyReplicas} of ${want} replicas ready`)
    : ready('RolledOut', `partitioned roll out: ${updated} new replica(s)`);
}

/** spec.updateStrategy.rollingUpdate.partition, 0 when unset. */
function partitionOf(obj: KubeObject): number {
  const spec = obj['spec'] as { updateStrategy?: { rollingUpdate?: { partition?: unknown } } } | undefined;
  const partition = spec?.updateStrategy?.rollingUpdate?.partition;
  return typeof partition === 'number' ? partition : 0;
}

const text = (s: Status, field: string): string => (typeof s[field] === 'string' ? s[field] : '');

function statefulSet(obj: KubeObject, status: Status): Readiness {
  const stale = staleStatus(obj, status);
  if (stale) return stale;
  const strategy = updateStrategyOf(obj);
  if (strategy !== 'RollingUpdate') return ready('RolledOut', `update strategy ${strategy}: not tracked`);
  const partition = partitionOf(obj);
  if (partition > 0) return partitioned(obj, status, partition);
  const want = specReplicas(obj);
  const readyReplicas = num(status, 'readyReplicas');
  if (readyReplicas < want) return pending('RolloutInProgress', `${readyReplicas} of ${want} replicas ready`);
  const updated = num(status, 'updatedReplicas');
  if (updated < want) return pending('RolloutInProgress', `${updated} of ${want} replicas updated`);
  const [current, update] = [text(status, 'currentRevision'), text(status, 'updateRevision')];
  if (current !== update) return pending('RolloutInProgress', `revision ${update} is rolling out (current ${current})`);
  return ready('RolledOut', `${readyReplicas} of ${want} replicas ready`);
}

function daemonSet(obj: KubeObject, status: Status): Readiness {
  const stale = staleStatus(obj, status);
  if (stale) return stale;
  const strategy = updateStrategyOf(obj);
  if (strategy !== 'RollingUpdate') return ready('RolledOut', `update strategy ${strategy}: not tracked`);
  const desired = num(status, 'desiredNumberScheduled');
  const updated = num(status, 'updatedNumberScheduled');
  const available = num(status, 'numberAvailable');
  if (updated < desired) return pending('RolloutInProgress', `${updated} of ${desired} updated pods scheduled`);
  if (available < desired) return pending('RolloutInProgress', `${available} of ${desired} updated pods available`);
  return ready('RolledOut', `${available} of ${desired} pods available`);
}

function job(obj: KubeObject): Readiness {
  const conditions = conditionsOf(obj);
  const failure = conditions.find((c) => c.type === 'Failed' && c.status === 'True');
  if (failure) return failed('JobFailed', failure.message ?? failure.reason ?? 'the job failed');
  const complete = conditions.find((c) => c.type === 'Complete' && c.status === 'True');
  if (complete) return ready('Complete', complete.message ?? 'the job completed');
  return pending('JobNotComplete', 'the job has not completed');
}

function crd(obj: KubeObject): Readiness {
  const conditions = conditionsOf(obj);
  const established = conditions.find((c) => c.type === 'Established');
  if (established?.status === 'True') return ready('Established', 'the CRD is established');
  const naming = conditions.find((c) => c.type === 'NamesAccepted' && c.status === 'False');
  if (naming) return failed('NamesNotAccepted', naming.message ?? naming.reason ?? 'the names were not accepted');
  return pending('NotEstablished', established?.message ?? 'the CRD is not established yet');
}

function service(obj: KubeObject, status: Status): Readiness {
  const spec = obj['spec'] as Status | undefined;
  if (spec?.['type'] !== 'LoadBalancer') return ready('Present', 'present');
  const ingress = (status['loadBalancer'] as { ingress?: unknown[] } | undefined)?.ingress;
  if (Array.isArray(ingress) && ingress.length > 0)
    return ready('LoadBalancerReady', 'the load balancer has an address');
  return pending(
    'NoLoadBalancerIngress',
    'the load balancer has no address yet (status.loadBalancer.ingress is empty)',
  );
}

function namespace(status: Status): Readiness {
  const phase = status['phase'];
  if (phase === 'Terminating') return failed('Terminating', 'the namespace is being deleted');
  return ready('Present', 'present');
}

/** Any other type: a Ready (or else Available) condition when it reports one; otherwise being there is enough. */
function generic(obj: KubeObject): Readiness {
  const conditions = conditionsOf(obj);
  const condition = conditions.find((c) => c.type === 'Ready') ?? conditions.find((c) => c.type === 'Available');
  if (!condition) return ready('Present', 'present');
  if (condition.status === 'True') return ready(condition.type, `${condition.type} is True`);
  const why = [condition.reason, condition.message].filter(Boolean).join(': ');
  return pending(`Not${condition.type}`, `${condition.type} is ${condition.status}${why ? ` (${why})` : ''}`);
}

/** The kinds with a rule of their own, by `Kind.group`. */
const RULES: Record<string, (obj: KubeObject, status: Status) => Readiness> = {
  'Deployment.apps': deployment,
  'StatefulSet.apps': statefulSet,
  'DaemonSet.apps': daemonSet,
  'Job.batch': job,
  'CustomResourceDefinition.apiextensions.k8s.io': crd,
  'Service.': service,
  'Namespace.': (_obj, status) => namespace(status),
};

/**
 * Whether one member object is ready, by its kind:
 * Deployment, StatefulSet and DaemonSet rolled out (status of the latest generation, replica
 * counts); Job complete; CustomResourceDefinition established; a LoadBalancer Service given an
 * address; anything else by its Ready or Available condition when it has one, else by being there.
 * A missing object (undefined) is pending.
 */
export function readinessOf(obj: KubeObject | undefined): Readiness {
  if (!obj) return pending('NotFound', 'the object does not exist');
  if (obj.metadata.deletionTimestamp) return failed('Terminating', 'the object is being deleted');
  const status = (obj['status'] ?? {}) as Status;
  const rule = RULES[`${obj.kind ?? ''}.${groupOf(obj)}`] ?? generic;
  return rule(obj, status);
}
