// diff's flags as a typed, checked value. Pure.
import { ExitError } from '../../errors.js';
import { EXIT } from '../../exit-codes.js';
import type { InventoryRequest } from '../../engine/inventory.js';
import { concurrencyOf, hostFlagsOf, inventoryRequest, requestTimeoutMs, type HostFlags } from '../shared-flags.js';
import type { DiffFlags } from './command.js';

/** What `diff` was asked to compare. */
export interface DiffCommandOptions {
  /** What to load: host or file mode, and the filters. */
  request: InventoryRequest;
  /** Requests in flight per cluster. */
  concurrency: number;
  host: HostFlags;
}

/**
 * Checks --concurrency, --request-timeout and then the inventory flags. As in kubectl diff, an error
 * exits 2 (1 means "differences found"), so a refused flag combination carries that code; a bad
 * --concurrency or --request-timeout has always exited 1, and still does.
 */
export function diffOptions(flags: DiffFlags): DiffCommandOptions {
  const concurrency = concurrencyOf(flags.concurrency);
  requestTimeoutMs(flags.requestTimeout);
  let request: InventoryRequest;
  try {
    request = inventoryRequest(flags);
  } catch (error) {
    throw new ExitError(EXIT.diffError, error);
  }
  return { request, concurrency, host: hostFlagsOf(flags) };
}
