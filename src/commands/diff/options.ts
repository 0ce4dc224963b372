// diff's flags as a typed, checked value. Pure.
import { ExitError } from '../../errors.js';
import { EXIT } from '../../exit-codes.js';
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
import type { DiffFlags } from './command.js';

/** What `diff` was asked to compare. */
export interface DiffCommandOptions {
  /** What to load: host or file mode, and the filters. */
  request: InventoryRequest;
  /** Requests in flight per cluster. */
  concurrency: number;
  host: HostFlags;
  /** --applyset / --prune (file mode): show what a prune would delete. */
  applySet?: ApplySetRequest;
}

/**
 * Checks --concurrency, --request-timeout and then the inventory flags. As in kubectl diff, every
 * error exits 2, since 1 means "differences found".
 */
export function diffOptions(
  flags: DiffFlags,
  env: Readonly<Record<string, string | undefined>> = {},
): DiffCommandOptions {
  try {
    const concurrency = concurrencyOf(flags.concurrency);
    requestTimeoutMs(flags.requestTimeout);
    const request = inventoryRequest(flags, env);
    const applySet = applySetRequest(flags);
    return { request, concurrency, host: hostFlagsOf(flags), ...(applySet ? { applySet } : {}) };
  } catch (error) {
    throw new ExitError(EXIT.diffError, error);
  }
}
