// A propagation policy's overrides, compiled into KubeFed's per-cluster JSON-patch overrides, so a
// plain object plus its policy is exactly a Federated<Kind> (docs/policy.md, "Overrides"). Pure.
//
// Order, per cluster: the policy's override entries in list order; within an entry,
// clusterOverrides, then image, labels, annotations, replicas. Typed overrides become JSON-patch
// ops computed against the object as the earlier ops left it; image applies to objects with
// containers and replicas to replicated workloads, so one policy can select several kinds. A later op on the same path replaces
// an earlier one (KubeFed allows a path once per cluster).
import type { KubeObject } from '../api/objects.js';
import type { ImageOverride, PolicyOverride } from '../api/policy.js';
import type { MemberCluster, Override } from '../federation/federated-object.js';
import { applyOverrides, OverrideError } from '../federation/overrides.js';
import { inTargets } from './constrain.js';

type Op = { op: 'add' | 'remove' | 'replace'; path: string; value?: unknown };

/** A problem of one override entry for one cluster; `field` is relative to the policy's spec. */
export interface OverrideProblem {
  field: string;
  cluster: string;
  message: string;
}

/**
 * KubeFed `spec.overrides` for the clusters an object is placed in. `base` is the object as
 * rendering sees it before overrides (identity, labels, annotations and spec).
 */
export function compileOverrides(
  base: KubeObject,
  entries: readonly PolicyOverride[],
  placed: readonly Pick<MemberCluster, 'name' | 'labels'>[],
): { overrides: Override[]; problems: OverrideProblem[] } {
  const overrides: Override[] = [];
  const problems: OverrideProblem[] = [];
  for (const cluster of placed) {
    let ops: Op[] = [];
    for (const [i, entry] of entries.entries()) {
      if (entry.targetClusters && !inTargets(entry.targetClusters, cluster)) continue;
      try {
        for (const op of typedOps(entry, () => applyOverrides(base, ops)))
          ops = [...ops.filter((o) => o.path !== op.path), op];
        // Tried now, so a failing op is blamed on the policy's entry, not on the object made from it.
        applyOverrides(base, ops);
      } catch (error) {
        if (!(error instanceof OverrideError)) throw error;
        problems.push({ field: `spec.overrides[${i}]`, cluster: cluster.name, message: error.message });
        // The failing op stays in the list, so every later entry would fail on it again: it is
        // reported once, on the entry that holds it.
        break;
      }
    }
    if (ops.length > 0) overrides.push({ clusterName: cluster.name, clusterOverrides: ops });
  }
  return { overrides, problems };
}

/** The ops of one entry, in order; `current` is the object as the ops so far leave it. */
function* typedOps(entry: PolicyOverride, current: () => KubeObject): Generator<Op> {
  yield* patchOps(entry);
  if (entry.image) yield* imageOps(current(), entry.image);
  if (entry.labels) yield* mapOps(current(), 'labels', entry.labels);
  if (entry.annotations) yield* mapOps(current(), 'annotations', entry.annotations);
  if (entry.replicas !== undefined && hasReplicas(current()))
    yield { op: 'replace', path: '/spec/replicas', value: entry.replicas };
}

/** The entry's JSON-patch ops, with KubeFed's defaults: op replace, value null. */
function patchOps(entry: PolicyOverride): Op[] {
  return (entry.clusterOverrides ?? []).map((o) => {
    const op = o.op === undefined || o.op === '' ? 'replace' : (o.op as Op['op']);
    return op === 'remove' ? { op, path: o.path } : { op, path: o.path, value: o.value ?? null };
  });
}

/** Kinds whose spec holds a replica count; any other object with spec.replicas counts too. */
const REPLICATED_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'ReplicationController']);

/** Whether `replicas` applies: one policy may select ConfigMaps and Deployments alike. */
function hasReplicas(obj: KubeObject): boolean {
  const spec = obj['spec'];
  if (REPLICATED_KINDS.has(obj.kind ?? '')) return true;
  return typeof spec === 'object' && spec !== null && 'replicas' in spec;
}

