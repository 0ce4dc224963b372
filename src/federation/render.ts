// The object one member cluster should have: template + identity + retention + overrides +
// the managed label, in KubeFed's (v0.8) order. Pure.
import { createHash } from 'node:crypto';
import type { Operation } from 'fast-json-patch';
import type { V1ServicePort } from '@kubernetes/client-node';
import type { KubeObject } from '../api/objects.js';
import { stableStringify } from './compare.js';
import type { FederatedObject } from './federated-object.js';
import { MANAGED_LABEL } from '../api/kubefed.js';
import { applyOverridesInPlace, OverrideError } from './overrides.js';
import type { FederatedTypeConfig } from './typeconfig.js';
import { APPLIED_HASH_ANNOTATION } from '../api/kubefed.js';
import { cloneJson } from '../util/objects.js';

/** A rendering failure, with the per-cluster status KubeFed reports for it. */
export class RenderError extends Error {
  override readonly name = 'RenderError';
  constructor(
    message: string,
    readonly status: 'ComputeResourceFailed' | 'ApplyOverridesFailed' | 'FieldRetentionFailed',
  ) {
    super(message);
  }
}

export interface Rendered {
  object: KubeObject;
  /** Hash of the inputs of this rendering (template, overrides, identity); stored on the member object. */
  hash: string;
  warnings: string[];
}

/**
 * Renders of one federated object by renderKey of their overrides, made with no live object and the
 * same member labels: clusters with the same overrides share one, and the pre-flight hands its
 * renders to the plan.
 */
export type RenderCache = Map<string, Rendered>;

/** The RenderCache key of a cluster's override operations. */
export function renderKey(ops: readonly Operation[]): string {
  return JSON.stringify(ops);
}

/** The hash of a rendering made only to be checked: as long as a real one, so sizes are the same. */
const UNHASHED = '0'.repeat(32);

/** The target apiVersion: the template's own if it has one, else the FederatedTypeConfig's target. */
export function targetApiVersion(fed: FederatedObject, ftc: FederatedTypeConfig): string {
  const fromTemplate = fed.spec.template?.['apiVersion'];
  if (typeof fromTemplate === 'string' && fromTemplate !== '') return fromTemplate;
  const t = ftc.spec.targetType;
  return t.group ? `${t.group}/${t.version}` : t.version;
}

/**
 * Renders the object for one cluster. `live` is the member's current object (update path), used
 * for KubeFed's field retention; `ops` are that cluster's override operations; `memberLabels` are
 * put on every member beside the managed label (the ApplySet's part-of label).
 */
export function renderForCluster(
  fed: FederatedObject,
  ftc: FederatedTypeConfig,
  ops: Operation[],
  {
    live,
    memberLabels = {},
    hash: withHash = true,
  }: {
    live?: KubeObject | undefined;
    memberLabels?: Readonly<Record<string, string>>;
    /** false: the object is only checked, so the hash is a placeholder of the same length. */
    hash?: boolean;
  } = {},
): Rendered {
  const warnings: string[] = [];
  const template = fed.spec.template ?? {};
  if (typeof template !== 'object' || Array.isArray(template))
    throw new RenderError('spec.template must be an object', 'ComputeResourceFailed');
  const obj = cloneJson(template) as KubeObject & { metadata?: KubeObject['metadata'] };
  delete obj['status'];
  const meta = obj.metadata ?? {};
  if (meta.finalizers && meta.finalizers.length > 0) {
    // Finalizers on member objects could block their deletion forever; KubeFed refuses them too.
    warnings.push('spec.template.metadata.finalizers are not propagated; set them with an override if you must');
  }
  const isNamespace = ftc.spec.targetType.kind === 'Namespace' && !ftc.spec.targetType.group;
  obj.metadata = {
    name: fed.metadata.name ?? '',
    ...(ftc.spec.targetType.scope === 'Namespaced' && !isNamespace && fed.metadata.namespace
      ? { namespace: fed.metadata.namespace }
      : {}),
    ...(meta.labels && Object.keys(meta.labels).length > 0 ? { labels: { ...meta.labels } } : {}),
    ...(meta.annotations && Object.keys(meta.annotations).length > 0 ? { annotations: { ...meta.annotations } } : {}),
  };
  obj.kind = ftc.spec.targetType.kind;
  obj.apiVersion = targetApiVersion(fed, ftc);
  const extra = Object.keys(memberLabels).length > 0 ? { memberLabels } : {};
  const hash = withHash
    ? createHash('sha256')
        .update(stableStringify({ object: obj, ops, retainReplicas: fed.spec.retainReplicas === true, ...extra }))
        .digest('hex')
        .slice(0, 32)
    : UNHASHED;

  let out: KubeObject = obj;
  if (live) out = retainFromLive(out, live, fed.spec.retainReplicas === true);
  try {
    // `out` is this function's own copy (of the template, or retainFromLive's).
    out = applyOverridesInPlace(out, ops);
  } catch (error) {
    if (error instanceof OverrideError) throw new RenderError(error.message, 'ApplyOverridesFailed');
    throw error;
  }
  if (!out.metadata || typeof out.metadata !== 'object')
    throw new RenderError('the overrides removed metadata', 'ApplyOverridesFailed');
  out = asStored(out);
  // Last, so that no override can remove it.
  out.metadata.labels = { ...(out.metadata.labels ?? {}), ...memberLabels, [MANAGED_LABEL]: 'true' };
  out.metadata.annotations = { ...(out.metadata.annotations ?? {}), [APPLIED_HASH_ANNOTATION]: hash };
  const { apiVersion, kind, metadata, ...rest } = out;
  return { object: { apiVersion, kind, metadata, ...rest }, hash, warnings };
}

