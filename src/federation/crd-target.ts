// A target type described by a CRD document (for `enable -f crd.yaml` without a server). Pure.
import { ValidationError } from '../errors.js';
import type { ApiResource } from '../kube/discovery.js';

interface CrdDoc {
  kind?: unknown;
  metadata?: { name?: unknown };
  spec?: {
    group?: unknown;
    scope?: unknown;
    names?: { kind?: unknown; plural?: unknown; singular?: unknown; shortNames?: unknown; categories?: unknown };
    versions?: {
      name?: unknown;
      served?: unknown;
      storage?: unknown;
      subresources?: { scale?: unknown; status?: unknown };
    }[];
  };
}

/** Reads the target type out of a CustomResourceDefinition; `version` picks one, else the storage version. */
export function targetFromCrd(doc: unknown, where: string, version?: string): ApiResource {
  const crd = doc as CrdDoc;
  const issues: string[] = [];
  const spec = crd.spec ?? {};
  const names = spec.names ?? {};
  const need = (v: unknown, field: string): string => {
    if (typeof v === 'string' && v !== '') return v;
    issues.push(`${field}: must be a non-empty string`);
    return '';
  };
  if (crd.kind !== 'CustomResourceDefinition')
    issues.push(`kind: is ${JSON.stringify(crd.kind)}, want CustomResourceDefinition (or EnableTypeDirective)`);
  const group = need(spec.group, 'spec.group');
  const kind = need(names.kind, 'spec.names.kind');
  const plural = need(names.plural, 'spec.names.plural');
  if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') issues.push('spec.scope: must be Namespaced or Cluster');
  const versions = Array.isArray(spec.versions) ? spec.versions : [];
  if (versions.length === 0) issues.push('spec.versions: must list at least one version');
  const chosen = version
    ? versions.find((v) => v.name === version)
    : (versions.find((v) => v.storage === true) ?? versions[0]);
  if (version && !chosen) issues.push(`spec.versions: has no version "${version}" (--version)`);
  if (issues.length > 0)
    throw new ValidationError(
      `${where} does not describe a type that can be federated`,
      issues.map((i) => `${where}: ${i}`),
    );
  return {
    group,
    version: typeof chosen?.name === 'string' ? chosen.name : '',
    kind,
    plural,
    namespaced: spec.scope === 'Namespaced',
    singular: typeof names.singular === 'string' ? names.singular : kind.toLowerCase(),
    shortNames: Array.isArray(names.shortNames)
      ? names.shortNames.filter((s): s is string => typeof s === 'string')
      : [],
    verbs: [],
    subresources: chosen?.subresources?.scale ? ['scale', 'status'] : chosen?.subresources?.status ? ['status'] : [],
    categories: [],
  };
}
