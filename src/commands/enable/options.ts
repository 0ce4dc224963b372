// enable's flags and argument as a typed, checked value. Pure.
import { UsageError } from '../../errors.js';
import type { DryRun } from '../../api/objects.js';
import { DEFAULT_FEDERATED_TYPE, type FederatedTypeOptions } from '../../federation/typeconfig.js';
import { hostFlagsOf, type HostFlags } from '../shared-flags.js';
import type { EnableFlags } from './command.js';

/** What `enable` was asked to do: a type to look up on the server, or a file (-f) to read it from. */
export interface EnableCommandOptions {
  source: { kind: 'type'; type: string } | { kind: 'file'; path: string };
  /** --version: the API version of the type. */
  version?: string;
  options: FederatedTypeOptions;
  dryRun: DryRun;
  output?: 'yaml' | 'json';
  host: HostFlags;
}

/** Checks --federated-group, then that exactly one of TYPE and -f is given. */
export function enableOptions(type: string | undefined, flags: EnableFlags): EnableCommandOptions {
  const options: FederatedTypeOptions = {
    federatedGroup: flags.federatedGroup,
    federatedVersion: flags.federatedVersion,
  };
  if (!options.federatedGroup.includes('.'))
    throw new UsageError(
      `--federated-group "${options.federatedGroup}" must contain a dot, e.g. ${DEFAULT_FEDERATED_TYPE.federatedGroup}`,
      'enable',
    );
  if (flags.filename && type) throw new UsageError('give either a TYPE or -f FILE, not both', 'enable');
  if (!flags.filename && !type) throw new UsageError('TYPE is required (or -f FILE)', 'enable');
  return {
    source: flags.filename ? { kind: 'file', path: flags.filename } : { kind: 'type', type: type ?? '' },
    ...(flags.version !== undefined ? { version: flags.version } : {}),
    options,
    dryRun: flags.dryRun,
    ...(flags.output !== undefined ? { output: flags.output } : {}),
    host: hostFlagsOf(flags),
  };
}
