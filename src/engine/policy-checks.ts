// The rules of PlacementPolicy, PropagationPolicy and ClusterPropagationPolicy documents that their
// schemas (schemas/*policy.json) cannot say, or say only through CEL rules that a file check does
// not run: label syntax in selectors, labels and annotations, cluster names, override paths, image
// parts, the replica scheduling preference, and the "at least one of" rules. Pure; used by
// input-checks.ts after the schema check. Every problem is a "field.path: problem" line.
import { PLACEMENT_POLICY_KIND, PROPAGATION_POLICY_KIND, type PolicyKind } from '../api/policy.js';
import { FORBIDDEN_OVERRIDE_PATHS } from '../federation/overrides.js';
import { nameProblems, selectorSyntaxProblems } from '../federation/validate.js';
import { RSP_TARGET_KINDS, validateRsp } from '../scheduling/rsp.js';
import {
  dns1035LabelProblem,
  dns1123LabelProblem,
  dns1123SubdomainProblem,
  labelMapProblems,
  qualifiedNameProblem,
} from '../util/names.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const present = (o: Json, key: string): boolean => o[key] !== undefined && o[key] !== null;
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** The values PlacementPolicy's spec.enforcement takes. */
export const ENFORCEMENT_VALUES = ['Enforce', 'Audit'] as const;
const OVERRIDE_OPS = ['add', 'remove', 'replace', ''];
const OVERRIDE_PARTS = ['clusterOverrides', 'image', 'labels', 'annotations', 'replicas'];
const SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

const CORE_VERSION = /^v[0-9]+((alpha|beta)[0-9]+)?$/;
/** A container image tag, as the distribution reference grammar has it. */
const IMAGE_TAG = /^[\w][\w.-]{0,127}$/;
/** A registry: host name, IPv4 or bracketed IPv6 address, with an optional port. */
const REGISTRY =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:.]+\])(?::[0-9]{1,5})?$/;
/** A repository path: lower-case components separated by '/', each joined by '.', '_', '__' or dashes. */
const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

/** What is wrong with a resource selector's apiVersion, or undefined: "v1" (core) or "group/version". */
export function apiVersionProblem(value: string): string | undefined {
  const want = 'must be "v1" for the core group or "group/version" such as "apps/v1"';
  const slash = value.indexOf('/');
  if (slash < 0) return coreVersionProblem(value, want);
  const group = value.slice(0, slash);
  const version = value.slice(slash + 1);
  if (version.includes('/')) return `${want}, with one "/" (got "${value}")`;
  const groupProblem = group === '' ? 'is empty' : dns1123SubdomainProblem(group);
  if (groupProblem) return `${want}; the group "${group}" ${groupProblem}`;
  const versionProblem = version === '' ? 'is empty' : dns1035LabelProblem(version);
  if (versionProblem) return `${want}; the version "${version}" ${versionProblem}`;
  return undefined;
}

function coreVersionProblem(value: string, want: string): string | undefined {
  if (CORE_VERSION.test(value)) return undefined;
  return value !== '' && !/^v[0-9]/.test(value) && dns1123SubdomainProblem(value) === undefined
    ? `${want}; "${value}" looks like a group without a version`
    : `${want} (got "${value}")`;
}

/** What is wrong with an image override's registry, or undefined. */
export function registryProblem(value: string): string | undefined {
  if (REGISTRY.test(value)) return undefined;
  return value.includes('/')
    ? `must be a registry host with an optional port, such as "registry.example.com:5000" (got "${value}"); a path belongs in repository`
    : `must be a registry host with an optional port, such as "registry.example.com:5000" (got "${value}")`;
}

/** What is wrong with an image override's tag, or undefined. */
export function imageTagProblem(value: string): string | undefined {
  return IMAGE_TAG.test(value)
    ? undefined
    : `must be an image tag: up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-' (got "${value}")`;
}

/** What is wrong with an image override's repository, or undefined. */
export function repositoryProblem(value: string): string | undefined {
  return REPOSITORY.test(value)
    ? undefined
    : `must be a repository path of lower-case letters and digits, separated by '/', '.', '_' or '-', such as "team/web" (got "${value}")`;
}

