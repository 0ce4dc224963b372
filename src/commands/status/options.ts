// status's flags and arguments as a typed, checked value. Pure.
import { UsageError } from '../../errors.js';
import { hostFlagsOf, type HostFlags } from '../shared-flags.js';
import type { StatusFlags } from './command.js';

/** What `status` was asked to show. */
export interface StatusCommandOptions {
  /** A federated type, or "clusters" for cluster health. */
  type?: string;
  name?: string;
  namespace?: string;
  allNamespaces: boolean;
  output?: 'wide' | 'json' | 'yaml';
  host: HostFlags;
}

export function statusOptions(
  type: string | undefined,
  name: string | undefined,
  flags: StatusFlags,
): StatusCommandOptions {
  if (flags.namespace && flags.allNamespaces)
    throw new UsageError('use either -n/--namespace or -A/--all-namespaces, not both', 'status');
  return {
    ...(type !== undefined ? { type } : {}),
    ...(name !== undefined ? { name } : {}),
    ...(flags.namespace !== undefined ? { namespace: flags.namespace } : {}),
    allNamespaces: flags.allNamespaces,
    ...(flags.output !== undefined ? { output: flags.output } : {}),
    host: hostFlagsOf(flags),
  };
}
