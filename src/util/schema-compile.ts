// ajv 8 with the Kubernetes formats and keywords, for schemas that are not known at build time (the
// tests' own, the build step's). The CLI itself never loads this module: its validators are generated
// at build time (scripts/gen-validators.mjs), which saves compiling schemas on every run.
import { Ajv } from 'ajv';
import { KUBE_FORMATS, KUBE_KEYWORDS } from './schema-formats.js';
import { checkerOf, validatorOf } from './schema.js';

/** Options of kubeAjv: `checkSchema` checks schemas against the meta-schema; `source` keeps code for standalone output. */
export interface KubeAjvOptions {
  checkSchema?: boolean;
  /** Standalone ESM code is wanted; `formats` is the code that names KUBE_FORMATS in it. */
  standalone?: { formats: unknown };
}

/** An ajv instance that knows the Kubernetes formats and `x-kubernetes-*` keywords. */
export function kubeAjv(opts: KubeAjvOptions = {}): Ajv {
  // Checking a schema against the meta-schema costs ~35 ms; the unit tests check ours once.
  const ajv = new Ajv({
    allErrors: true,
    strict: true,
    validateSchema: opts.checkSchema ?? false,
    ...(opts.standalone ? { code: { source: true, esm: true, formats: opts.standalone.formats as never } } : {}),
  });
  for (const [name, format] of Object.entries(KUBE_FORMATS)) ajv.addFormat(name, format);
  for (const keyword of KUBE_KEYWORDS) ajv.addKeyword(keyword);
  return ajv;
}

/** Compiles a schema into a function returning the issues of a document (empty when valid). */
export function compileValidator(schema: object): (doc: unknown) => string[] {
  return validatorOf(kubeAjv().compile(schema));
}

/** Compiles a schema into a checker that sorts issues into structural ones and rules (see checkerOf). */
export function compileChecker(schema: object): (doc: unknown) => { structural: string[]; rules: string[] } {
  return checkerOf(kubeAjv().compile(schema));
}
