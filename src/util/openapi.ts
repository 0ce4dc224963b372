// Validation of a document against an OpenAPI v3 schema as the Kubernetes API server serves it
// (`/openapi/v3/...` or the bundle under schemas/openapi/). Pure. Not JSON Schema: `$ref` points
// into `components.schemas`, `allOf: [{$ref}]` wraps references, `nullable`, `format: int32/int64`
// ranges, `x-kubernetes-int-or-string` (or `format: int-or-string`), and
// `x-kubernetes-preserve-unknown-fields`. A field the schema does not declare is an error, as with
// the API server's strict field validation.

/** The part of an OpenAPI v3 schema object that validation reads. */
export interface OpenApiSchema {
  type?: string;
  format?: string;
  properties?: Record<string, OpenApiSchema>;
  additionalProperties?: OpenApiSchema | boolean;
  items?: OpenApiSchema;
  required?: string[];
  enum?: unknown[];
  nullable?: boolean;
  allOf?: OpenApiSchema[];
  oneOf?: OpenApiSchema[];
  anyOf?: OpenApiSchema[];
  $ref?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
}

/** One problem: the field (`spec.template.spec.containers[0].image`, or '' for the document) and what is wrong. */
export interface SchemaIssue {
  path: string;
  message: string;
}

export type DocumentValidator = (doc: unknown) => SchemaIssue[];

export interface OpenApiOptions {
  /**
   * Built-in types: the API server decodes into Go structs, so null anywhere means "not set" and an
   * empty string passes an enum (it is defaulted). CRDs (false): `nullable` and enums are exact.
   */
  lenient: boolean;
  /** Issues reported per document; the rest are dropped. Default 20. */
  maxIssues?: number;
}

const REF_PREFIX = '#/components/schemas/';
const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
// resource.Quantity's grammar: a signed decimal number, then a binary or decimal SI suffix or an exponent.
const QUANTITY_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)([KMGTPE]i|[mkMGTPE]|[eE][+-]?\d+)?$/;
const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const RFC3339_RE = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const INT32 = 2 ** 31;

/** What a check sees: the current field path (built lazily) and where issues go. */
interface Context {
  path: (string | number)[];
  issues: SchemaIssue[];
  max: number;
}

type Check = (value: unknown, ctx: Context) => void;

