// Checks a federated object's template as each member cluster would get it: the template is
// rendered with that cluster's overrides, then validated against the OpenAPI schema of its kind and
// the API server's own checks (member-checks.ts). Pure: the caller says which schema each cluster
// uses. File mode runs this for every object before anything is written or printed.
import type { Operation } from 'fast-json-patch';
import type { KubeObject } from '../api/objects.js';
import type { DocumentValidator, SchemaIssue } from '../util/openapi.js';
import type { ValidateMode } from '../util/validate-mode.js';
import type { FederatedObject } from './federated-object.js';
import { memberObjectIssues } from './member-checks.js';
import { parseOverrides } from './overrides.js';
import { RenderError, renderForCluster, renderKey, targetApiVersion, type RenderCache } from './render.js';
import type { FederatedTypeConfig } from './typeconfig.js';

/** `--validate`: strict refuses the input, warn reports and goes on, ignore skips the schema checks. */
export type ValidationMode = ValidateMode;

/** The validator for a target type in one cluster (undefined: no schema known, not validated). */
export type ValidatorLookup = (
  cluster: string | undefined,
  apiVersion: string,
  kind: string,
) => DocumentValidator | undefined;

/** One problem with a federated object. */
export interface TemplateProblem {
  /** `override`: an override cannot apply; `template`: the rendered object is invalid; `missing`: no template. */
  kind: 'override' | 'template' | 'missing';
  /** The clusters it concerns; empty when it concerns the object itself. */
  clusters: string[];
  /** The field of the federated object (`spec.template.spec.replicas`, `spec.overrides[1]`). */
  field: string;
  message: string;
}

/** `spec.template.<path>` for a path of the member object; name and namespace come from the federated object. */
function federatedField(path: string): string {
  if (path === '') return 'spec.template';
  if (path === 'metadata.name' || path === 'metadata.namespace') return path;
  return path.startsWith('[') ? `spec.template${path}` : `spec.template.${path}`;
}

function isNamespaceType(ftc: FederatedTypeConfig): boolean {
  return ftc.spec.targetType.kind === 'Namespace' && !ftc.spec.targetType.group;
}

/** What templateProblems checks: one federated object, its type, the member clusters and their schemas. */
export interface TemplateCheckInput {
  fed: FederatedObject;
  ftc: FederatedTypeConfig;
  /** The member clusters' names. */
  clusters: readonly string[];
  validatorFor: ValidatorLookup;
  mode: ValidationMode;
  /**
   * Where to keep the renders, made in full (with their hash, no member labels) so that the plan
   * can use them instead of rendering again; without it they are made only to be checked.
   */
  keep?: RenderCache;
}

/** Problems by what they say, each with the clusters it concerns. */
class Problems {
  private readonly byKey = new Map<string, TemplateProblem>();

  add(p: Omit<TemplateProblem, 'clusters'>, cluster: string | undefined): void {
    const key = `${p.kind}\n${p.field}\n${p.message}`;
    let known = this.byKey.get(key);
    if (!known) this.byKey.set(key, (known = { ...p, clusters: [] }));
    if (cluster !== undefined && !known.clusters.includes(cluster)) known.clusters.push(cluster);
  }

  list(): TemplateProblem[] {
    return [...this.byKey.values()];
  }
}

/**
 * Every problem of one federated object across its member clusters. The unchanged template is
 * checked once per distinct validator; a cluster with overrides is checked again with them
 * applied, and only problems the overrides brought are reported for it.
 */
export function templateProblems(input: TemplateCheckInput): TemplateProblem[] {
  const { fed, ftc } = input;
  if (fed.spec.template === undefined && !isNamespaceType(ftc))
    return [
      {
        kind: 'missing',
        clusters: [],
        field: 'spec.template',
        message: 'is required: it is the object each cluster gets (KubeFed: "Unable to retrieve template body")',
      },
    ];
  const overrides = parseOverrides(fed.spec.overrides);
  const apiVersion = targetApiVersion(fed, ftc);
  const problems = new Problems();
  const issuesOf = memoizedCheck(input);
  for (const cluster of input.clusters.length > 0 ? input.clusters : [undefined]) {
    const validate = validatorOf(input, cluster, apiVersion);
    const base = issuesOf([], validate);
    if (base instanceof RenderError) {
      problems.add({ kind: 'template', field: 'spec.template', message: base.message }, cluster);
      continue;
    }
    for (const i of base)
      problems.add({ kind: 'template', field: federatedField(i.path), message: i.message }, cluster);
    const own = cluster === undefined ? undefined : (overrides.get(cluster) as Operation[] | undefined);
    if (own && own.length > 0)
      addOverrideProblems(problems, input, cluster!, { base, withOverrides: issuesOf(own, validate) });
  }
  return problems.list();
}

function validatorOf(
  input: TemplateCheckInput,
  cluster: string | undefined,
  apiVersion: string,
): DocumentValidator | undefined {
  return input.mode === 'ignore' ? undefined : input.validatorFor(cluster, apiVersion, input.ftc.spec.targetType.kind);
}

/** Problems of a cluster's render with its overrides that the unchanged template does not have. */
function addOverrideProblems(
  problems: Problems,
  input: TemplateCheckInput,
  cluster: string,
  { base, withOverrides }: { base: SchemaIssue[]; withOverrides: CheckResult },
): void {
  const index = (input.fed.spec.overrides ?? []).findIndex((o) => o?.clusterName === cluster);
  if (withOverrides instanceof RenderError) {
    problems.add({ kind: 'override', field: `spec.overrides[${index}]`, message: withOverrides.message }, cluster);
    return;
  }
  const before = new Set(base.map((i) => `${i.path}\n${i.message}`));
  for (const i of withOverrides)
    if (!before.has(`${i.path}\n${i.message}`))
      problems.add(
        { kind: 'template', field: `${federatedField(i.path)} (after spec.overrides[${index}])`, message: i.message },
        cluster,
      );
}

type CheckResult = SchemaIssue[] | RenderError;

/** Renders and checks, once per (overrides, validator): clusters alike share the work. */
function memoizedCheck(input: TemplateCheckInput): (ops: Operation[], v: DocumentValidator | undefined) => CheckResult {
  const results = new Map<string, CheckResult>();
  const ids = new Map<DocumentValidator | undefined, number>();
  return (ops, validate) => {
    let id = ids.get(validate);
    if (id === undefined) ids.set(validate, (id = ids.size));
    const key = `${id}\n${ops.length === 0 ? '' : JSON.stringify(ops)}`;
    let result = results.get(key);
    if (!result) results.set(key, (result = check(input, ops, validate)));
    return result;
  };
}

function check(input: TemplateCheckInput, ops: Operation[], validate: DocumentValidator | undefined): CheckResult {
  let obj: KubeObject;
  try {
    const rendered = renderForCluster(input.fed, input.ftc, ops, { hash: input.keep !== undefined });
    input.keep?.set(renderKey(ops), rendered);
    obj = rendered.object;
  } catch (error) {
    if (error instanceof RenderError) return error;
    throw error;
  }
  if (input.mode === 'ignore') return [];
  const issues = validate ? validate(obj) : [];
  return [...issues, ...memberObjectIssues(obj, input.ftc.spec.targetType.kind)];
}