/**
 * A label selector: label syntax (selectorSyntaxProblems), and each requirement's operator with
 * the values it needs (In and NotIn at least one, Exists and DoesNotExist none), as matching
 * would otherwise fail later.
 */
export function labelSelectorProblems(selector: unknown, field: string): string[] {
  if (!isObject(selector)) return [];
  const out = selectorSyntaxProblems(selector, field);
  list(selector['matchExpressions']).forEach((e, i) => {
    if (!isObject(e) || typeof e['operator'] !== 'string') return;
    const at = `${field}.matchExpressions[${i}]`;
    const operator = e['operator'];
    const count = list(e['values']).length;
    if (!SELECTOR_OPERATORS.includes(operator))
      out.push(`${at}.operator: "${operator}" is not one of ${SELECTOR_OPERATORS.join(', ')}`);
    else if ((operator === 'In' || operator === 'NotIn') && count === 0)
      out.push(`${at}.values: ${operator} needs at least one value`);
    else if ((operator === 'Exists' || operator === 'DoesNotExist') && count > 0)
      out.push(`${at}.values: ${operator} takes no values`);
  });
  return out;
}

/** A set of member clusters (targetClusters, allowedClusters, deniedClusters, placement). */
function clusterSetProblems(targets: unknown, field: string, needOne: boolean): string[] {
  if (!isObject(targets)) return [];
  const out: string[] = [];
  if (needOne && !present(targets, 'clusters') && !present(targets, 'clusterSelector'))
    out.push(`${field}: must have clusters or clusterSelector`);
  list(targets['clusters']).forEach((c, j) => {
    if (isObject(c) && c['name'] !== undefined) out.push(...nameProblems(c['name'], `${field}.clusters[${j}].name`));
  });
  out.push(...labelSelectorProblems(targets['clusterSelector'], `${field}.clusterSelector`));
  return out;
}

function selectorProblems(kind: PolicyKind, selector: unknown, field: string): string[] {
  if (!isObject(selector)) return [];
  const out: string[] = [];
  const apiVersion = selector['apiVersion'];
  if (typeof apiVersion === 'string') {
    const p = apiVersionProblem(apiVersion);
    if (p) out.push(`${field}.apiVersion: ${p}`);
  }
  if (kind === PROPAGATION_POLICY_KIND && 'namespace' in selector)
    out.push(
      `${field}.namespace: not allowed: a PropagationPolicy selects only in its own namespace (a ClusterPropagationPolicy selects in others)`,
    );
  else if (typeof selector['namespace'] === 'string') {
    const p = dns1123LabelProblem(selector['namespace']);
    if (p) out.push(`${field}.namespace: ${p}`);
  }
  out.push(...labelSelectorProblems(selector['labelSelector'], `${field}.labelSelector`));
  if (kind !== PLACEMENT_POLICY_KIND && 'namespaceSelector' in selector)
    out.push(
      `${field}.namespaceSelector: not allowed in a ${kind}: only a PlacementPolicy selects by the labels of namespaces`,
    );
  else out.push(...labelSelectorProblems(selector['namespaceSelector'], `${field}.namespaceSelector`));
  return out;
}

function imageProblems(image: unknown, field: string): string[] {
  if (!isObject(image)) return [];
  const out: string[] = [];
  if (!['registry', 'repository', 'tag'].some((k) => present(image, k)))
    out.push(`${field}: must have registry, repository or tag`);
  const checks: [string, (v: string) => string | undefined][] = [
    ['registry', registryProblem],
    ['repository', repositoryProblem],
    ['tag', imageTagProblem],
  ];
  for (const [key, check] of checks) {
    const value = image[key];
    const p = typeof value === 'string' ? check(value) : undefined;
    if (p) out.push(`${field}.${key}: ${p}`);
  }
  return out;
}

function annotationProblems(annotations: unknown, field: string): string[] {
  if (!isObject(annotations)) return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(annotations)) {
    const p = qualifiedNameProblem(k);
    if (p) out.push(`${field}: key "${k}" ${p}`);
    if (typeof v !== 'string') out.push(`${field}.${k}: must be a string (quote it)`);
  }
  return out;
}

