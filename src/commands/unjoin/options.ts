// unjoin's flags and argument as a typed, checked value. Pure.
import type { DryRun } from '../../api/objects.js';
import { checkDnsSubdomain, hostFlagsOf, type HostFlags } from '../shared-flags.js';
import type { UnjoinFlags } from './command.js';

/** What `unjoin` was asked to do. The host cluster's name needs the kubeconfig and is resolved by the run step. */
export interface UnjoinCommandOptions {
  clusterName: string;
  /** --cluster-context; the cluster name when absent. */
  clusterContext?: string;
  /** --host-cluster-name; the host context name when absent. */
  hostClusterName?: string;
  force: boolean;
  dryRun: DryRun;
  host: HostFlags;
}

export function unjoinOptions(clusterName: string, flags: UnjoinFlags): UnjoinCommandOptions {
  checkDnsSubdomain(clusterName, 'cluster name');
  return {
    clusterName,
    ...(flags.clusterContext !== undefined ? { clusterContext: flags.clusterContext } : {}),
    ...(flags.hostClusterName !== undefined ? { hostClusterName: flags.hostClusterName } : {}),
    force: flags.force,
    dryRun: flags.dryRun,
    host: hostFlagsOf(flags),
  };
}
