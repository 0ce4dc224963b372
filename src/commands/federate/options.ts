// federate's flags and arguments as a typed, checked value. Pure.
import { UsageError } from '../../errors.js';
import type { DryRun } from '../../api/objects.js';
import { placementFor, type Placement } from '../../federation/federate.js';
import { checkDnsSubdomain, hostFlagsOf, parseLabels, printsOnly, type HostFlags } from '../shared-flags.js';
import type { FederateFlags } from './command.js';

/** What to federate, parsed and checked. */
export interface FederateOptions {
  source: { kind: 'live'; type: string; name: string } | { kind: 'files'; paths: string[]; recursive: boolean };
  /** -n as given; the host context's namespace (else "default") applies when it is absent. */
  namespace?: string;
  enableType: boolean;
  contents: boolean;
  skip: string[];
  placement: Placement;
  overwrite: boolean;
  dryRun: DryRun;
  output: 'yaml' | 'json' | undefined;
  kubefedNamespace: string;
  host: HostFlags;
}

/** Splits comma lists from repeated flags: ["a,b", "c"] -> ["a", "b", "c"]. */
function commaList(values: string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/** Turns flags and positional arguments into options, or throws a UsageError. Pure. */
export function completeFederate(
  type: string | undefined,
  name: string | undefined,
  flags: FederateFlags,
): FederateOptions {
  const usage = (message: string) => new UsageError(message, 'federate');
  const files = flags.filename ?? [];
  if (files.length > 0 && (type !== undefined || name !== undefined))
    throw usage('give either TYPE NAME or -f FILE, not both');
  if (files.length === 0 && type === undefined) throw usage('TYPE and NAME are required (or -f FILE)');
  if (files.length === 0 && name === undefined) throw usage('NAME is required');
  if (flags.recursive && files.length === 0) throw usage('-R/--recursive only applies with -f');
  if (flags.contents && files.length > 0)
    throw usage('--contents only applies to a namespace named as TYPE NAME, not to -f');
  const skip = commaList(flags.skipApiResources);
  if (skip.length > 0 && !flags.contents) throw usage('--skip-api-resources only applies with --contents');
  if (flags.enableType && printsOnly(flags))
    throw usage(
      '--enable-type cannot be combined with -o (it would print without enabling); add --dry-run=server to check the whole run with the server',
    );
  if (flags.namespace !== undefined) checkDnsSubdomain(flags.namespace, '--namespace');
  let clusters: string[] | undefined;
  if (flags.placementClusters !== undefined) {
    clusters = [...new Set(commaList(flags.placementClusters))];
    if (clusters.length === 0) throw usage('--placement-clusters needs at least one cluster name');
    for (const c of clusters) checkDnsSubdomain(c, 'cluster name in --placement-clusters');
  }
  const matchLabels =
    flags.clusterSelector !== undefined
      ? parseLabels(commaList(flags.clusterSelector), '--cluster-selector')
      : undefined;
  return {
    source:
      files.length > 0
        ? { kind: 'files', paths: files, recursive: Boolean(flags.recursive) }
        : { kind: 'live', type: type ?? '', name: name ?? '' },
    ...(flags.namespace !== undefined ? { namespace: flags.namespace } : {}),
    enableType: Boolean(flags.enableType),
    contents: Boolean(flags.contents),
    skip,
    placement: placementFor({ ...(clusters ? { clusters } : {}), ...(matchLabels ? { matchLabels } : {}) }),
    overwrite: Boolean(flags.overwrite),
    dryRun: flags.dryRun,
    output: flags.output,
    kubefedNamespace: flags.kubefedNamespace,
    host: hostFlagsOf(flags),
  };
}
