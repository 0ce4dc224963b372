// Turns the host flags into a client factory. Kept apart from shared-flags.ts so that declaring
// flags (which `--help` does) never loads the HTTP layer.
import { ClientFactory } from '../kube/factory.js';
import { VERSION } from '../version.js';
import { requestTimeoutMs, type HostFlags } from './shared-flags.js';

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
