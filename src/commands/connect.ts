// Turns the host flags into a client factory. Kept apart from shared-flags.ts so that declaring
// flags (which `--help` does) never loads the HTTP layer.
import { UsageError } from '../errors.js';
import { ClientFactory } from '../kube/factory.js';
import { parseDurationMs } from '../util/duration.js';
import { VERSION } from '../version.js';
import type { HostFlags } from './shared-flags.js';

/** Parses the --request-timeout value. */
export function requestTimeoutMs(value: string): number {
  const ms = parseDurationMs(value);
  if (ms === undefined) throw new UsageError(`invalid --request-timeout "${value}": use a duration such as 30s, 2m or 0`);
  return ms;
}

/** A client factory configured from the host flags. */
export function clientFactory(flags: HostFlags, log?: (line: string) => void, maxInFlight?: number): ClientFactory {
  return new ClientFactory({
    ...(log ? { log } : {}),
    ...(maxInFlight ? { maxInFlight } : {}),
    ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}),
    requestTimeoutMs: requestTimeoutMs(flags.requestTimeout),
    userAgent: `kubefedctl/${VERSION}`,
  });
}

