// join's flags and argument as a typed, checked value. Pure.
import { UsageError } from '../../errors.js';
import type { DryRun } from '../../api/objects.js';
import type { OutputFormat } from '../../output/formats.js';
import { checkDnsSubdomain, hostFlagsOf, parseLabels, type HostFlags } from '../shared-flags.js';
import { isLabelValue } from '../../util/names.js';
import type { JoinFlags } from './command.js';

/** What `join` was asked to do. Names that need the kubeconfig (the host cluster's) are resolved by the run step. */
export interface JoinCommandOptions {
  clusterName: string;
  /** --cluster-context; the cluster name when absent. */
  clusterContext?: string;
  /** --host-cluster-name; the host context name when absent. */
  hostClusterName?: string;
  secretName?: string;
  errorOnExisting: boolean;
  labels: Record<string, string>;
  region?: string;
  zones?: string[];
  dryRun: DryRun;
  output?: OutputFormat;
  host: HostFlags;
}

/** Checks the cluster name, --secret-name, the labels, region and zones, in that order. */
export function joinOptions(clusterName: string, flags: JoinFlags): JoinCommandOptions {
  checkDnsSubdomain(clusterName, 'cluster name');
  if (flags.secretName !== undefined) checkDnsSubdomain(flags.secretName, '--secret-name');
  const labels = parseLabels(flags.label);
  for (const value of [flags.region, ...(flags.zone ?? [])]) {
    if (value !== undefined && (value === '' || !isLabelValue(value)))
      throw new UsageError(`invalid region or zone "${value}": use letters, digits, '-', '_' and '.'`, 'join');
  }
  return {
    clusterName,
    ...(flags.clusterContext !== undefined ? { clusterContext: flags.clusterContext } : {}),
    ...(flags.hostClusterName !== undefined ? { hostClusterName: flags.hostClusterName } : {}),
    ...(flags.secretName !== undefined ? { secretName: flags.secretName } : {}),
    errorOnExisting: flags.errorOnExisting,
    labels,
    ...(flags.region !== undefined ? { region: flags.region } : {}),
    ...(flags.zone !== undefined ? { zones: flags.zone } : {}),
    dryRun: flags.dryRun,
    ...(flags.output !== undefined ? { output: flags.output } : {}),
    host: hostFlagsOf(flags),
  };
}
