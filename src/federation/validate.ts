// Validation of federated objects before anything is written: the federated CRD's own schema
// (placement, overrides, ...), unknown fields outside the template, names and labels with
// Kubernetes' syntax, and the checks the schema cannot express. Pure.
import { pruneNulls, unknownFields, validatorOf } from '../util/schema.js';
import { VALIDATORS } from '../util/schema-validators.generated.js';
import {
  dns1123LabelProblem,
  dns1123SubdomainProblem,
  labelMapProblems,
  labelValueProblem,
  qualifiedNameProblem,
} from '../util/names.js';
import { didYouMean } from '../util/suggest.js';
import { noFindings, settle, type Findings } from '../util/validate-mode.js';
import type { FederatedObject } from './federated-object.js';
import { federatedObjectSchema } from './federated-crd.js';
import { OverrideError, parseOverrides } from './overrides.js';
import { PlacementError, selectorMatches } from './placement.js';
import type { FederatedTypeConfig } from './typeconfig.js';
import { deleteOptionsOf } from './plan.js';

let compiled: { schema: object; validate: (doc: unknown) => string[] } | undefined;

/**
 * Every federated CRD has the same schema (retainReplicas aside, which is allowed here), so one
 * validator serves all; it is generated at build time from federatedObjectSchema(true).
 */
function federatedSchema(): { schema: object; validate: (doc: unknown) => string[] } {
  compiled ??= { schema: federatedObjectSchema(true), validate: validatorOf(VALIDATORS['federatedObject']!) };
  return compiled;
}

