// The `yaml` package, loaded when first needed. Most runs never need it: the fast readers
// (util/yaml-fast.ts) take JSON and plain YAML, and JSON output is printed without it. Loading it
// at start-up cost about 15 ms of CPU on every run, a twentieth of a replayed no-op.
//
// It is loaded with require (its CommonJS build) so that synchronous readers can fall back on it.
// Run from tsc's output that is the package in node_modules; the bundle's build (scripts/build.mjs)
// writes the package as one file beside its chunks and names it here, so the bundle needs no
// node_modules.
import { createRequire } from 'node:module';

export type Yaml = typeof import('yaml');

/** Set by the bundle's build: the file, beside the chunks, that holds the package. */
declare const KUBEFEDCTL_BUNDLED_YAML: string | undefined;

let loaded: Yaml | undefined;

export function yamlPackage(): Yaml {
  loaded ??= createRequire(import.meta.url)(
    typeof KUBEFEDCTL_BUNDLED_YAML === 'string' ? KUBEFEDCTL_BUNDLED_YAML : 'yaml',
  ) as Yaml;
  return loaded;
}
