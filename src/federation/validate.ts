// Validation of federated objects before anything is written: the federated CRD's own schema
// (placement, overrides, ...) plus the checks the schema cannot express. Pure.
import { compileValidator } from '../util/schema.js';
import type { FederatedObject } from './federated-object.js';
import { federatedCrd } from './federated-crd.js';
import { OverrideError, parseOverrides } from './overrides.js';
import { PlacementError, selectorMatches } from './placement.js';
import type { FederatedTypeConfig } from './typeconfig.js';
import { deleteOptionsOf } from './plan.js';

let validator: ((doc: unknown) => string[]) | undefined;

/** Every federated CRD has the same schema (retainReplicas aside), so one compiled validator serves all. */
function schemaValidator(ftc: FederatedTypeConfig): (doc: unknown) => string[] {
  if (!validator) {
    const crd = federatedCrd(ftc, { targetShortNames: [], scalable: true }) as unknown as {
      spec: { versions: { schema: { openAPIV3Schema: object } }[] };
    };
    validator = compileValidator(crd.spec.versions[0]!.schema.openAPIV3Schema);
  }
  return validator;
}

/** Every problem with one federated object, as "field: problem" lines; empty when it can be propagated. */
export function validateFederatedObject(doc: unknown, ftc: FederatedTypeConfig): string[] {
  const issues = schemaValidator(ftc)(doc);
  const obj = doc as FederatedObject;
  const name = obj?.metadata?.name;
  if (typeof name !== 'string' || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name) || name.length > 253)
    issues.push('metadata.name: must be a lower-case RFC 1123 subdomain');
  const namespaced = ftc.spec.federatedType.scope === 'Namespaced';
  if (namespaced && !obj?.metadata?.namespace)
    issues.push('metadata.namespace: is required for a namespaced federated type');
  if (!namespaced && obj?.metadata?.namespace)
    issues.push('metadata.namespace: must not be set for a cluster-scoped federated type');
  if (ftc.metadata.name === 'namespaces' && name && obj.metadata.namespace && name !== obj.metadata.namespace) {
    issues.push(
      `metadata.name: a FederatedNamespace must be named after the namespace it lives in ("${obj.metadata.namespace}")`,
    );
  }
  if (issues.length > 0) return issues;
  try {
    parseOverrides(obj.spec.overrides);
  } catch (error) {
    if (error instanceof OverrideError) issues.push(error.message);
    else throw error;
  }
  try {
    if (obj.spec.placement?.clusterSelector) selectorMatches(obj.spec.placement.clusterSelector, {});
  } catch (error) {
    if (error instanceof PlacementError)
      issues.push(`spec.placement.clusterSelector: ${error.message.replace(/^clusterSelector /, '')}`);
    else throw error;
  }
  try {
    deleteOptionsOf(obj);
  } catch (error) {
    if (error instanceof OverrideError) issues.push(`metadata.annotations: ${error.message}`);
    else throw error;
  }
  const tpl = obj.spec.template as { metadata?: { name?: unknown; namespace?: unknown } } | undefined;
  if (tpl?.metadata?.name !== undefined && tpl.metadata.name !== name)
    issues.push('spec.template.metadata.name: must be left out (the name comes from the federated object)');
  return issues;
}
