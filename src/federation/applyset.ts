// ApplySets (KEP-3659, as kubectl 1.32 implements them): the parent object that records a set, the
// label on its members, and which members a run prunes. Pure: the engine reads and writes.
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { MANAGED_LABEL } from '../api/kubefed.js';
import type { KubeObject } from '../api/objects.js';
import { dns1123SubdomainProblem } from '../util/names.js';
import { qualifiedName } from './federated-object.js';

/** On the parent: the set's ID. */
export const APPLYSET_ID_LABEL = 'applyset.kubernetes.io/id';
/** On every member: the ID of the set it belongs to. */
export const APPLYSET_PART_OF_LABEL = 'applyset.kubernetes.io/part-of';
/** On the parent: `<tool>/<version>` of the tool that manages the set. */
export const APPLYSET_TOOLING_ANNOTATION = 'applyset.kubernetes.io/tooling';
/** On the parent: the members' kinds, `Kind.group` (`Kind` for the core group), sorted, comma-separated. */
export const APPLYSET_GROUP_KINDS_ANNOTATION = 'applyset.kubernetes.io/contains-group-kinds';
/** On the parent: namespaces holding members, other than the parent's own, sorted, comma-separated. */
export const APPLYSET_NAMESPACES_ANNOTATION = 'applyset.kubernetes.io/additional-namespaces';

/**
 * kubectl 1.32 refuses any parent whose tooling is not `kubectl/…`, so a set written as
 * `kubefedctl/…` could never be applied or pruned with kubectl. The version part says which
 * kubectl the format follows and, as semver build metadata, that kubefedctl wrote it
 * (docs/adr/0005-applyset-tooling.md).
 */
export const APPLYSET_TOOLING = 'kubectl/v1.32.0+kubefedctl';
const TOOLING_NAME = 'kubectl';

/** Where a set is recorded in each member cluster: a Secret (the default) or a ConfigMap. */
export interface ApplySetParentRef {
  resource: 'secrets' | 'configmaps';
  kind: 'Secret' | 'ConfigMap';
  name: string;
  namespace: string;
}

/** A problem with --applyset, an existing parent, or the input that names the set. */
export class ApplySetError extends Error {
  override readonly name = 'ApplySetError';
}

const PARENT_RESOURCES: Record<string, Pick<ApplySetParentRef, 'resource' | 'kind'>> = {
  secret: { resource: 'secrets', kind: 'Secret' },
  secrets: { resource: 'secrets', kind: 'Secret' },
  configmap: { resource: 'configmaps', kind: 'ConfigMap' },
  configmaps: { resource: 'configmaps', kind: 'ConfigMap' },
  cm: { resource: 'configmaps', kind: 'ConfigMap' },
};

/**
 * `--applyset` as kubectl reads it, `[RESOURCE][.GROUP]/NAME`, a bare NAME meaning a Secret; the
 * parent lives in `namespace`. Only Secrets and ConfigMaps are parents here: a custom parent type
 * would have to exist in every member cluster.
 */
export function parseApplySetRef(value: string, namespace: string): ApplySetParentRef {
  const slash = value.indexOf('/');
  const [resource, name] = slash < 0 ? ['secrets', value] : [value.slice(0, slash), value.slice(slash + 1)];
  const parent = PARENT_RESOURCES[resource.replace(/\.$/, '').toLowerCase()];
  if (!parent)
    throw new ApplySetError(
      `--applyset "${value}": the parent must be a Secret or a ConfigMap (NAME, secrets/NAME or configmaps/NAME), not "${resource}"`,
    );
  const problem = dns1123SubdomainProblem(name);
  if (problem) throw new ApplySetError(`--applyset "${value}": the name "${name}" ${problem}`);
  return { ...parent, name, namespace };
}

/** The set's ID, as KEP-3659 defines it: base64url(sha256(name.namespace.kind.group)) in `applyset-…-v1`. */
export function applySetId(ref: ApplySetParentRef): string {
  const digest = createHash('sha256').update(`${ref.name}.${ref.namespace}.${ref.kind}.`).digest('base64url');
  return `applyset-${digest}-v1`;
}

/**
 * The set name a run gets without --applyset: from the -f arguments as written (so the same
 * command from the same folder names the same set on every run and machine). Standard input
 * has no name to derive one from.
 */
export function derivedApplySetName(filenames: readonly string[]): string {
  if (filenames.includes('-'))
    throw new ApplySetError(
      '--prune with -f - (standard input): the set cannot be named after its input; give it a name with --applyset NAME',
    );
  const normal = [...new Set(filenames.map((f) => posix.normalize(f.replaceAll('\\', '/')).replace(/(.)\/+$/, '$1')))];
  const digest = createHash('sha256').update(normal.sort().join('\n')).digest('hex').slice(0, 10);
  return `kubefedctl-${digest}`;
}

/** `Kind.group`, or `Kind` for the core group: how the parent lists kinds. */
export function groupKindOf(obj: Pick<KubeObject, 'apiVersion' | 'kind'>): string {
  const apiVersion = obj.apiVersion ?? '';
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  return groupKindOfType({ kind: obj.kind ?? '', group });
}

