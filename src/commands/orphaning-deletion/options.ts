// orphaning-deletion's flags and arguments as a typed value. Pure.
import type { DryRun } from '../../api/objects.js';
import { hostFlagsOf, type HostFlags } from '../shared-flags.js';
import type { OrphaningChangeFlags, OrphaningStatusFlags } from './command.js';

/** What `orphaning-deletion enable|disable|status` was asked to do. */
export interface OrphaningOptions {
  verb: 'enable' | 'disable' | 'status';
  type: string;
  name: string;
  /** -n as given; the host context's namespace (else "default") applies when it is absent. */
  namespace?: string;
  /** Always none for status, which writes nothing. */
  dryRun: DryRun;
  host: HostFlags;
}

export function orphaningOptions(
  verb: OrphaningOptions['verb'],
  type: string,
  name: string,
  flags: OrphaningStatusFlags | OrphaningChangeFlags,
): OrphaningOptions {
  return {
    verb,
    type,
    name,
    ...(flags.namespace !== undefined ? { namespace: flags.namespace } : {}),
    dryRun: verb !== 'status' && 'dryRun' in flags ? flags.dryRun : 'none',
    host: hostFlagsOf(flags),
  };
}
