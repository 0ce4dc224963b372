// Per-cluster overrides: KubeFed's JSON-patch subset (add / remove / replace). Pure.
//
// KubeFed (v0.10.0, pkg/controller/util/overrides.go) applied them with github.com/evanphx/json-patch
// v4.12.0+incompatible, whose rules differ from RFC 6902 in a few places: `replace` sets a missing
// member of an object, negative array indices count from the end, and array indices are read like
// Go's strconv.Atoi. A generic RFC 6902 library rejects what KubeFed accepted, so the rules are
// written out here; docs/propagation.md ("Overrides") has them as a table.
import type { Override } from './federated-object.js';
import { cloneJson } from '../util/objects.js';

/** Paths an override may not touch: they identify the object. */
export const FORBIDDEN_OVERRIDE_PATHS = ['/metadata/namespace', '/metadata/name', '/metadata/generateName', '/kind'];

export class OverrideError extends Error {
  override readonly name = 'OverrideError';
}

/** One checked override operation (the op already defaulted). */
export type OverrideOperation =
  { op: 'add' | 'replace'; path: string; value: unknown } | { op: 'remove'; path: string };

/** Override operations by cluster name. */
export type OverrideMap = Map<string, OverrideOperation[]>;

/** Checks and indexes `spec.overrides`; any problem makes the whole list unusable, as in KubeFed. */
export function parseOverrides(overrides: Override[] | undefined): OverrideMap {
  const map: OverrideMap = new Map();
  (overrides ?? []).forEach((o, i) => {
    const field = `spec.overrides[${i}]`;
    if (!o || typeof o.clusterName !== 'string' || o.clusterName === '')
      throw new OverrideError(`${field}.clusterName: must be a non-empty string`);
    if (map.has(o.clusterName)) throw new OverrideError(`${field}: cluster "${o.clusterName}" appears more than once`);
    const seen = new Set<string>();
    const ops: OverrideOperation[] = [];
    (o.clusterOverrides ?? []).forEach((co, j) => {
      const at = `${field}.clusterOverrides[${j}]`;
      if (typeof co?.path !== 'string' || !co.path.startsWith('/'))
        throw new OverrideError(`${at}.path: must be a JSON pointer starting with "/"`);
      if (FORBIDDEN_OVERRIDE_PATHS.includes(co.path))
        throw new OverrideError(`${at}.path: ${co.path} cannot be overridden`);
      if (seen.has(co.path))
        throw new OverrideError(`${at}.path: "${co.path}" appears more than once for cluster "${o.clusterName}"`);
      seen.add(co.path);
      const op = co.op === undefined || co.op === '' ? 'replace' : co.op;
      if (op === 'remove') ops.push({ op, path: co.path });
      else if (op === 'add' || op === 'replace') ops.push({ op, path: co.path, value: co.value });
      else throw new OverrideError(`${at}.op: "${co.op}" is not one of add, remove, replace`);
    });
    map.set(o.clusterName, ops);
  });
  return map;
}

/** What `applyOverrides` reads of an operation (any JSON-patch operation type fits). */
export interface OperationLike {
  readonly op: string;
  readonly path: string;
  readonly value?: unknown;
}

type JsonObject = Record<string, unknown>;
type Container = JsonObject | unknown[];
type Fail = (reason: string) => OverrideError;

/** The last step of one operation: what to do with `key` of the container the path leads to. */
interface Step {
  op: 'add' | 'remove' | 'replace';
  key: string;
  /** A copy of the operation's value (undefined for remove). */
  value: unknown;
  fail: Fail;
}

/**
 * Applies one cluster's operations in order to a copy of `obj`, with evanphx/json-patch v4's rules.
 * All or nothing: a failing operation throws an `OverrideError` naming its op and path, and `obj`
 * is never changed. The result shares nothing with `obj` or with the operations' values.
 */
export function applyOverrides<T>(obj: T, ops: readonly OperationLike[]): T {
  if (ops.length === 0) return obj;
  const doc = cloneJson(obj);
  for (const op of ops) applyOne(doc, op);
  return doc;
}

/**
 * applyOverrides on `doc` itself, for a caller that owns it (a fresh copy): spares a copy. `doc` is
 * left half-changed when an operation fails.
 */
export function applyOverridesInPlace<T>(doc: T, ops: readonly OperationLike[]): T {
  for (const op of ops) applyOne(doc, op);
  return doc;
}

