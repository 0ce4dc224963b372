// kubectl-style printers for objects and for the results of writes.
import type { DryRun, KubeObject } from '../api/objects.js';
import { maskSecretValues } from '../util/secrets.js';

import type { OutputFormat } from './formats.js';
import { printYaml } from './yaml.js';
import { writeJson } from '../util/json.js';
import { objectRef, type ObjectResult } from '../api/results.js';

/**
 * Prints objects: one YAML/JSON document (a v1 List when there are several), or one name per line.
 * Secret values are printed as "***" (keys stay), unless `showSecretValues` is set: only for the
 * manifests `federate` produces, which are meant to be applied (docs/adr/0004-secrets-in-output.md).
 */
export function printObjects(
  objects: KubeObject[],
  format: OutputFormat,
  out: (t: string) => void,
  opts: { showSecretValues?: boolean } = {},
): void {
  if (format === 'name') {
    for (const o of objects) out(`${objectRef(o)}\n`);
    return;
  }
  const printed = opts.showSecretValues ? objects : objects.map((o) => maskSecretValues(o));
  const doc =
    printed.length === 1
      ? printed[0]
      : { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items: printed };
  if (format === 'json') writeJson(doc, 4, out);
  else out(printYaml(doc));
}

/** What every printed write line ends with in a dry run, as kubectl words it. */
export function dryRunSuffix(dryRun: DryRun): string {
  return dryRun === 'client' ? ' (dry run)' : dryRun === 'server' ? ' (server dry run)' : '';
}

/** Prints one line per write result: `[cluster: ]kind.group/name verb[ (dry run)]`. */
export function printResults(results: ObjectResult[], out: (t: string) => void, dryRun: DryRun): void {
  const suffix = dryRunSuffix(dryRun);
  for (const r of results)
    out(`${r.cluster ? `${r.cluster}: ` : ''}${r.ref} ${r.verb}${suffix}${r.note ? ` (${r.note})` : ''}\n`);
}
