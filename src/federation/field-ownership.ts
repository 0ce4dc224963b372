// Who owns which fields of a live object (metadata.managedFields, FieldsV1): whether an apply
// could take a field from someone else, and moving our create's fields to our apply. Pure.

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

/**
 * True when metadata.managedFields show that no one else changed what `desired` sets since our
 * last write, so the object needs neither reading whole nor writing. Two things must hold:
 * - our own entries (apply or create) still own every field `desired` sets: another manager's
 *   change or removal of one of them takes it out of our set, and leaves no other trace when it
 *   only removed;
 * - no other manager wrote one of those fields at or after our last write. Times have one-second
 *   steps, so the same second counts as after; status (a subresource) is not the object's fields.
 * Only sound for kinds whose empty fields are dropped (built-in kinds): there, a field emptied by
 * someone else disappears from our set instead of staying as an owned empty value.
 */
export function unchangedSinceOurWrite(
  managedFields: unknown[] | undefined,
  desired: unknown,
  ourManager: string,
): boolean {
  const entries = (managedFields ?? []) as ManagedFieldsEntry[];
  const ours = entries.filter((m) => m.manager === ourManager && !m.subresource);
  if (ours.length === 0) return false;
  const lastWrite = Math.max(...ours.map((m) => timeOf(m)));
  if (!Number.isFinite(lastWrite)) return false;
  const touchedSince = entries.some(
    (m) => m.manager !== ourManager && !m.subresource && !(timeOf(m) < lastWrite) && overlaps(m.fieldsV1, desired),
  );
  if (touchedSince) return false;
  return ownsAll(
    ours.map((m) => asFields(m.fieldsV1)),
    desired,
  );
}

/** An entry's time in ms; NaN when it has none (then nothing can be concluded from it). */
function timeOf(m: ManagedFieldsEntry): number {
  return Date.parse(String(m.time ?? ''));
}

/**
 * Whether FieldsV1 nodes (one per entry of ours, as if united) own every field `value` sets. A
 * field whose nodes have no children is owned whole: a scalar, or an atomic struct, map or list.
 * Empty values are not fields the server keeps (as compare.ts's `holds`, which counts them absent).
 */
function ownsAll(nodes: FieldsV1[], value: unknown): boolean {
  if (nodes.length === 1) return ownsAllIn(nodes[0]!, value);
  if (nodes.every(isLeafNode)) return true;
  if (Array.isArray(value)) return ownsAllItems(nodes, value);
  if (value === null || typeof value !== 'object') return true;
  // Loops rather than array helpers: this runs for every field of every member object in a no-op run.
  for (const key in value) {
    const v = (value as Record<string, unknown>)[key];
    if (isUnset(v)) continue;
    const children = childrenOf(nodes, `f:${key}`);
    if (children.length === 0 || !ownsAll(children, v)) return false;
  }
  return true;
}

/**
 * ownsAll for one node, the usual case (our apply entry alone), without the per-field arrays: this
 * runs for every field of every member object in a no-op run.
 */
function ownsAllIn(node: FieldsV1, value: unknown): boolean {
  if (isLeafNode(node)) return true;
  if (Array.isArray(value)) return ownsAllItems([node], value);
  if (value === null || typeof value !== 'object') return true;
  for (const key in value) {
    const v = (value as Record<string, unknown>)[key];
    if (isUnset(v)) continue;
    const child = node[`f:${key}`];
    if (!child || !ownsAllIn(child, v)) return false;
  }
  return true;
}

/** The nodes' children under one key. */
function childrenOf(nodes: FieldsV1[], key: string): FieldsV1[] {
  const children: FieldsV1[] = [];
  for (const n of nodes) {
    const child = n[key];
    if (child) children.push(child);
  }
  return children;
}

/** ownsAll for a list: each item must be found (itemNode) and owned in full. */
function ownsAllItems(nodes: FieldsV1[], list: unknown[]): boolean {
  for (let i = 0; i < list.length; i++) {
    const items: FieldsV1[] = [];
    for (const n of nodes) {
      const item = itemNode(n, list[i], i);
      if (item) items.push(item);
    }
    if (items.length === 0 || !ownsAll(items, list[i])) return false;
  }
  return true;
}

/** A node with no children below it (`.` only marks its own path). */
function isLeafNode(node: FieldsV1): boolean {
  for (const key in node) if (key !== '.') return false;
  return true;
}

function isUnset(v: unknown): boolean {
  if (v === null || v === undefined || v === '' || v === false || v === 0) return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && Object.keys(v).length === 0;
}

/**
 * The node of one list item: `v:<value>` in a set, `k:{…}` in a list keyed by some of its fields
 * (matched on the key fields the item sets, since the server may have defaulted the others, such
 * as a port's protocol), or `i:<index>` in an atomic list of structs.
 */