function applyOne(doc: unknown, { op, path, value }: OperationLike): void {
  const fail: Fail = (reason) => new OverrideError(`cannot apply ${op} ${path}: ${reason}`);
  if (op !== 'add' && op !== 'remove' && op !== 'replace') throw fail(`"${op}" is not one of add, remove, replace`);
  if (!path.startsWith('/')) throw fail('the path must start with "/"');
  const tokens = path.slice(1).split('/');
  const key = unescapeToken(tokens.pop() ?? '');
  const parent = walk(doc, tokens, fail);
  // KubeFed serialised `value` with omitempty, so a missing value and null both put null.
  const step: Step = { op, key, value: op === 'remove' ? undefined : cloneJson(value ?? null), fail };
  if (Array.isArray(parent)) applyToArray(parent, step);
  else applyToObject(parent, step);
}

/** RFC 6901: `~1` is `/`, then `~0` is `~` (one pass, so `~01` is `~1`). */
function unescapeToken(token: string): string {
  return token.replace(/~[01]/g, (m) => (m === '~1' ? '/' : '~'));
}

function isContainer(x: unknown): x is Container {
  return typeof x === 'object' && x !== null;
}

/**
 * Follows every token but the last. Nothing is created on the way: a missing member, an index that
 * is not an element, `-`, null or a scalar on the way fails, for every op.
 */
function walk(doc: unknown, rawTokens: string[], fail: Fail): Container {
  if (!isContainer(doc)) throw fail('the document is not an object or array');
  let at: Container = doc;
  let where = '';
  for (const raw of rawTokens) {
    where += `/${raw}`;
    const token = unescapeToken(raw);
    const next = Array.isArray(at) ? elementOf(at, token) : ownMember(at, token);
    if (next === undefined) throw fail(`${where} does not exist`);
    if (next === null) throw fail(`${where} is null`);
    if (!isContainer(next)) throw fail(`${where} is not an object or array`);
    at = next;
  }
  return at;
}

function ownMember(obj: JsonObject, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

function elementOf(arr: unknown[], token: string): unknown {
  const idx = existingIndex(arr, token);
  return idx === undefined ? undefined : arr[idx];
}

/** An array index as Go's strconv.Atoi reads it: optional sign, decimal digits (leading zeros too). */
function parseIndex(token: string): number | undefined {
  return /^[+-]?[0-9]+$/.test(token) ? Number(token) : undefined;
}

/** The index of an existing element: 0…n-1, or -n…-1 counted from the end. */
function existingIndex(arr: unknown[], token: string): number | undefined {
  const idx = parseIndex(token);
  if (idx === undefined || idx >= arr.length || idx < -arr.length) return undefined;
  return idx < 0 ? idx + arr.length : idx;
}

function applyToObject(obj: JsonObject, { op, key, value, fail }: Step): void {
  if (op !== 'remove') {
    // add and replace both set the member, whether it exists or not (v4's replace does not check).
    Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
    return;
  }
  if (!Object.hasOwn(obj, key)) throw fail(`there is no member "${key}" to remove`);
  delete obj[key];
}

function applyToArray(arr: unknown[], step: Step): void {
  const { op, key, fail } = step;
  if (op === 'add') {
    addToArray(arr, step);
    return;
  }
  // replace and remove need an existing element: 0…n-1 or -n…-1; `-` is not one.
  const idx = existingIndex(arr, key);
  if (idx === undefined) {
    if (parseIndex(key) === undefined) throw fail(`"${key}" is not an array index`);
    throw fail(`index ${key} is out of range for an array of ${arr.length}`);
  }
  if (op === 'replace') arr[idx] = step.value;
  else arr.splice(idx, 1);
}

/** Inserts before index 0…n (n appends) or -(n+1)…-1 counted from the end (-1 appends); `-` appends. */
function addToArray(arr: unknown[], { key, value, fail }: Step): void {
  const n = arr.length;
  if (key === '-') {
    arr.push(value);
    return;
  }
  const idx = parseIndex(key);
  if (idx === undefined) throw fail(`"${key}" is not an array index`);
  if (idx > n || idx < -(n + 1))
    throw fail(`index ${key} is out of range for an array of ${n} (add takes ${-(n + 1)} to ${n}, or "-")`);
  arr.splice(idx < 0 ? idx + n + 1 : idx, 0, value);
}
