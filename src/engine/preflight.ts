// File mode's pre-flight: before anything is written or printed, every federated object is
// rendered with every cluster's overrides and checked against its kind's schema, and every
// ReplicaSchedulingPreference is validated. One problem refuses the whole input, and every problem
// is listed with its file, line, document, object, cluster and field. (Host mode reports a failing
// override per cluster instead, as KubeFed did.)
import { ValidationError } from '../errors.js';
import { qualifiedName, type FederatedObject } from '../federation/federated-object.js';
import { templateProblems, type ValidationMode, type ValidatorLookup } from '../federation/template-validation.js';
import { targetApiVersion, type RenderCache } from '../federation/render.js';
import { validateRsp } from '../scheduling/rsp.js';
import { describeSource } from '../util/documents.js';
import { VALIDATE_HINT } from '../util/validate-mode.js';
import { sourceOf, type ClusterEntry, type TypeEntry } from './inventory.js';
import { memberSchemas, offlineSchemas } from './template-schemas.js';

export type { ValidationMode } from '../federation/template-validation.js';

export interface PreflightOptions {
  /** --validate; default strict. Override and template-body problems are errors in every mode. */
  mode?: ValidationMode;
  /** Lines for -v (level 1) and -v=2. */
  log?: (level: number, line: string) => void;
  /** Where warn mode's problems go. */
  warn?: (line: string) => void;
  /** When given, each federated object's renders are kept here for its plan (`render` has no member labels). */
  keepRenders?: Map<FederatedObject, RenderCache>;
  /** When given, filled with the OpenAPI document URLs each member's checks used (memberSchemas). */
  schemaUrls?: Map<string, Record<string, string>>;
}

/** What the pre-flight reads: the file inventory's types, clusters and RSPs. */
export interface PreflightInput {
  types: readonly TypeEntry[];
  clusters: readonly Pick<ClusterEntry, 'name' | 'ready' | 'client'>[];
  rsps: readonly unknown[];
}

function where(doc: object, fallback: string): string {
  const source = sourceOf(doc);
  return source ? describeSource(source) : fallback;
}

/** " in cluster2", " in clusters cluster1, cluster2 and cluster3", or nothing. */
function inClusters(names: readonly string[]): string {
  if (names.length === 0) return '';
  if (names.length === 1) return ` in cluster ${names[0]!}`;
  return ` in clusters ${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`;
}

function objectName(o: { kind?: string; metadata?: { name?: string; namespace?: string } }): string {
  return `${o.kind ?? ''} ${qualifiedName(o.metadata ?? {})}`;
}

/**
 * Checks the input with the given schemas; throws a ValidationError listing every problem (warn
 * mode: template problems go to `opts.warn`). Pure but for that.
 */
export function checkFileInput(input: PreflightInput, schemas: ValidatorLookup, opts: PreflightOptions = {}): void {
  const { errors, schemaErrors } = templateErrors(input, schemas, opts);
  errors.push(...rspProblems(input.rsps));
  if (errors.length > 0)
    throw new ValidationError(
      `the input is invalid (${errors.length} problem${errors.length === 1 ? '' : 's'}); nothing was written`,
      errors,
      schemaErrors > 0 ? VALIDATE_HINT : undefined,
    );
}

/**
 * Every federated object's problems, with where it is; warn mode sends template problems to
 * `opts.warn`. `schemaErrors` counts the errors --validate could turn into warnings.
 */
function templateErrors(
  input: PreflightInput,
  schemas: ValidatorLookup,
  opts: PreflightOptions,
): { errors: string[]; schemaErrors: number } {
  const mode = opts.mode ?? 'strict';
  const errors: string[] = [];
  let schemaErrors = 0;
  const clusters = input.clusters.map((c) => c.name);
  for (const { ftc, objects } of input.types)
    for (const fed of objects)
      for (const p of templateProblems({ fed, ftc, clusters, validatorFor: schemas, mode, keep: keepFor(fed, opts) })) {
        const line = `${where(fed, 'input')}: ${objectName(fed)}${inClusters(p.clusters)}: ${p.field}: ${p.message}`;
        if (p.kind === 'template' && mode === 'warn') opts.warn?.(line);
        else errors.push(line);
        if (p.kind === 'template' && mode === 'strict') schemaErrors++;
      }
  return { errors, schemaErrors };
}

function keepFor(fed: FederatedObject, opts: PreflightOptions): RenderCache | undefined {
  if (!opts.keepRenders) return undefined;
  const keep: RenderCache = new Map();
  opts.keepRenders.set(fed, keep);
  return keep;
}

/** Every ReplicaSchedulingPreference's problems, with where it is. */
function rspProblems(rsps: readonly unknown[]): string[] {
  return rsps.flatMap((rsp) => {
    const checked = validateRsp(rsp);
    if (checked.ok) return [];
    const prefix = `${where(rsp as object, 'input')}: ${objectName(rsp ?? {})}`;
    return checked.issues.map((issue) => `${prefix}: ${issue}`);
  });
}

/** The group-versions of the targets of `types` (what to fetch from the members). */
function apiVersionsOf(types: readonly TypeEntry[]): string[] {
  const out = new Set<string>();
  for (const { ftc, objects } of types) for (const fed of objects) out.add(targetApiVersion(fed, ftc));
  return [...out].sort();
}

/** `render`: the bundled schemas only. */
export function preflightOffline(input: PreflightInput, opts: PreflightOptions = {}): void {
  checkFileInput(input, offlineSchemas(opts.log), opts);
}

/** `propagate -f` and `diff -f`: each ready member's own /openapi/v3, falling back to the bundle. */
export async function preflightOnline(input: PreflightInput, opts: PreflightOptions = {}): Promise<void> {
  const schemas =
    (opts.mode ?? 'strict') === 'ignore'
      ? offlineSchemas(opts.log)
      : await memberSchemas(input.clusters, apiVersionsOf(input.types), opts.log, opts.schemaUrls);
  checkFileInput(input, schemas, opts);
}
