// Resolving a type name the way kubectl and kubefedctl do: plural, singular, kind, short name or
// plural.group, optionally restricted to one version. Pure.
import { UserError } from '../errors.js';
import type { ApiResource } from '../kube/discovery.js';

/** `plural` for the core group, `plural.group` otherwise (the FederatedTypeConfig name). */
export function groupQualifiedName(r: { plural: string; group: string }): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}

/** True when `key` names the resource: plural, singular, kind, plural.group or a short name (any case). */
export function nameMatchesResource(r: ApiResource, key: string): boolean {
  const k = key.toLowerCase();
  return (
    k === r.plural ||
    k === r.singular ||
    k === r.kind.toLowerCase() ||
    k === groupQualifiedName(r) ||
    r.shortNames.some((s) => s.toLowerCase() === k)
  );
}

/**
 * Finds the one resource `key` names. Core types win over others of the same name, as in
 * kubefedctl; several other matches are an error asking for `plural.group`.
 * Also accepts `plural.version.group` and `kind.version.group`, as kubectl does.
 */
export function lookupResource(resources: ApiResource[], key: string, version?: string): ApiResource {
  const candidates = resources.filter((r) => !r.plural.includes('/') && (!version || r.version === version));
  let matches = candidates.filter((r) => nameMatchesResource(r, key));
  if (matches.length === 0) {
    // kubectl's fully qualified form: deployments.v1.apps
    const [name, ver, ...group] = key.toLowerCase().split('.');
    if (name && ver && group.length > 0)
      matches = candidates.filter(
        (r) => r.version === ver && r.group === group.join('.') && nameMatchesResource(r, name),
      );
  }
  const core = matches.find((r) => r.group === '');
  if (core) return core;
  const distinct = [...new Set(matches.map((r) => groupQualifiedName(r)))];
  if (distinct.length > 1) {
    throw new UserError(
      `"${key}" matches several resource types: ${distinct.join(', ')}`,
      'name one of them with its group, e.g. plural.group',
    );
  }
  const found = matches[0];
  if (!found) {
    throw new UserError(
      `the server has no resource type "${key}"${version ? ` in version ${version}` : ''}`,
      "run 'kubectl api-resources' to list the types it has",
    );
  }
  return found;
}
