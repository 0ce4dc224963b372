// propagate's flags as a typed, checked value. Pure.
import type { DryRun } from '../../api/objects.js';
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
}

/** Checks --concurrency, --request-timeout and then the inventory flags, in the order they have always been reported. */
export function propagateOptions(flags: PropagateFlags): PropagateCommandOptions {
  const concurrency = concurrencyOf(flags.concurrency);
  requestTimeoutMs(flags.requestTimeout);
  const request = inventoryRequest(flags);
  const applySet = applySetRequest(flags);
  return {
    request,
    ...(applySet ? { applySet } : {}),
    concurrency,
    dryRun: flags.dryRun,
    ...(flags.output !== undefined ? { output: flags.output } : {}),
    host: hostFlagsOf(flags),
  };
}
