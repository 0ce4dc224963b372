// init's flags as a typed value. Pure.
import type { KubeFedScope } from '../../api/kubefed.js';
import type { DryRun } from '../../api/objects.js';
import type { OutputFormat } from '../../output/formats.js';
import { hostFlagsOf, type HostFlags } from '../shared-flags.js';
import type { InitFlags } from './command.js';

/** What `init` was asked to do. */
export interface InitCommandOptions {
  scope: KubeFedScope;
  enableDefaultTypes: boolean;
  dryRun: DryRun;
  output?: OutputFormat;
  host: HostFlags;
}

export function initOptions(flags: InitFlags): InitCommandOptions {
  return {
    scope: flags.scope,
    enableDefaultTypes: flags.enableDefaultTypes,
    dryRun: flags.dryRun,
    ...(flags.output !== undefined ? { output: flags.output } : {}),
    host: hostFlagsOf(flags),
  };
}
