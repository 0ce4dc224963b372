// Checks of the control-plane documents read from files (FederatedTypeConfig, KubeFedConfig,
// ReplicaSchedulingPreference, the KubeFedClusters of --clusters, and the policies of
// policy.kubefed.io) against the project's own schemas/ (the schemas `kubefedctl init` installs as
// CRDs), plus the rules KubeFed's webhooks had and the policies' own rules (policy-checks.ts).
import { KUBEFED_CONFIG_NAME } from '../api/kubefed.js';
import { isPolicyKind, POLICY_KINDS, type PolicyKind } from '../api/policy.js';
import type { CrdIndexEntry, JsonSchema } from '../federation/crds.js';
import { controlPlaneSchema } from '../federation/control-plane-schemas.js';
import { loadCrdIndex, loadKubefedSchema } from '../federation/schema-files.js';
import { metadataProblems, nameProblems } from '../federation/validate.js';
import { validateRsp } from '../scheduling/rsp.js';
import { checkerOf, pruneNulls, unknownFields } from '../util/schema.js';
import { VALIDATORS } from '../util/schema-validators.generated.js';
import { didYouMean } from '../util/suggest.js';
import { noFindings, type Findings } from '../util/validate-mode.js';
import { policyProblems } from './policy-checks.js';

/** The control-plane kinds a -f input may hold besides federated objects. */
export const CONTROL_PLANE_KINDS = ['FederatedTypeConfig', 'KubeFedConfig', 'ReplicaSchedulingPreference'] as const;
/** The policy kinds (policy.kubefed.io) a -f input may hold; checked by checkControlPlaneDocument too. */
export const POLICY_CONTROL_PLANE_KINDS: readonly PolicyKind[] = POLICY_KINDS;
export type ControlPlaneKind = (typeof CONTROL_PLANE_KINDS)[number] | 'KubeFedCluster' | PolicyKind;

interface Compiled {
  entry: CrdIndexEntry;
  schema: JsonSchema;
  check: (doc: unknown) => { structural: string[]; rules: string[] };
}

