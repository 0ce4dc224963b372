// --validate: how strictly input documents are checked, as kubectl's flag of the same name. Pure,
// no imports, so option parsing can use it without loading anything.

/** strict: unknown fields and schema problems are errors; warn: they are warnings; ignore: not checked. */
export type ValidateMode = 'strict' | 'warn' | 'ignore';

/** The values --validate accepts: kubectl's three, plus its older true (strict) and false (ignore). */
export const VALIDATE_VALUES = ['strict', 'warn', 'ignore', 'true', 'false'] as const;

/** The mode a --validate value means. */
export function validateModeOf(value: (typeof VALIDATE_VALUES)[number]): ValidateMode {
  return value === 'true' ? 'strict' : value === 'false' ? 'ignore' : value;
}

/**
 * What one check found: `errors` always stop the run (the object cannot be used), `strict` ones
 * (unknown fields, schema rules) follow --validate, `warnings` never stop it. Lines are
 * "field: problem".
 */
export interface Findings {
  errors: string[];
  strict: string[];
  warnings: string[];
}

export const noFindings = (): Findings => ({ errors: [], strict: [], warnings: [] });

/** Errors and warnings under a mode: strict findings become errors (strict), warnings (warn) or nothing (ignore). */
export function settle(f: Findings, mode: ValidateMode): { errors: string[]; warnings: string[] } {
  return {
    errors: [...f.errors, ...(mode === 'strict' ? f.strict : [])],
    warnings: [...(mode === 'warn' ? f.strict : []), ...f.warnings],
  };
}

/** The hint under a list of problems that --validate could turn into warnings. */
export const VALIDATE_HINT =
  'fix the fields named above (unknown fields are often typos); --validate=warn reports unknown fields and schema rules as warnings, --validate=ignore skips them';
