// JSON Schema validation of Kubernetes-style documents, with issues as "field.path: problem": the
// validation functions are ajv's, generated at build time (no ajv at run time), and the field walkers.
import type { ErrorObject } from 'ajv';

/**
 * A validation function as ajv compiles it (at build time: scripts/gen-validators.mjs writes them to
 * schema-validators.generated.ts): true when the document is valid, else `errors` says why.
 */
export interface CompiledSchema {
  (doc: unknown): boolean;
  errors?: ErrorObject[] | null;
}

/** "spec.placement.clusters[0].name" from ajv's "/spec/placement/clusters/0/name". */
function fieldPath(e: ErrorObject): string {
  const parts = e.instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (e.keyword === 'required') parts.push(String((e.params as { missingProperty: string }).missingProperty));
  return parts.reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '') || '(document)';
}

/** Turns ajv errors into one line per field. */
export function schemaIssues(errors: ErrorObject[] | null | undefined): string[] {
  return [
    ...new Set(
      (errors ?? []).map(
        (e) => `${fieldPath(e)}: ${e.keyword === 'required' ? 'is required' : (e.message ?? 'is invalid')}`,
      ),
    ),
  ];
}

/** A function returning the issues of a document (empty when valid). */
export function validatorOf(validate: CompiledSchema): (doc: unknown) => string[] {
  return (doc) => (validate(doc) ? [] : schemaIssues(validate.errors));
}

/** The part of a JSON Schema the field walkers read. */
interface FieldSchema {
  type?: unknown;
  properties?: Record<string, FieldSchema>;
  additionalProperties?: boolean | FieldSchema;
  items?: FieldSchema;
  nullable?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
}

/** The fields of meta/v1 ObjectMeta that an object in a file may carry. */
export const OBJECT_META_FIELDS = [
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
] as const;

const ANY: FieldSchema = { 'x-kubernetes-preserve-unknown-fields': true };
const META_SCHEMA: FieldSchema = {
  type: 'object',
  properties: Object.fromEntries(OBJECT_META_FIELDS.map((f) => [f, ANY])),
};

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const join = (path: string, key: string): string => (path ? `${path}.${key}` : key);

/** The schema of a member: metadata of a top-level object is ObjectMeta even where the schema says only "object". */
function memberSchema(schema: FieldSchema, key: string, top: boolean): FieldSchema | undefined {
  const s = schema.properties?.[key];
  if (top && key === 'metadata' && (!s || !s.properties)) return META_SCHEMA;
  if (s) return s;
  return typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
}

/** True when an object under this schema may hold any member (no properties declared, or open). */
function isOpen(schema: FieldSchema): boolean {
  return (
    schema['x-kubernetes-preserve-unknown-fields'] === true ||
    schema.additionalProperties === true ||
    (!schema.properties && schema.additionalProperties === undefined)
  );
}

/**
 * Members a structural schema does not declare, which an API server would prune silently, as
 * `field: unknown field` lines, with a suggestion when the name looks like a typo of a declared one.
 * Nothing below `x-kubernetes-preserve-unknown-fields` (e.g. a federated object's template) is checked.
 */
export function unknownFields(
  schema: FieldSchema,
  doc: unknown,
  suggest: (word: string, candidates: string[]) => string,
  path = '',
): string[] {
  if (schema['x-kubernetes-preserve-unknown-fields'] === true) return [];
  const out: string[] = [];
  if (Array.isArray(doc)) {
    if (schema.items) doc.forEach((v, i) => out.push(...unknownFields(schema.items!, v, suggest, `${path}[${i}]`)));
    return out;
  }
  if (!isObject(doc)) return out;
  for (const [key, value] of Object.entries(doc)) {
    const s = memberSchema(schema, key, path === '');
    if (!s) {
      if (!isOpen(schema))
        out.push(`${join(path, key)}: unknown field${suggest(key, Object.keys(schema.properties ?? {}))}`);
      continue;
    }
    out.push(...unknownFields(s, value, suggest, join(path, key)));
  }
  return out;
}

function pruneItems(schema: FieldSchema, doc: unknown[], path: string): unknown[] {
  const itemSchema = schema.items;
  if (!itemSchema) return doc;
  const items = doc.map((v, i) => copyPruned(itemSchema, v, `${path}[${i}]`));
  return items.some((v, i) => v !== doc[i]) ? items : doc;
}

/**
 * A copy of `doc` without the members whose value is null where the schema declares them and does
 * not make them nullable: an API server prunes those (e.g. `overrides:` with nothing after it).
 * Returns `doc` itself when there is none.
 */
export function pruneNulls<T>(schema: FieldSchema, doc: T, path = ''): T {
  // Most documents have none: look first, copy only if there is one.
  return hasPrunable(schema, doc, path === '') ? copyPruned(schema, doc, path) : doc;
}

/** Whether a null pruneNulls removes is in `doc`; walks as copyPruned does, without copying. */
function hasPrunable(schema: FieldSchema, doc: unknown, top: boolean): boolean {
  if (schema['x-kubernetes-preserve-unknown-fields'] === true || doc === null || typeof doc !== 'object') return false;
  if (Array.isArray(doc)) {
    const items = schema.items;
    return items !== undefined && doc.some((v) => hasPrunable(items, v, false));
  }
  for (const key in doc) if (prunableMember(schema, key, (doc as Json)[key], top)) return true;
  return false;
}

/** Whether the member `key` of an object under `schema` is, or holds, a null pruneNulls removes. */
function prunableMember(schema: FieldSchema, key: string, value: unknown, top: boolean): boolean {
  const s = memberSchema(schema, key, top);
  if (!s) return false;
  if (value !== null) return hasPrunable(s, value, false);
  return s.nullable !== true && schema.properties?.[key] !== undefined;
}

function copyPruned<T>(schema: FieldSchema, doc: T, path: string): T {
  if (schema['x-kubernetes-preserve-unknown-fields'] === true) return doc;
  if (Array.isArray(doc)) return pruneItems(schema, doc, path) as T;
  if (!isObject(doc)) return doc;
  let changed = false;
  const out: Json = {};
  for (const [key, value] of Object.entries(doc)) {
    const s = memberSchema(schema, key, path === '');
    if (value === null && s && s.nullable !== true && schema.properties?.[key] !== undefined) {
      changed = true;
      continue;
    }
    const v = s ? copyPruned(s, value, join(path, key)) : value;
    if (v !== value) changed = true;
    out[key] = v;
  }
  return changed ? (out as T) : doc;
}

/**
 * A function that sorts a document's issues in two: `structural` ones (a missing required field, a
 * value of the wrong type) make the document unusable; `rules` (enums, patterns, bounds, formats)
 * are the schema's finer rules.
 */
export function checkerOf(validate: CompiledSchema): (doc: unknown) => { structural: string[]; rules: string[] } {
  return (doc) => {
    if (validate(doc)) return { structural: [], rules: [] };
    const errors = validate.errors ?? [];
    const isStructural = (e: ErrorObject) => e.keyword === 'required' || e.keyword === 'type';
    return {
      structural: schemaIssues(errors.filter(isStructural)),
      rules: schemaIssues(errors.filter((e) => !isStructural(e))),
    };
  };
}
