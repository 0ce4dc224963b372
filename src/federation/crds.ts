/**
 * Builds the CustomResourceDefinitions that `kubefedctl init` installs from `schemas/index.json`
 * and the per-kind schema files. Pure: callers pass in already-parsed JSON (see schema-files.ts).
 */
import type {
  V1CustomResourceColumnDefinition,
  V1CustomResourceDefinitionSpec,
  V1CustomResourceDefinitionVersion,
} from '@kubernetes/client-node';

export type JsonSchemaType = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';

/**
 * The OpenAPI v3 subset accepted in a CRD's openAPIV3Schema (also valid JSON Schema for ajv).
 * Ours, not client-node's V1JSONSchemaProps: that model renames the keywords that are not JavaScript
 * names (`$ref` → `ref`, `enum` → `_enum`, `default` → `_default`, `x-kubernetes-*` →
 * `x_kubernetes_*`) and maps them back in its own serialiser, so it does not describe the JSON.
 */
export interface JsonSchema {
  type?: JsonSchemaType;
  description?: string;
  format?: string;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  required?: string[];
  enum?: unknown[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  not?: JsonSchema;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  [keyword: string]: unknown;
}

export type ResourceScope = 'Cluster' | 'Namespaced';

/** apiextensions/v1 CustomResourceColumnDefinition, its `type` narrowed to the values the API server accepts. */
export type PrinterColumn = V1CustomResourceColumnDefinition & {
  type: 'integer' | 'number' | 'string' | 'boolean' | 'date';
};

/** One entry of `schemas/index.json`: everything about a kind except its schema. */
export interface CrdIndexEntry {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  categories?: string[];
  scope: ResourceScope;
  /** File name relative to `schemas/`. */
  schemaFile: string;
  subresources: { status?: boolean };
  printerColumns: PrinterColumn[];
}

/** apiextensions/v1 CustomResourceDefinitionVersion with the schema as JSON (see JsonSchema). */
export type CustomResourceDefinitionVersion = Omit<
  V1CustomResourceDefinitionVersion,
  'schema' | 'additionalPrinterColumns'
> & {
  schema: { openAPIV3Schema: JsonSchema };
  additionalPrinterColumns?: PrinterColumn[];
};

/**
 * A CustomResourceDefinition as this tool builds it: client-node's spec model with the schema as
 * JSON, the scope narrowed, and the fields a built CRD always has made required. No metadata
 * timestamps and no status: those are the server's.
 */
export interface CustomResourceDefinition {
  apiVersion: 'apiextensions.k8s.io/v1';
  kind: 'CustomResourceDefinition';
  metadata: { name: string };
  spec: Omit<V1CustomResourceDefinitionSpec, 'scope' | 'versions'> & {
    scope: ResourceScope;
    versions: CustomResourceDefinitionVersion[];
  };
}

/** Returns the CRD object name, `<plural>.<group>`. */
export function crdName(entry: Pick<CrdIndexEntry, 'plural' | 'group'>): string {
  return `${entry.plural}.${entry.group}`;
}

/**
 * Builds the apiextensions.k8s.io/v1 CRD for one index entry, embedding a copy of its schema.
 * Throws if the schema's root is not an object schema.
 */
export function buildCrd(entry: CrdIndexEntry, schema: JsonSchema): CustomResourceDefinition {
  if (schema.type !== 'object') {
    throw new Error(`schema ${entry.schemaFile} for ${entry.kind}: root must have type "object"`);
  }
  // `$schema`/`$id` help ajv but are not part of a CRD's openAPIV3Schema.
  const { $schema: _schemaUri, $id: _id, ...openAPIV3Schema } = structuredClone(schema);
  const version: CustomResourceDefinitionVersion = {
    name: entry.version,
    served: true,
    storage: true,
    schema: { openAPIV3Schema },
  };
  if (entry.subresources.status === true) version.subresources = { status: {} };
  if (entry.printerColumns.length > 0) {
    version.additionalPrinterColumns = entry.printerColumns.map((column) => ({ ...column }));
  }

  const names: CustomResourceDefinition['spec']['names'] = {
    kind: entry.kind,
    listKind: `${entry.kind}List`,
    plural: entry.plural,
    singular: entry.singular,
  };
  if (entry.shortNames.length > 0) names.shortNames = [...entry.shortNames];
  if (entry.categories !== undefined && entry.categories.length > 0) names.categories = [...entry.categories];

  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: crdName(entry) },
    spec: { group: entry.group, names, scope: entry.scope, versions: [version] },
  };
}

