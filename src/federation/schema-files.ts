/**
 * Reads `schemas/` from the package root. The only I/O around crds.ts; nothing runs at import time.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { PACKAGE_ROOT } from '../version.js';
import { buildKubefedCrds, parseCrdIndex } from './crds.js';
import type { CrdIndexEntry, CustomResourceDefinition, JsonSchema } from './crds.js';

/** Absolute path of the package's `schemas/` directory. */
export function schemasDir(): string {
  return fileURLToPath(new URL('schemas/', PACKAGE_ROOT));
}

/** Reads and checks `schemas/index.json`. */
export function loadCrdIndex(): CrdIndexEntry[] {
  return parseCrdIndex(readJson('index.json'));
}

/** Reads every schema file named in the index, keyed by file name. */
export function loadKubefedSchemas(index: readonly CrdIndexEntry[] = loadCrdIndex()): Map<string, JsonSchema> {
  return new Map(index.map((entry) => [entry.schemaFile, loadKubefedSchema(entry.schemaFile)]));
}

/** Reads one schema file of the index (`schemaFile`). */
export function loadKubefedSchema(schemaFile: string): JsonSchema {
  const json = readJson(schemaFile);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new Error(`schemas/${schemaFile}: expected a JSON object`);
  }
  return json as JsonSchema;
}

/** Returns the CRDs that `kubefedctl init` installs, built from the files under `schemas/`. */
export function loadKubefedCrds(): CustomResourceDefinition[] {
  const index = loadCrdIndex();
  return buildKubefedCrds(index, loadKubefedSchemas(index));
}

function readJson(fileName: string): unknown {
  const path = join(schemasDir(), fileName);
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (err) {
    throw new Error(`cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}
