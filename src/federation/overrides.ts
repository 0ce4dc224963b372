// Per-cluster overrides: KubeFed's JSON-patch subset (add / remove / replace). Pure.
import jsonPatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import type { Override } from './federated-object.js';

/** Paths an override may not touch: they identify the object. */
export const FORBIDDEN_OVERRIDE_PATHS = ['/metadata/namespace', '/metadata/name', '/metadata/generateName', '/kind'];

export class OverrideError extends Error {
  override readonly name = 'OverrideError';
}

/** Override operations by cluster name. */
export type OverrideMap = Map<string, Operation[]>;

/** Checks and indexes `spec.overrides`; any problem makes the whole list unusable, as in KubeFed. */
export function parseOverrides(overrides: Override[] | undefined): OverrideMap {
  const map: OverrideMap = new Map();
  (overrides ?? []).forEach((o, i) => {
    const field = `spec.overrides[${i}]`;
    if (!o || typeof o.clusterName !== 'string' || o.clusterName === '')
      throw new OverrideError(`${field}.clusterName: must be a non-empty string`);
    if (map.has(o.clusterName)) throw new OverrideError(`${field}: cluster "${o.clusterName}" appears more than once`);
    const seen = new Set<string>();
    const ops: Operation[] = [];
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

/** Applies one cluster's operations in order to a copy of `obj`. */
export function applyOverrides<T>(obj: T, ops: Operation[]): T {
  if (ops.length === 0) return obj;
  try {
    // Clone the operations too: fast-json-patch puts `value` into the result by reference, and the
    // caller (render) writes into the result, which would otherwise change the federated object.
    return jsonPatch.applyPatch(obj, jsonPatch.deepClone(ops) as Operation[], true, false).newDocument;
  } catch (error) {
    const e = error as { message?: string; index?: number; operation?: Operation };
    const which = e.operation ? `${e.operation.op} ${e.operation.path}` : 'an override';
    throw new OverrideError(`cannot apply ${which}: ${(e.message ?? String(error)).split('\n')[0]}`);
  }
}
