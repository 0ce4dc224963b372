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

/** "a.b[0].c" from the segments ["a", "b", "[0]", "c"]. */
function pathOf(segments: readonly string[]): string {
  let path = '';
  for (const s of segments) path = path === '' || s.startsWith('[') ? `${path}${s}` : `${path}.${s}`;
  return path;
}

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
): string[] {
  const walk: UnknownFieldsWalk = { suggest, at: [], out: [] };
  addUnknownFields(schema, doc, walk);
  return walk.out;
}

/** unknownFields' walk: `at` is the path so far, as segments, joined only for a line to report. */
interface UnknownFieldsWalk {
  suggest: (word: string, candidates: string[]) => string;
  at: string[];
  out: string[];
}

function addUnknownFields(schema: FieldSchema, doc: unknown, walk: UnknownFieldsWalk): void {
  if (schema['x-kubernetes-preserve-unknown-fields'] === true) return;
  const { at } = walk;
  if (Array.isArray(doc)) {
    if (!schema.items) return;
    for (let i = 0; i < doc.length; i++) {
      at.push(`[${i}]`);
      addUnknownFields(schema.items, doc[i], walk);
      at.pop();
    }
    return;
  }
  if (!isObject(doc)) return;
  for (const key of Object.keys(doc)) {
    at.push(key);
    const s = memberSchema(schema, key, at.length === 1);
    if (s) addUnknownFields(s, doc[key], walk);
    else if (!isOpen(schema))
      walk.out.push(`${pathOf(at)}: unknown field${walk.suggest(key, Object.keys(schema.properties ?? {}))}`);
    at.pop();
  }
}

function pruneItems(schema: FieldSchema, doc: unknown[]): unknown[] {
  const itemSchema = schema.items;
  if (!itemSchema) return doc;
  const items = doc.map((v) => pruneNulls(itemSchema, v, false));
  return items.some((v, i) => v !== doc[i]) ? items : doc;
}

/** A member the schema declares itself, and not as nullable: an API server prunes a null there. */
function isDeclaredNotNull(schema: FieldSchema, key: string, member: FieldSchema | undefined): boolean {
  return member !== undefined && member.nullable !== true && schema.properties?.[key] !== undefined;
}

/**
 * A copy of `doc` without the members whose value is null where the schema declares them and does
 * not make them nullable: an API server prunes those (e.g. `overrides:` with nothing after it).
 * Returns `doc` itself when there is none (no copy is made until the first change: most documents
 * have none). `top`: doc is a whole object, whose metadata is ObjectMeta.
 */
export function pruneNulls<T>(schema: FieldSchema, doc: T, top = true): T {
  if (schema['x-kubernetes-preserve-unknown-fields'] === true) return doc;
  if (Array.isArray(doc)) return pruneItems(schema, doc) as T;
  if (!isObject(doc)) return doc;
  const keys = Object.keys(doc);
  let out: Json | undefined;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const value = doc[key];
    const s = memberSchema(schema, key, top);
    const dropped = value === null && isDeclaredNotNull(schema, key, s);
    const v = dropped || !s ? value : pruneNulls(s, value, false);
    if (!out && (dropped || v !== value)) {
      out = {};
      for (let j = 0; j < i; j++) out[keys[j]!] = doc[keys[j]!];
    }
    if (out && !dropped) out[key] = v;
  }
  return (out ?? doc) as T;
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
