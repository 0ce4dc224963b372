// render --output-dir: afterwards the folder holds exactly this run's objects, one folder per
// cluster. Everything is written to a sibling temporary folder first and swapped in, so a failed
// run leaves the previous output whole and a file of an object that left the input cannot linger.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { KubeObject } from '../../api/objects.js';
import { UserError } from '../../errors.js';
import { printYaml } from '../../output/yaml.js';

/** Marks a folder as render's own, so a later run may replace it. */
export const OUTPUT_MARKER = '.kubefedctl-render';

export type OutputDirFormat = 'yaml' | 'json';

/** File name of an object: `<kind>[.<group>]_[<namespace>_]<name>.<yaml|json>`. Pure. */
export function fileNameFor(o: KubeObject, format: OutputDirFormat = 'yaml'): string {
  const group = (o.apiVersion ?? '').includes('/') ? `.${(o.apiVersion ?? '').split('/')[0]}` : '';
  return `${(o.kind ?? 'object').toLowerCase()}${group}_${o.metadata.namespace ? `${o.metadata.namespace}_` : ''}${o.metadata.name ?? ''}.${format}`;
}

/**
 * True when a folder may be replaced: missing, empty, marked by an earlier render, or holding
 * only folders of .yaml/.json files (output of a render from before the marker).
 */
export function replaceable(dir: string): boolean {
  if (!existsSync(dir)) return true;
  if (!statSync(dir).isDirectory()) return false;
  const entries = readdirSync(dir, { withFileTypes: true });
  if (entries.some((e) => e.name === OUTPUT_MARKER)) return true;
  return entries.every(
    (e) => e.isDirectory() && readdirSync(join(dir, e.name)).every((f) => /\.(ya?ml|json)$/.test(f)),
  );
}

/** Prints objects in `format`; clusters with the same overrides share one rendered object, printed once. */
function printerFor(format: OutputDirFormat): (o: KubeObject) => string {
  const printed = new Map<KubeObject, string>();
  return (o) => {
    let text = printed.get(o);
    if (text === undefined)
      printed.set(o, (text = format === 'json' ? `${JSON.stringify(o, null, 2)}\n` : printYaml(o)));
    return text;
  };
}

/** Writes every cluster's objects and swaps the result in for `dir`. Returns the files written per cluster. */
export function writeOutputDir(
  dir: string,
  clusters: Map<string, KubeObject[]>,
  format: OutputDirFormat,
): Map<string, number> {
  const target = resolve(dir);
  if (!replaceable(target))
    throw new UserError(
      `--output-dir ${dir} exists and is not render's output: render replaces the whole folder, so it only writes into a new or empty folder, or one it wrote before`,
      'pass a new folder, or empty this one first',
    );
  const tag = `${process.pid}-${Date.now()}`;
  const staging = join(dirname(target), `.${basename(target)}.kubefedctl-new-${tag}`);
  const old = join(dirname(target), `.${basename(target)}.kubefedctl-old-${tag}`);
  const counts = new Map<string, number>();
  try {
    mkdirSync(staging, { recursive: true });
    writeFileSync(
      join(staging, OUTPUT_MARKER),
      'Written by kubefedctl render --output-dir; replaced whole on each run.\n',
    );
    const print = printerFor(format);
    for (const [cluster, objects] of clusters) {
      mkdirSync(join(staging, cluster));
      for (const o of objects) writeFileSync(join(staging, cluster, fileNameFor(o, format)), print(o));
      counts.set(cluster, objects.length);
    }
    if (existsSync(target)) renameSync(target, old);
    renameSync(staging, target);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (existsSync(old) && !existsSync(target)) renameSync(old, target); // the previous output, whole again
    const e = error as NodeJS.ErrnoException;
    throw new UserError(`cannot write --output-dir ${dir}: ${e.code ? `${e.code} ` : ''}${e.message}`);
  }
  rmSync(old, { recursive: true, force: true });
  return counts;
}