/**
 * Builds every CRD listed in the index, in index order. `schemasByFile` maps an entry's
 * `schemaFile` to its parsed schema; a missing file is an error.
 */
export function buildKubefedCrds(
  index: readonly CrdIndexEntry[],
  schemasByFile: ReadonlyMap<string, JsonSchema>,
): CustomResourceDefinition[] {
  return index.map((entry) => {
    const schema = schemasByFile.get(entry.schemaFile);
    if (schema === undefined) {
      throw new Error(`no schema loaded for ${entry.kind} (expected schemas/${entry.schemaFile})`);
    }
    return buildCrd(entry, schema);
  });
}

/**
 * Checks parsed `schemas/index.json` content and returns it typed. Throws an Error naming the
 * first offending entry and field.
 */
export function parseCrdIndex(json: unknown): CrdIndexEntry[] {
  if (!Array.isArray(json)) throw new Error('schemas/index.json: expected an array');
  return json.map((raw: unknown, i) => {
    const where = `schemas/index.json[${i}]`;
    if (!isRecord(raw)) throw new Error(`${where}: expected an object`);
    const text = (field: string): string => {
      const value = raw[field];
      if (typeof value !== 'string' || value === '') throw new Error(`${where}.${field}: expected a non-empty string`);
      return value;
    };
    const texts = (field: string): string[] => {
      const value = raw[field] ?? [];
      if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string')) {
        throw new Error(`${where}.${field}: expected a list of strings`);
      }
      return value;
    };
    const scope = text('scope');
    if (scope !== 'Cluster' && scope !== 'Namespaced') throw new Error(`${where}.scope: must be Cluster or Namespaced`);
    const subresources = raw['subresources'] ?? {};
    if (!isRecord(subresources)) throw new Error(`${where}.subresources: expected an object`);
    const columns = raw['printerColumns'] ?? [];
    if (!Array.isArray(columns)) throw new Error(`${where}.printerColumns: expected a list`);

    const entry: CrdIndexEntry = {
      group: text('group'),
      version: text('version'),
      kind: text('kind'),
      plural: text('plural'),
      singular: text('singular'),
      shortNames: texts('shortNames'),
      scope,
      schemaFile: text('schemaFile'),
      subresources: subresources['status'] === true ? { status: true } : {},
      printerColumns: columns.map((column: unknown, j) => parsePrinterColumn(column, `${where}.printerColumns[${j}]`)),
    };
    if (raw['categories'] !== undefined) entry.categories = texts('categories');
    return entry;
  });
}

const COLUMN_TYPES: readonly PrinterColumn['type'][] = ['integer', 'number', 'string', 'boolean', 'date'];

function parsePrinterColumn(raw: unknown, where: string): PrinterColumn {
  if (!isRecord(raw)) throw new Error(`${where}: expected an object`);
  const { name, type, jsonPath, description, format, priority } = raw;
  if (typeof name !== 'string' || typeof jsonPath !== 'string') {
    throw new Error(`${where}: name and jsonPath must be strings`);
  }
  const columnType = COLUMN_TYPES.find((t) => t === type);
  if (columnType === undefined) throw new Error(`${where}.type: must be one of ${COLUMN_TYPES.join(', ')}`);
  const column: PrinterColumn = { name, type: columnType, jsonPath };
  if (typeof description === 'string') column.description = description;
  if (typeof format === 'string') column.format = format;
  if (typeof priority === 'number') column.priority = priority;
  return column;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
