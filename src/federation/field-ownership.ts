// Who owns which fields of a live object (metadata.managedFields, FieldsV1), as far as deciding
// whether an apply could take a field from someone else. Pure.

import type { V1ManagedFieldsEntry } from '@kubernetes/client-node';
import type { Wire } from '../api/objects.js';

/** meta/v1 ManagedFieldsEntry on the wire (`time` a string; `fieldsV1` is `any` in the model). */
type ManagedFieldsEntry = Wire<V1ManagedFieldsEntry>;

/**
 * True when a field manager other than `ourManager` owns a field that `desired` sets. Status
 * (a subresource) never conflicts with an apply of the object. List items (`k:`, `v:`, `i:` keys)
 * are not matched one by one: owning any item of a list the desired object sets counts, so the
 * answer errs towards "maybe", which only costs a server-checked apply without force.
 */
export function othersOwnDesiredFields(
  managedFields: unknown[] | undefined,
  desired: unknown,
  ourManager: string,
): boolean {
  return ((managedFields ?? []) as ManagedFieldsEntry[]).some(
    (m) => m.manager !== ourManager && !m.subresource && overlaps(m.fieldsV1, desired),
  );
}

function overlaps(fields: unknown, desired: unknown): boolean {
  if (fields === null || typeof fields !== 'object' || desired === undefined || desired === null) return false;
  for (const [key, below] of Object.entries(fields as Record<string, unknown>)) {
    if (key === '.') continue;
    if (key.startsWith('f:')) {
      if (typeof desired !== 'object' || Array.isArray(desired)) continue;
      const value = (desired as Record<string, unknown>)[key.slice(2)];
      if (value === undefined) continue;
      const leaf = below === null || typeof below !== 'object' || Object.keys(below).length === 0;
      if (leaf || overlaps(below, value)) return true;
    } else if (Array.isArray(desired) && desired.length > 0) {
      return true;
    }
  }
  return false;
}