function overrideProblems(override: unknown, field: string): string[] {
  if (!isObject(override)) return [];
  const out: string[] = [];
  if (!OVERRIDE_PARTS.some((k) => present(override, k)))
    out.push(`${field}: must have at least one of ${OVERRIDE_PARTS.join(', ')}`);
  out.push(...clusterSetProblems(override['targetClusters'], `${field}.targetClusters`, true));
  const seen = new Set<string>();
  list(override['clusterOverrides']).forEach((co, j) => {
    if (!isObject(co)) return;
    const at = `${field}.clusterOverrides[${j}]`;
    const op = co['op'];
    if (typeof op === 'string' && !OVERRIDE_OPS.includes(op))
      out.push(`${at}.op: "${op}" is not one of add, remove, replace`);
    const path = co['path'];
    if (typeof path !== 'string') return;
    if (!path.startsWith('/')) out.push(`${at}.path: must be a JSON pointer starting with "/" (got "${path}")`);
    else if (FORBIDDEN_OVERRIDE_PATHS.includes(path))
      out.push(`${at}.path: ${path} cannot be overridden: it identifies the object`);
    else if (seen.has(path)) out.push(`${at}.path: "${path}" appears more than once in this override`);
    seen.add(path);
  });
  out.push(...imageProblems(override['image'], `${field}.image`));
  out.push(...labelMapProblems(override['labels'], `${field}.labels`));
  out.push(...annotationProblems(override['annotations'], `${field}.annotations`));
  return out;
}

/** The RSP rules (validateRsp) for spec.replicaScheduling, as if it were the spec of a ReplicaSchedulingPreference. */
function replicaSchedulingProblems(scheduling: unknown): string[] {
  if (!isObject(scheduling)) return [];
  const v = validateRsp({
    kind: 'ReplicaSchedulingPreference',
    metadata: { name: 'policy' },
    spec: { ...scheduling, targetKind: RSP_TARGET_KINDS[0] },
  });
  return v.ok ? [] : v.issues.map((issue) => issue.replace(/^spec\./, 'spec.replicaScheduling.'));
}

function placementPolicyProblems(spec: Json): string[] {
  const out: string[] = [];
  if (!present(spec, 'allowedClusters') && !present(spec, 'deniedClusters'))
    out.push('spec: must have allowedClusters or deniedClusters');
  out.push(...clusterSetProblems(spec['allowedClusters'], 'spec.allowedClusters', true));
  out.push(...clusterSetProblems(spec['deniedClusters'], 'spec.deniedClusters', true));
  const enforcement = spec['enforcement'];
  if (present(spec, 'enforcement') && !(ENFORCEMENT_VALUES as readonly unknown[]).includes(enforcement))
    out.push(`spec.enforcement: must be ${ENFORCEMENT_VALUES.join(' or ')} (got ${JSON.stringify(enforcement)})`);
  return out;
}

function propagationPolicyProblems(spec: Json): string[] {
  // KubeFed's placement, where neither part means no cluster.
  const out = clusterSetProblems(spec['placement'], 'spec.placement', false);
  list(spec['overrides']).forEach((ov, i) => out.push(...overrideProblems(ov, `spec.overrides[${i}]`)));
  out.push(...replicaSchedulingProblems(spec['replicaScheduling']));
  return out;
}

/**
 * The problems of a policy document beyond its schema, as "field.path: problem" lines. `doc` is
 * the document after the schema check; parts of the wrong type are left to the schema's findings.
 */
export function policyProblems(kind: PolicyKind, doc: unknown): string[] {
  const o = isObject(doc) ? doc : {};
  const out: string[] = [];
  const namespace = isObject(o['metadata']) ? o['metadata']['namespace'] : undefined;
  const namespaceProblem =
    typeof namespace === 'string' && namespace !== '' ? dns1123LabelProblem(namespace) : undefined;
  if (kind === PROPAGATION_POLICY_KIND && namespaceProblem) out.push(`metadata.namespace: ${namespaceProblem}`);
  const spec = o['spec'];
  if (!isObject(spec)) return out;
  list(spec['resourceSelectors']).forEach((s, i) =>
    out.push(...selectorProblems(kind, s, `spec.resourceSelectors[${i}]`)),
  );
  out.push(...(kind === PLACEMENT_POLICY_KIND ? placementPolicyProblems(spec) : propagationPolicyProblems(spec)));
  return out;
}