/** `Kind.group` of a resource type (`Kind` for the core group). */
export function groupKindOfType(type: { kind: string; group?: string | undefined }): string {
  return type.group ? `${type.kind}.${type.group}` : type.kind;
}

/** What a cluster's parent says now: the kinds and namespaces whose members may need pruning. */
export interface ParentState {
  exists: boolean;
  groupKinds: string[];
  /** Every namespace with members, the parent's own included. */
  namespaces: string[];
}

/** Reads an existing parent (or its absence); a parent of another tool or another set is an error. */
export function readParent(ref: ApplySetParentRef, parent: KubeObject | undefined): ParentState {
  if (!parent) return { exists: false, groupKinds: [], namespaces: [ref.namespace] };
  const where = `${ref.kind} ${ref.namespace}/${ref.name}`;
  const tooling = parent.metadata.annotations?.[APPLYSET_TOOLING_ANNOTATION];
  if (tooling === undefined)
    throw new ApplySetError(
      `${where} exists and is not an ApplySet parent (no ${APPLYSET_TOOLING_ANNOTATION} annotation); choose another --applyset name`,
    );
  const toolName = tooling.includes('/') ? tooling.slice(0, tooling.lastIndexOf('/')) : tooling;
  if (toolName !== TOOLING_NAME)
    throw new ApplySetError(`${where} is an ApplySet managed by "${toolName}", not by kubectl or kubefedctl`);
  const id = parent.metadata.labels?.[APPLYSET_ID_LABEL];
  if (id !== applySetId(ref))
    throw new ApplySetError(
      `${where} has ${APPLYSET_ID_LABEL}=${id ?? '(none)'}, not the ID of this set (${applySetId(ref)})`,
    );
  const list = (key: string) =>
    (parent.metadata.annotations?.[key] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  return {
    exists: true,
    groupKinds: list(APPLYSET_GROUP_KINDS_ANNOTATION),
    namespaces: [...new Set([ref.namespace, ...list(APPLYSET_NAMESPACES_ANNOTATION)])].sort(),
  };
}

/** The parent object recording these kinds and namespaces (applied with server-side apply). */
export function parentObject(
  ref: ApplySetParentRef,
  groupKinds: readonly string[],
  namespaces: readonly string[],
): KubeObject {
  const others = [...new Set(namespaces)].filter((n) => n && n !== ref.namespace).sort();
  return {
    apiVersion: 'v1',
    kind: ref.kind,
    metadata: {
      name: ref.name,
      namespace: ref.namespace,
      labels: { [APPLYSET_ID_LABEL]: applySetId(ref) },
      annotations: {
        [APPLYSET_TOOLING_ANNOTATION]: APPLYSET_TOOLING,
        [APPLYSET_GROUP_KINDS_ANNOTATION]: [...new Set(groupKinds)].sort().join(','),
        [APPLYSET_NAMESPACES_ANNOTATION]: others.join(','),
      },
    },
  };
}

/** True when a live parent already records exactly this (no write needed). */
export function parentRecords(
  live: KubeObject | undefined,
  ref: ApplySetParentRef,
  groupKinds: readonly string[],
  namespaces: readonly string[],
): boolean {
  if (!live) return false;
  const want = parentObject(ref, groupKinds, namespaces).metadata.annotations ?? {};
  const have = live.metadata.annotations ?? {};
  return (
    have[APPLYSET_GROUP_KINDS_ANNOTATION] === want[APPLYSET_GROUP_KINDS_ANNOTATION] &&
    (have[APPLYSET_NAMESPACES_ANNOTATION] ?? '') === want[APPLYSET_NAMESPACES_ANNOTATION] &&
    live.metadata.labels?.[APPLYSET_ID_LABEL] === applySetId(ref)
  );
}

/** The key of a member: `Kind.group` and `namespace/name`. */
export function memberKey(groupKind: string, meta: { namespace?: string; name?: string }): string {
  return `${groupKind} ${qualifiedName(meta)}`;
}

/** One listed member of the set that the input no longer has. */
export interface PruneDecision {
  groupKind: string;
  object: KubeObject;
  /** delete it, or leave it (why in `reason`). */
  prune: boolean;
  reason?: string;
}

/**
 * Which listed members of the set to prune: those the input no longer has, that kubefedctl
 * manages (the managed label), and that are not already being deleted. Anything else listed with
 * the set's label is reported and left alone. Namespaces come last, since they go with their contents.
 */
export function decidePrunes(
  members: readonly { groupKind: string; object: KubeObject }[],
  inInput: ReadonlySet<string>,
): PruneDecision[] {
  const out: PruneDecision[] = [];
  for (const { groupKind, object } of members) {
    if (inInput.has(memberKey(groupKind, object.metadata))) continue;
    if (object.metadata.deletionTimestamp) continue;
    if (object.metadata.labels?.[MANAGED_LABEL] !== 'true')
      out.push({
        groupKind,
        object,
        prune: false,
        reason: `it is in the set but not managed by kubefedctl (no ${MANAGED_LABEL}=true): left alone`,
      });
    else out.push({ groupKind, object, prune: true });
  }
  const isNamespace = (d: PruneDecision) => d.groupKind === 'Namespace';
  return [...out.filter((d) => !isNamespace(d)), ...out.filter(isNamespace)];
}