/** "spec.containers[0].ports" from path segments; keys that are not plain words are quoted. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(p)) out += out ? `.${p}` : p;
    else out += `[${JSON.stringify(p)}]`;
  }
  return out;
}

function report(ctx: Context, message: string, extra?: string | number): void {
  if (ctx.issues.length >= ctx.max) return;
  const path = extra === undefined ? ctx.path : [...ctx.path, extra];
  ctx.issues.push({ path: formatPath(path), message });
}

/** "the string \"two\"", "the number 70000", "an object", … for messages. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  switch (typeof v) {
    case 'string':
      return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
    case 'number':
      return `the number ${v}`;
    case 'boolean':
      return `the boolean ${v}`;
    case 'object':
      return 'an object';
    default:
      return typeof v;
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The closest declared field name to a misspelt one, when it is close enough to suggest. */
function closest(name: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  const lower = name.toLowerCase();
  for (const c of candidates) {
    const d = c.toLowerCase() === lower ? 0 : distance(lower, c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best;
}

function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 99;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * Compiles schemas of one OpenAPI document (its `components.schemas`) into validators. Each
 * component is compiled once, on first use, and shared by every validator of the compiler, so
 * compile one compiler per document and ask it for each kind.
 */
export class OpenApiCompiler {
  private readonly compiled = new Map<string, Check>();
  private readonly validators = new Map<string, DocumentValidator>();

  constructor(
    private readonly components: Readonly<Record<string, OpenApiSchema>>,
    private readonly opts: OpenApiOptions,
  ) {}

  /** A validator for the component `name` (e.g. io.k8s.api.apps.v1.Deployment); undefined if there is none. */
  validator(name: string): DocumentValidator | undefined {
    const known = this.validators.get(name);
    if (known) return known;
    if (!this.components[name]) return undefined;
    const check = this.ref(name);
    const max = this.opts.maxIssues ?? 20;
    const validate: DocumentValidator = (doc) => {
      const ctx: Context = { path: [], issues: [], max };
      check(doc, ctx);
      return ctx.issues;
    };
    this.validators.set(name, validate);
    return validate;
  }

  /** A reference, resolved on first call so that recursive schemas (JSONSchemaProps) compile. */
  private ref(name: string): Check {
    const done = this.compiled.get(name);
    if (done) return done;
    let resolved: Check | undefined;
    const lazy: Check = (v, ctx) => (resolved ??= this.resolve(name))(v, ctx);
    this.compiled.set(name, lazy);
    return lazy;
  }

  private resolve(name: string): Check {
    if (name === QUANTITY) return quantityCheck(this.opts.lenient);
    const schema = this.components[name];
    if (!schema) return (_v, ctx) => report(ctx, `the schema refers to ${name}, which the API server did not define`);
    return this.compile(schema);
  }

  /** Compiles one schema object into a check. */
  compile(schema: OpenApiSchema): Check {
    const all = sequence(this.parts(schema));
    const nullable = schema.nullable === true || this.opts.lenient;
    return (v, ctx) => {
      if (v === undefined) return;
      if (v === null) {
        if (!nullable) report(ctx, 'must not be null');
        return;
      }
      all(v, ctx);
    };
  }

  /** The checks a schema is made of: its reference, allOf, and either int-or-string or its own keywords. */
  private parts(schema: OpenApiSchema): Check[] {
    const checks: Check[] = [];
    const ref = schema.$ref;
    if (ref) checks.push(this.ref(ref.startsWith(REF_PREFIX) ? ref.slice(REF_PREFIX.length) : ref));
    for (const sub of schema.allOf ?? []) checks.push(this.compile(sub));
    if (schema['x-kubernetes-int-or-string'] === true || schema.format === 'int-or-string') {
      checks.push(intOrStringCheck);
      return checks;
    }
    checks.push(...this.own(schema));
    const alternatives = schema.oneOf ?? schema.anyOf;
    if (alternatives) checks.push(this.alternatives(alternatives));
    return checks;
  }

  private alternatives(options: OpenApiSchema[]): Check {
    const checks = options.map((o) => this.compile(o));
    const types = options.map((o) => o.type).filter((t): t is string => typeof t === 'string');
    return (v, ctx) => {
      for (const c of checks) {
        const trial: Context = { path: ctx.path, issues: [], max: 1 };
        c(v, trial);
        if (trial.issues.length === 0) return;
      }
      report(
        ctx,
        types.length === options.length
          ? `must be ${types.map(article).join(' or ')}, not ${describeValue(v)}`
          : `matches none of the forms the schema allows (${describeValue(v)})`,
      );
    };
  }

  /** The schema's own keywords: type, format, enum, bounds, properties, items. */
  private own(schema: OpenApiSchema): Check[] {
    const checks: Check[] = [];
    if (schema.type) checks.push(typeCheck(schema.type, schema.format));
    if (schema.enum) checks.push(enumCheck(schema.enum, this.opts.lenient));
    checks.push(...boundsChecks(schema));
    if (schema.type === 'object' || schema.properties || schema.additionalProperties !== undefined)
      checks.push(this.objectCheck(schema));
    if (schema.items) checks.push(this.itemsCheck(schema.items));
    return checks;
  }

  private itemsCheck(items: OpenApiSchema): Check {
    const item = this.compile(items);
    return (v, ctx) => {
      if (!Array.isArray(v)) return;
      for (let i = 0; i < v.length; i++) {
        ctx.path.push(i);
        item(v[i], ctx);
        ctx.path.pop();
      }
    };
  }

  private objectCheck(schema: OpenApiSchema): Check {
    const props = new Map(Object.entries(schema.properties ?? {}).map(([k, s]) => [k, this.compile(s)] as const));
    const required = schema.required ?? [];
    const extra = schema.additionalProperties;
    const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
    // No properties and no additionalProperties: a free-form object (RawExtension, FieldsV1, …).
    const open = preserve || (schema.properties === undefined && extra === undefined) || extra === true;
    const extraCheck = typeof extra === 'object' ? this.compile(extra) : undefined;
    const names = [...props.keys()];
    return (v, ctx) => {
      if (!isPlainObject(v)) return;
      for (const r of required) if (v[r] === undefined) report(ctx, 'is required', r);
      for (const key in v) {
        if (!Object.hasOwn(v, key)) continue;
        const check = props.get(key) ?? extraCheck;
        if (check) {
          ctx.path.push(key);
          check(v[key], ctx);
          ctx.path.pop();
        } else if (!open) {
          const hint = closest(key, names);
          report(ctx, `unknown field${hint ? ` (did you mean ${hint}?)` : ''}`, key);
        }
      }
    };
  }
}

function article(type: string): string {
  return `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
}

function typeCheck(type: string, format: string | undefined): Check {
  switch (type) {
    case 'object':
      return (v, ctx) => {
        if (!isPlainObject(v)) report(ctx, `must be an object, not ${describeValue(v)}`);
      };
    case 'array':
      return (v, ctx) => {
        if (!Array.isArray(v)) report(ctx, `must be an array, not ${describeValue(v)}`);
      };
    case 'boolean':
      return (v, ctx) => {
        if (typeof v !== 'boolean') report(ctx, `must be a boolean (true or false), not ${describeValue(v)}`);
      };
    case 'number':
      return (v, ctx) => {
        if (typeof v !== 'number' || !Number.isFinite(v)) report(ctx, `must be a number, not ${describeValue(v)}`);
      };
    case 'integer':
      return integerCheck(format);
    case 'string':
      return stringCheck(format);
    default:
      return () => undefined;
  }
}

function integerCheck(format: string | undefined): Check {
  const [min, max, what] =
    format === 'int32'
      ? [-INT32, INT32 - 1, 'a 32-bit integer']
      : [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 'an integer'];
  return (v, ctx) => {
    if (typeof v !== 'number' || !Number.isInteger(v)) report(ctx, `must be ${what}, not ${describeValue(v)}`);
    else if (v < min || v > max) report(ctx, `must be ${what} (${min} to ${max}), not ${v}`);
  };
}

function stringCheck(format: string | undefined): Check {
  const pattern = format === 'byte' ? BASE64_RE : format === 'date-time' ? RFC3339_RE : undefined;
  const what = format === 'byte' ? 'base64 data' : 'an RFC 3339 date-time';
  return (v, ctx) => {
    if (typeof v !== 'string') report(ctx, `must be a string, not ${describeValue(v)}`);
    else if (pattern && !pattern.test(v)) report(ctx, `must be ${what}, not ${describeValue(v)}`);
  };
}

const intOrStringCheck: Check = (v, ctx) => {
  if (v === undefined || v === null || typeof v === 'string') return;
  if (typeof v === 'number' && Number.isInteger(v) && v >= -INT32 && v < INT32) return;
  report(ctx, `must be an integer or a string, not ${describeValue(v)}`);
};

function quantityCheck(lenient: boolean): Check {
  return (v, ctx) => {
    if (v === undefined || (v === null && lenient)) return;
    if (typeof v === 'number' && Number.isFinite(v)) return;
    if (typeof v === 'string' && QUANTITY_RE.test(v)) return;
    report(ctx, `must be a quantity such as 500m, 2, 1.5Gi or 128Mi, not ${describeValue(v)}`);
  };
}

function enumCheck(values: unknown[], lenient: boolean): Check {
  const allowed = new Set(values);
  const list = values.map((x) => JSON.stringify(x)).join(', ');
  return (v, ctx) => {
    if (allowed.has(v) || (lenient && v === '')) return;
    if (typeof v === 'object') return; // the type check reports it
    report(ctx, `must be one of ${list}, not ${describeValue(v)}`);
  };
}

/** minimum/maximum, minLength/maxLength/pattern and minItems/maxItems (CRD schemas use them). */
function boundsChecks(s: OpenApiSchema): Check[] {
  const checks: Check[] = [];
  const { minimum, maximum, minLength, maxLength, minItems, maxItems } = s;
  if (minimum !== undefined) {
    const [fails, what] = s.exclusiveMinimum
      ? [(n: number) => n <= minimum, 'greater than']
      : [(n: number) => n < minimum, 'at least'];
    checks.push(
      numeric(
        (n) => fails(n),
        (n) => `must be ${what} ${minimum}, not ${n}`,
      ),
    );
  }
  if (maximum !== undefined) {
    const [fails, what] = s.exclusiveMaximum
      ? [(n: number) => n >= maximum, 'less than']
      : [(n: number) => n > maximum, 'at most'];
    checks.push(
      numeric(
        (n) => fails(n),
        (n) => `must be ${what} ${maximum}, not ${n}`,
      ),
    );
  }
  if (minLength !== undefined)
    checks.push(
      text(
        (t) => t.length < minLength,
        () => `must be at least ${minLength} characters long`,
      ),
    );
  if (maxLength !== undefined)
    checks.push(
      text(
        (t) => t.length > maxLength,
        () => `must be at most ${maxLength} characters long`,
      ),
    );
  const re = patternOf(s.pattern);
  if (re)
    checks.push(
      text(
        (t) => !re.test(t),
        (t) => `must match ${s.pattern ?? ''}, not ${describeValue(t)}`,
      ),
    );
  if (minItems !== undefined)
    checks.push(
      list(
        (a) => a.length < minItems,
        () => `must have at least ${minItems} item(s)`,
      ),
    );
  if (maxItems !== undefined)
    checks.push(
      list(
        (a) => a.length > maxItems,
        () => `must have at most ${maxItems} item(s)`,
      ),
    );
  return checks;
}

function patternOf(pattern: string | undefined): RegExp | undefined {
  if (pattern === undefined) return undefined;
  try {
    return new RegExp(pattern, 'u');
  } catch {
    return undefined; // a pattern JavaScript cannot read is left to the API server
  }
}

function numeric(fails: (n: number) => boolean, message: (n: number) => string): Check {
  return (v, ctx) => {
    if (typeof v === 'number' && fails(v)) report(ctx, message(v));
  };
}

function text(fails: (t: string) => boolean, message: (t: string) => string): Check {
  return (v, ctx) => {
    if (typeof v === 'string' && fails(v)) report(ctx, message(v));
  };
}

function list(fails: (a: unknown[]) => boolean, message: (a: unknown[]) => string): Check {
  return (v, ctx) => {
    if (Array.isArray(v) && fails(v)) report(ctx, message(v));
  };
}

/** One check that runs several in order. */
function sequence(checks: Check[]): Check {
  if (checks.length === 1) return checks[0]!;
  return (v, ctx) => {
    for (const c of checks) c(v, ctx);
  };
}