function mapOps(obj: KubeObject, member: 'labels' | 'annotations', values: Record<string, string>): Op[] {
  const existing = obj.metadata?.[member];
  if (!existing || typeof existing !== 'object')
    return [{ op: 'add', path: `/metadata/${member}`, value: { ...values } }];
  return Object.entries(values).map(([k, v]) => ({
    op: 'add',
    path: `/metadata/${member}/${escapePointer(k)}`,
    value: v,
  }));
}

/** RFC 6901: `~` is `~0`, `/` is `~1`. */
export function escapePointer(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Where a kind keeps its pod spec: CronJobs two levels down, workloads in spec.template, Pods in spec. */
export function podSpecPointer(obj: KubeObject): string | undefined {
  const spec = obj['spec'] as Record<string, unknown> | undefined;
  const at = (o: unknown, ...keys: string[]): unknown =>
    keys.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), o);
  if (at(spec, 'jobTemplate', 'spec', 'template', 'spec')) return '/spec/jobTemplate/spec/template/spec';
  if (at(spec, 'template', 'spec', 'containers')) return '/spec/template/spec';
  if (at(spec, 'containers')) return '/spec';
  return undefined;
}

/** Replaces parts of container images; an object without containers (a ConfigMap) is left as it is. */
function imageOps(obj: KubeObject, image: ImageOverride): Op[] {
  const pointer = podSpecPointer(obj);
  if (!pointer) return [];
  const podSpec = pointer
    .slice(1)
    .split('/')
    .reduce<Record<string, unknown>>((v, k) => v[k] as Record<string, unknown>, obj as Record<string, unknown>);
  const ops: Op[] = [];
  for (const list of ['initContainers', 'containers']) {
    const containers = podSpec[list];
    if (!Array.isArray(containers)) continue;
    containers.forEach((c: { name?: string; image?: string }, i) => {
      if (image.containers && !image.containers.includes(c.name ?? '')) return;
      if (typeof c.image !== 'string') return;
      const next = withImageParts(c.image, image);
      if (next !== c.image) ops.push({ op: 'replace', path: `${pointer}/${list}/${i}/image`, value: next });
    });
  }
  return ops;
}

/** The parts of an image reference: [registry/]repository[:tag][@digest]. */
export interface ImageParts {
  registry?: string;
  repository: string;
  tag?: string;
  digest?: string;
}

/** Splits an image reference as Docker does: the first part is a registry if it has a dot or port, or is localhost. */
export function parseImage(ref: string): ImageParts {
  const [name, digest] = splitOnce(ref, '@');
  const [registry, path] = splitRegistry(name);
  const colon = path.lastIndexOf(':');
  const tag = colon >= 0 ? path.slice(colon + 1) : undefined;
  return {
    ...(registry !== undefined ? { registry } : {}),
    repository: colon >= 0 ? path.slice(0, colon) : path,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

/** `[before, after]` around the first `sep`, or `[text, undefined]`. */
function splitOnce(text: string, sep: string): [string, string | undefined] {
  const at = text.indexOf(sep);
  return at >= 0 ? [text.slice(0, at), text.slice(at + 1)] : [text, undefined];
}

/** The registry part of an image name, if its first component is one, and the rest. */
function splitRegistry(name: string): [string | undefined, string] {
  const [first, rest] = splitOnce(name, '/');
  if (rest === undefined) return [undefined, name];
  const isRegistry = first.includes('.') || first.includes(':') || first === 'localhost';
  return isRegistry ? [first, rest] : [undefined, name];
}

/** The image with the given parts replaced. A new tag drops the digest, which would pin the old image. */
export function withImageParts(ref: string, image: ImageOverride): string {
  const p = parseImage(ref);
  const registry = image.registry ?? p.registry;
  const repository = image.repository ?? p.repository;
  const tag = image.tag ?? p.tag;
  const digest = image.tag === undefined ? p.digest : undefined;
  return `${registry ? `${registry}/` : ''}${repository}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
}
