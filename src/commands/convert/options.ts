// convert's flags as a typed value. Pure.
import type { ConvertFlags } from './command.js';
import { validateModeOf, type ValidateMode } from '../../util/validate-mode.js';

/** What `convert` was asked to do. */
export interface ConvertCommandOptions {
  filename: string[];
  recursive: boolean;
  to: 'policy' | 'federated';
  clusters?: string;
  output: 'yaml' | 'json';
  validate: ValidateMode;
}

export function convertOptions(flags: ConvertFlags): ConvertCommandOptions {
  return {
    filename: flags.filename,
    recursive: flags.recursive,
    to: flags.to,
    ...(flags.clusters !== undefined ? { clusters: flags.clusters } : {}),
    output: flags.output,
    validate: validateModeOf(flags.validate),
  };
}