function itemNode(list: FieldsV1, item: unknown, index: number): FieldsV1 | undefined {
  if (item === null || typeof item !== 'object') return list[`v:${JSON.stringify(item)}`];
  const byIndex = list[`i:${index}`];
  if (byIndex) return byIndex;
  const fields = item as Record<string, unknown>;
  for (const [key, node] of Object.entries(list)) {
    if (!key.startsWith('k:')) continue;
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(key.slice(2)) as Record<string, unknown>;
    } catch {
      continue;
    }
    const set = Object.entries(parsed).filter(([k]) => fields[k] !== undefined);
    if (set.length > 0 && set.every(([k, v]) => JSON.stringify(fields[k]) === JSON.stringify(v))) return node;
  }
  return undefined;
}

/**
 * meta/v1 FieldsV1: a trie of field paths (`f:name`, list items `k:{…}`, `v:…`, `i:N`). Below the
 * root, an empty node is a path in the set; `.` marks a path in the set that also has children.
 */
type FieldsV1 = { [key: string]: FieldsV1 };

function asFields(v: unknown): FieldsV1 {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as FieldsV1) : {};
}

/** The union of two FieldsV1 sets (as the API server's fieldpath.Set.Union). */
export function unionFieldsV1(a: unknown, b: unknown): FieldsV1 {
  return unionChildren(asFields(a), asFields(b));
}

function unionChildren(a: FieldsV1, b: FieldsV1): FieldsV1 {
  const out: FieldsV1 = {};
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (key === '.') continue;
    const x = a[key];
    const y = b[key];
    out[key] = x && y ? unionNode(asFields(x), asFields(y)) : structuredClone(asFields(x ?? y));
  }
  return out;
}

function unionNode(a: FieldsV1, b: FieldsV1): FieldsV1 {
  const children = unionChildren(a, b);
  if (Object.keys(children).length === 0) return {};
  return isMember(a) || isMember(b) ? { '.': {}, ...children } : children;
}

/** Below the root: whether the node's own path is in the set. */
function isMember(node: FieldsV1): boolean {
  return Object.keys(node).length === 0 || '.' in node;
}

const ours = (m: ManagedFieldsEntry, manager: string, operation: 'Apply' | 'Update') =>
  m.manager === manager && m.operation === operation && !m.subresource;

/**
 * The managedFields with the fields `manager`'s create owns moved into its server-side apply
 * entry, or undefined when there is nothing to move. A create (POST) records its fields under the
 * manager with operation Update; an apply only removes fields its own Apply entry owned, so without
 * the move a field the template stops setting would stay in the object for ever. As client-go's
 * csaupgrade: the Update entries of `apiVersion` are merged into the Apply entry (made from the
 * first of them when there is none) and dropped; other managers' entries stay as they are. Entries
 * of another apiVersion cannot be merged field by field, so then nothing is moved.
 */
export function createOwnershipMovedToApply(
  managedFields: unknown[] | undefined,
  manager: string,
  apiVersion: string,
): ManagedFieldsEntry[] | undefined {
  const entries = (managedFields ?? []) as ManagedFieldsEntry[];
  const updates = entries.filter((m) => ours(m, manager, 'Update') && m.apiVersion === apiVersion);
  const applyAt = entries.findIndex((m) => ours(m, manager, 'Apply'));
  const apply = entries[applyAt];
  if (updates.length === 0 || (apply && apply.apiVersion !== apiVersion)) return undefined;
  const merged: ManagedFieldsEntry = {
    ...(apply ?? updates[0]),
    operation: 'Apply',
    fieldsType: 'FieldsV1',
    fieldsV1: updates.reduce<FieldsV1>((set, u) => unionFieldsV1(set, u.fieldsV1), asFields(apply?.fieldsV1)),
  };
  const at = apply ? applyAt : entries.indexOf(updates[0]!);
  return entries.flatMap((m, i) => (i === at ? [merged] : updates.includes(m) ? [] : [m]));
}

/** Past this many different field sets, a pool shares the ones it has and keeps no more. */
const MAX_POOLED_FIELD_SETS = 4096;

/**
 * Shares equal FieldsV1 sets among the live objects of a run. A fleet's lists repeat a few sets
 * over and over (every ConfigMap with the same keys, in every cluster), and held once each, the
 * metadata of 5,000 objects takes half the memory. Safe because nothing changes a live object's
 * field sets: everything above builds new ones. Bounded: the key of each set is its JSON.
 */
export class FieldSetPool {
  private readonly sets = new Map<string, unknown>();

  /** Points `object`'s managedFields at the pool's copy of each of their field sets. */
  share(object: { metadata: { managedFields?: unknown[] } }): void {
    const entries = object.metadata.managedFields;
    if (!entries) return;
    for (const entry of entries as ManagedFieldsEntry[]) {
      if (entry.fieldsV1 === undefined) continue;
      const key = JSON.stringify(entry.fieldsV1);
      const pooled: unknown = this.sets.get(key);
      if (pooled !== undefined) entry.fieldsV1 = pooled;
      else if (this.sets.size < MAX_POOLED_FIELD_SETS) this.sets.set(key, entry.fieldsV1);
    }
  }
}