const compiled = new Map<string, Compiled>();
let index: CrdIndexEntry[] | undefined;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The schema of a kind (controlPlaneSchema: the file's, as a -f input may use it) and its validator,
 * generated at build time from the same schema (scripts/gen-validators.mjs).
 */
function schemaOf(kind: ControlPlaneKind): Compiled {
  const hit = compiled.get(kind);
  if (hit) return hit;
  index ??= loadCrdIndex();
  const entry = index.find((e) => e.kind === kind);
  if (!entry) throw new Error(`schemas/index.json has no schema for ${kind}`);
  // Only the kinds a run meets are read: most runs meet two or three of the fourteen.
  const base = loadKubefedSchema(entry.schemaFile);
  const validate = VALIDATORS[kind];
  if (!validate) throw new Error(`no validator was generated for ${kind}: run npm run build`);
  const c: Compiled = { entry, schema: controlPlaneSchema(kind, base), check: checkerOf(validate) };
  compiled.set(kind, c);
  return c;
}

/** The apiVersion a kind of the KubeFed API has. */
export function apiVersionOf(kind: ControlPlaneKind): string {
  const { entry } = schemaOf(kind);
  return `${entry.group}/${entry.version}`;
}

/**
 * Checks one control-plane document. Returns the findings and the document with null members
 * pruned (as an API server would), and without metadata.namespace when the kind is cluster-scoped
 * (a warning says so). The input document is not changed.
 */
export function checkControlPlaneDocument(doc: unknown, kind: ControlPlaneKind): Findings & { doc: unknown } {
  const { entry, schema, check } = schemaOf(kind);
  const found = noFindings();
  const pruned = withoutNamespace(entry, pruneNulls(schema, doc), found);
  const o: Json = isObject(pruned) ? pruned : {};
  const want = `${entry.group}/${entry.version}`;
  if (o['apiVersion'] !== want)
    found.strict.push(
      `apiVersion: is ${JSON.stringify(o['apiVersion'] ?? null)}, want ${want} (the version kubefedctl's ${kind} schema describes)`,
    );
  const { structural, rules } = check(pruned);
  found.errors.push(...structural);
  found.strict.push(...rules);
  found.strict.push(...unknownFields(schema, pruned, didYouMean));
  const meta = isObject(o['metadata']) ? o['metadata'] : {};
  found.errors.push(...nameProblems(meta['name']));
  found.errors.push(...metadataProblems(meta));
  if (kind === 'FederatedTypeConfig') found.strict.push(...typeConfigRules(o));
  if (kind === 'KubeFedConfig') found.strict.push(...kubeFedConfigRules(o));
  if (kind === 'ReplicaSchedulingPreference') {
    const v = validateRsp(pruned);
    // The schema already said what is missing or of the wrong type; validateRsp adds the rest.
    if (!v.ok)
      for (const issue of v.issues) if (!found.errors.some((e) => sameField(e, issue))) found.errors.push(issue);
  }
  addPolicyFindings(kind, pruned, found);
  return { ...found, doc: pruned };
}

/** A cluster-scoped kind's document without metadata.namespace, with a warning when it had one. */
function withoutNamespace(entry: CrdIndexEntry, doc: unknown, found: Findings): unknown {
  if (entry.scope !== 'Cluster' || !isObject(doc) || !isObject(doc['metadata']) || !('namespace' in doc['metadata']))
    return doc;
  const { namespace, ...metadata } = doc['metadata'];
  if (namespace !== undefined && namespace !== null && namespace !== '')
    found.warnings.push(`metadata.namespace: ignored, ${entry.kind} is cluster-scoped`);
  return { ...doc, metadata };
}

/** For a policy kind, the policy rules (policy-checks.ts) after the schema's findings. */
function addPolicyFindings(kind: ControlPlaneKind, doc: unknown, found: Findings): void {
  if (!isPolicyKind(kind)) return;
  // The schema already said what is missing or of the wrong type; the policy rules add the rest.
  const schemaErrors = [...found.errors];
  for (const problem of policyProblems(kind, doc))
    if (!schemaErrors.some((e) => sameField(e, problem))) found.errors.push(problem);
  // A rule that names a field says more than the schema's line about it (an unknown field that a
  // PropagationPolicy selector may not have, a pattern, an enum).
  found.strict = found.strict.filter((s) => !found.errors.some((e) => sameField(e, s)));
}

function sameField(a: string, b: string): boolean {
  return a.slice(0, a.indexOf(':')) === b.slice(0, b.indexOf(':'));
}

/** KubeFed's webhook: the name is <target plural>[.<target group>]. */
function typeConfigRules(o: Json): string[] {
  const spec = isObject(o['spec']) ? o['spec'] : {};
  const target = isObject(spec['targetType']) ? spec['targetType'] : {};
  const name = isObject(o['metadata']) ? o['metadata']['name'] : undefined;
  if (typeof target['pluralName'] !== 'string' || typeof name !== 'string') return [];
  const want =
    typeof target['group'] === 'string' && target['group']
      ? `${target['pluralName']}.${target['group']}`
      : target['pluralName'];
  return name === want
    ? []
    : [`metadata.name: is "${name}", but a FederatedTypeConfig must be named after its target type: "${want}"`];
}

/** KubeFed's webhook: the object is named "kubefed", and no feature gate is listed twice. */
function kubeFedConfigRules(o: Json): string[] {
  const out: string[] = [];
  const name = isObject(o['metadata']) ? o['metadata']['name'] : undefined;
  if (typeof name === 'string' && name !== KUBEFED_CONFIG_NAME)
    out.push(`metadata.name: is "${name}", but the KubeFedConfig is always named "${KUBEFED_CONFIG_NAME}"`);
  const spec = isObject(o['spec']) ? o['spec'] : {};
  const gates = Array.isArray(spec['featureGates']) ? spec['featureGates'] : [];
  const seen = new Set<unknown>();
  gates.forEach((g, i) => {
    const n = isObject(g) ? g['name'] : undefined;
    if (n !== undefined && seen.has(n)) out.push(`spec.featureGates[${i}].name: ${JSON.stringify(n)} is listed twice`);
    seen.add(n);
  });
  return out;
}