/**
 * A Secret as the API server stores it: `stringData` is write-only and merged into `data` (base64,
 * stringData winning), so comparing or showing the template's form would never match the cluster.
 */
export function asStored(obj: KubeObject): KubeObject {
  const stringData = obj['stringData'];
  if (
    obj.kind !== 'Secret' ||
    obj.apiVersion !== 'v1' ||
    stringData === null ||
    typeof stringData !== 'object' ||
    Array.isArray(stringData)
  )
    return obj;
  const entries = Object.entries(stringData as Record<string, unknown>);
  // Anything but strings is left for the API server to reject with its own message.
  if (entries.some(([, v]) => typeof v !== 'string')) return obj;
  const { stringData: _written, ...rest } = obj;
  const data = { ...((obj['data'] as Record<string, string> | undefined) ?? {}) };
  for (const [key, value] of entries) data[key] = Buffer.from(value as string, 'utf8').toString('base64');
  return { ...rest, data };
}

/** Whether retention copies anything from live objects of this kind. */
export function needsRetention(kind: string | undefined, retainReplicas: boolean): boolean {
  return kind === 'Service' || kind === 'ServiceAccount' || retainReplicas;
}

/** core/v1 ServicePort (client-node's model; `targetPort` is IntOrString, number | string, as on the wire). */
type ServicePort = V1ServicePort;

/**
 * KubeFed's field retention: values the member cluster owns are copied from the live object.
 * Service IPs and node ports, ServiceAccount secrets, and replicas when retainReplicas is set.
 */
export function retainFromLive(desired: KubeObject, live: KubeObject, retainReplicas: boolean): KubeObject {
  const kind = desired.kind;
  if (!needsRetention(kind, retainReplicas)) return desired;
  const out = structuredClone(desired);
  if (kind === 'Service') {
    const want = (out['spec'] ?? (out['spec'] = {})) as Record<string, unknown>;
    const have = (live['spec'] ?? {}) as Record<string, unknown>;
    if (typeof have['clusterIP'] === 'string' && have['clusterIP'] !== '') want['clusterIP'] = have['clusterIP'];
    if (Array.isArray(have['clusterIPs']) && have['clusterIPs'].length > 0) want['clusterIPs'] = have['clusterIPs'];
    if (typeof have['healthCheckNodePort'] === 'number' && have['healthCheckNodePort'] > 0)
      want['healthCheckNodePort'] = have['healthCheckNodePort'];
    const livePorts = (have['ports'] ?? []) as ServicePort[];
    for (const port of (want['ports'] ?? []) as ServicePort[]) {
      const match = livePorts.find((p) => p.name === port.name && p.protocol === port.protocol && p.port === port.port);
      if (match?.nodePort) port.nodePort = match.nodePort;
    }
  } else if (kind === 'ServiceAccount') {
    const liveSecrets = live['secrets'];
    const wantSecrets = out['secrets'];
    if (
      (!Array.isArray(wantSecrets) || wantSecrets.length === 0) &&
      Array.isArray(liveSecrets) &&
      liveSecrets.length > 0
    )
      out['secrets'] = liveSecrets;
  } else if (retainReplicas) {
    const liveReplicas = (live['spec'] as Record<string, unknown> | undefined)?.['replicas'];
    if (liveReplicas !== undefined)
      ((out['spec'] ?? (out['spec'] = {})) as Record<string, unknown>)['replicas'] = liveReplicas;
  }
  return out;
}
