// convert's flags as a typed value. Pure.
import type { ConvertFlags } from './command.js';
import { UsageError } from '../../errors.js';
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
  // Overrides are compiled per cluster, so the clusters must be known to make Federated<Kind> objects.
  if (flags.to === 'federated' && flags.clusters === undefined)
    throw new UsageError('--to federated needs --clusters: overrides are compiled for each member cluster');
  return {
    filename: flags.filename,
    recursive: flags.recursive,
    to: flags.to,
    ...(flags.clusters !== undefined ? { clusters: flags.clusters } : {}),
    output: flags.output,
    validate: validateModeOf(flags.validate),
  };
}