/** What checking one federated object found, and the object as it will be used. */
export interface FederatedObjectCheck extends Findings {
  /**
   * The object with what an API server would drop dropped: null members the schema declares
   * (`overrides:` with nothing after it) and a namespace on a cluster-scoped object. The document
   * itself when nothing was dropped.
   */
  object: FederatedObject;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The problems of a metadata.name: required, and an RFC 1123 subdomain. */
export function nameProblems(name: unknown, field = 'metadata.name'): string[] {
  if (name === undefined || name === null || name === '') return [`${field}: is required`];
  if (typeof name !== 'string') return [`${field}: must be a string`];
  const p = dns1123SubdomainProblem(name);
  return p ? [`${field}: ${p}`] : [];
}

/** Labels and annotations of an object's metadata: label syntax for labels, qualified-name keys and string values for annotations. */
export function metadataProblems(meta: unknown): string[] {
  if (!isObject(meta)) return [];
  const out = labelMapProblems(meta['labels'], 'metadata.labels');
  const annotations = meta['annotations'];
  if (annotations !== undefined && annotations !== null) {
    if (!isObject(annotations)) out.push('metadata.annotations: must map keys to string values');
    else
      for (const [k, v] of Object.entries(annotations)) {
        const p = qualifiedNameProblem(k);
        if (p) out.push(`metadata.annotations: key "${k}" ${p}`);
        if (typeof v !== 'string') out.push(`metadata.annotations.${k}: must be a string (quote it)`);
      }
  }
  return out;
}

/** Label syntax in a cluster selector: keys and values of matchLabels, keys and values of matchExpressions. */
export function selectorSyntaxProblems(selector: unknown, field: string): string[] {
  if (!isObject(selector)) return [];
  const out = labelMapProblems(selector['matchLabels'], `${field}.matchLabels`);
  const expressions: unknown[] = Array.isArray(selector['matchExpressions']) ? selector['matchExpressions'] : [];
  expressions.forEach((e, i) => {
    if (!isObject(e)) return;
    const at = `${field}.matchExpressions[${i}]`;
    const key = e['key'];
    const keyProblem = typeof key === 'string' ? qualifiedNameProblem(key) : undefined;
    if (keyProblem) out.push(`${at}.key: "${String(key)}" ${keyProblem}`);
    const values: unknown[] = Array.isArray(e['values']) ? e['values'] : [];
    values.forEach((v, j) => {
      const p = typeof v === 'string' ? labelValueProblem(v) : undefined;
      if (p) out.push(`${at}.values[${j}]: "${String(v)}" ${p}`);
    });
  });
  return out;
}

/**
 * Every problem with one federated object. `errors` make it unusable; `strict` ones (unknown fields,
 * a template of another API group) follow --validate; `warnings` are reported and the object is used
 * (a namespace on a cluster-scoped object is dropped, a template namespace is ignored).
 */
export function checkFederatedObject(doc: unknown, ftc: FederatedTypeConfig): FederatedObjectCheck {
  const { schema, validate } = federatedSchema();
  const found = noFindings();
  let obj = pruneNulls(schema, doc) as FederatedObject;
  found.errors.push(...validate(obj));
  found.strict.push(...unknownFields(schema, obj, didYouMean));
  obj = identityProblems(obj, ftc, found);
  if (found.errors.length > 0) return { ...found, object: obj };
  try {
    parseOverrides(obj.spec.overrides);
  } catch (error) {
    if (error instanceof OverrideError) found.errors.push(error.message);
    else throw error;
  }
  found.errors.push(...placementProblems(obj));
  try {
    deleteOptionsOf(obj);
  } catch (error) {
    if (error instanceof OverrideError) found.errors.push(`metadata.annotations: ${error.message}`);
    else throw error;
  }
  templateProblems(obj, ftc, found);
  return { ...found, object: obj };
}

/** Name, namespace, labels and annotations; returns the object without a namespace its type cannot have. */
function identityProblems(obj: FederatedObject, ftc: FederatedTypeConfig, found: Findings): FederatedObject {
  const meta: Json = isObject(obj?.metadata) ? obj.metadata : {};
  const name = meta['name'];
  const namespace = meta['namespace'];
  found.errors.push(...nameProblems(name), ...metadataProblems(meta));
  const namespaced = ftc.spec.federatedType.scope === 'Namespaced';
  if (namespaced) found.errors.push(...namespaceProblems(namespace));
  if (ftc.metadata.name === 'namespaces' && name && namespace && name !== namespace) {
    found.errors.push(
      `metadata.name: a FederatedNamespace must be named after the namespace it lives in (${JSON.stringify(namespace)})`,
    );
  }
  if (namespaced || namespace === undefined) return obj;
  found.warnings.push(
    `metadata.namespace: ${JSON.stringify(namespace)} is ignored: ${ftc.spec.federatedType.kind} is cluster-scoped, so the object has no namespace`,
  );
  const { namespace: _dropped, ...rest } = meta;
  return { ...obj, metadata: rest };
}

function namespaceProblems(namespace: unknown): string[] {
  if (namespace === undefined || namespace === '')
    return ['metadata.namespace: is required for a namespaced federated type'];
  if (typeof namespace !== 'string') return ['metadata.namespace: must be a string'];
  const p = dns1123LabelProblem(namespace);
  return p ? [`metadata.namespace: ${p}`] : [];
}

function placementProblems(obj: FederatedObject): string[] {
  const out: string[] = [];
  const placement = obj.spec.placement;
  (placement?.clusters ?? []).forEach((c, i) =>
    out.push(...nameProblems(c.name, `spec.placement.clusters[${i}].name`)),
  );
  const selector = placement?.clusterSelector;
  if (selector) {
    out.push(...selectorSyntaxProblems(selector, 'spec.placement.clusterSelector'));
    try {
      selectorMatches(selector, {});
    } catch (error) {
      if (error instanceof PlacementError)
        out.push(`spec.placement.clusterSelector: ${error.message.replace(/^clusterSelector /, '')}`);
      else throw error;
    }
  }
  return out;
}

/** The template must describe the federated kind's target, under the federated object's name. */
function templateProblems(obj: FederatedObject, ftc: FederatedTypeConfig, found: Findings): void {
  const tpl = obj.spec.template;
  if (!isObject(tpl)) return;
  const target = ftc.spec.targetType;
  const kind = tpl['kind'];
  if (kind !== undefined && kind !== target.kind)
    found.errors.push(
      `spec.template.kind: is ${JSON.stringify(kind)}, but a ${ftc.spec.federatedType.kind} holds a ${target.kind} (leave kind out, or use the federated kind of ${JSON.stringify(kind)})`,
    );
  const group = groupOf(tpl['apiVersion']);
  if (group !== undefined && group !== (target.group ?? ''))
    found.strict.push(
      `spec.template.apiVersion: ${JSON.stringify(tpl['apiVersion'])} is not in the API group of ${target.kind} (${JSON.stringify(target.group ?? '')}); leave apiVersion out or use ${target.group ? `${target.group}/` : ''}${target.version}`,
    );
  const tmeta = isObject(tpl['metadata']) ? tpl['metadata'] : {};
  if (tmeta['name'] !== undefined && tmeta['name'] !== obj.metadata.name)
    found.errors.push('spec.template.metadata.name: must be left out (the name comes from the federated object)');
  if (tmeta['namespace'] !== undefined && tmeta['namespace'] !== obj.metadata.namespace)
    found.warnings.push(
      `spec.template.metadata.namespace: ${JSON.stringify(tmeta['namespace'])} is ignored: the namespace comes from the federated object (${JSON.stringify(obj.metadata.namespace ?? '')})`,
    );
}

/** The API group of an apiVersion ("" for the core group), or undefined when it is not a string. */
function groupOf(apiVersion: unknown): string | undefined {
  if (typeof apiVersion !== 'string') return undefined;
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** Every problem with one federated object as strict validation sees it; empty when it can be propagated. */
export function validateFederatedObject(doc: unknown, ftc: FederatedTypeConfig): string[] {
  return settle(checkFederatedObject(doc, ftc), 'strict').errors;
}
