// propagate's flags as a typed, checked value. Pure.
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { DryRun } from '../../api/objects.js';
import { UsageError } from '../../errors.js';
import { writerFor } from '../../kube/writer.js';
import { parseDurationMs } from '../../util/duration.js';
import type { InventoryRequest } from '../../engine/inventory.js';
import type { ApplySetRequest } from '../../engine/applyset.js';
import {
  applySetRequest,
  concurrencyOf,
  hostFlagsOf,
  inventoryRequest,
  requestTimeoutMs,
  type HostFlags,
} from '../shared-flags.js';
import type { PropagateFlags } from './command.js';

/** What `propagate` was asked to do. */
export interface PropagateCommandOptions {
  /** What to load: host or file mode, and the filters. */
  request: InventoryRequest;
  /** Requests in flight per cluster. */
  concurrency: number;
  dryRun: DryRun;
  output?: 'json' | 'yaml';
  host: HostFlags;
  /** --applyset / --prune (file mode). */
  applySet?: ApplySetRequest;
  /** --wait: how long to wait for the member objects to be ready, in ms (0: check once). */
  waitMs?: number;
  /** File mode: where run records are kept (--cache-dir); undefined keeps none (ADR 0007); host mode keeps none. */
  recordDir?: string;
}

/** What a bare --wait means. kubectl apply --wait has no deadline; a CI job needs one. */
export const DEFAULT_WAIT = '5m';

/** Parses --wait: absent, bare (the default deadline) or a duration; refused with --dry-run. */
export function waitMsOf(value: string | true | undefined, dryRun: DryRun): number | undefined {
  if (value === undefined) return undefined;
  if (!writerFor(dryRun).persists)
    throw new UsageError('--wait cannot be used with --dry-run: nothing is written to wait for');
  const ms = parseDurationMs(value === true ? DEFAULT_WAIT : value);
  if (ms === undefined)
    throw new UsageError(`invalid --wait "${String(value)}": use a duration such as 30s, 5m or 1h (0 checks once)`);
  return ms;
}

/** Checks --concurrency, --request-timeout and then the inventory flags, in the order they have always been reported. */
export function propagateOptions(
  flags: PropagateFlags,
  env: Readonly<Record<string, string | undefined>> = {},
): PropagateCommandOptions {
  const concurrency = concurrencyOf(flags.concurrency);
  requestTimeoutMs(flags.requestTimeout);
  const request = inventoryRequest(flags, env);
  const applySet = applySetRequest(flags);
  const waitMs = waitMsOf(flags.wait, flags.dryRun);
  const recordDir = request.filenames.length > 0 ? recordDirOf(flags.cacheDir, env) : undefined;
  return {
    request,
    ...(applySet ? { applySet } : {}),
    concurrency,
    dryRun: flags.dryRun,
    ...(flags.output !== undefined ? { output: flags.output } : {}),
    host: hostFlagsOf(flags),
    ...(waitMs !== undefined ? { waitMs } : {}),
    ...(recordDir !== undefined ? { recordDir } : {}),
  };
}

/**
 * The folder for run records (ADR 0007): kubectl's cache folder (--cache-dir, else $KUBECACHEDIR,
 * else ~/.kube/cache), under kubefedctl/; undefined when --cache-dir is "".
 */
export function recordDirOf(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  const base = flag ?? env['KUBECACHEDIR'] ?? join(homedir(), '.kube', 'cache');
  return base === '' ? undefined : join(base, 'kubefedctl');
}
