// disable's flags and argument as a typed value. Pure.
import type { DryRun } from '../../api/objects.js';
import { hostFlagsOf, type HostFlags } from '../shared-flags.js';
import type { DisableFlags } from './command.js';

/** What `disable` was asked to do. */
export interface DisableCommandOptions {
  /** The type as given: looked up on the server, or a FederatedTypeConfig name when it has a dot. */
  type: string;
  /** --version: the API version of the type. */
  version?: string;
  deleteCrd: boolean;
  force: boolean;
  federatedGroup: string;
  federatedVersion: string;
  dryRun: DryRun;
  host: HostFlags;
}

export function disableOptions(type: string, flags: DisableFlags): DisableCommandOptions {
  return {
    type,
    ...(flags.version !== undefined ? { version: flags.version } : {}),
    deleteCrd: flags.deleteCrd,
    force: flags.force,
    federatedGroup: flags.federatedGroup,
    federatedVersion: flags.federatedVersion,
    dryRun: flags.dryRun,
    host: hostFlagsOf(flags),
  };
}
