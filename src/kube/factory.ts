// Builds clients: from kubeconfig contexts (users' own credentials) or from KubeFedCluster objects.
import {
  accessFromContext,
  accessFromKubeFedCluster,
  type ClusterAccess,
  type KubeFedClusterSpec,
} from './cluster-access.js';
import { KubeClient } from './client.js';
import { inClusterContext, serviceAccountDir, usesInCluster } from './in-cluster.js';
import { loadKubeconfig, resolveContext, type Kubeconfig, type ResolvedContext } from './kubeconfig.js';
import { DEFAULT_TRANSPORT_OPTIONS, Transport, type TransportOptions } from './transport.js';

export interface ConnectionSettings {
  /** --kubeconfig */
  kubeconfig?: string;
  /** --request-timeout in ms (0 = none). */
  requestTimeoutMs?: number;
  /** Requests in flight per cluster. */
  maxInFlight?: number;
  userAgent?: string;
  /** The field manager of writes; kubefedctl's own unless a test writes as someone else. */
  fieldManager?: string;
  /** Receives one line per request sent (-v=6). */
  log?: (line: string) => void;
  /** The pod's service account folder for the in-cluster configuration (tests; default from the env). */
  serviceAccountDir?: string;
}

export class ClientFactory {
  private config: Kubeconfig | undefined;
  private readonly clients: KubeClient[] = [];

  constructor(
    readonly settings: ConnectionSettings,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  /** The merged kubeconfig, read once on first use. */
  kubeconfig(): Kubeconfig {
    this.config ??= loadKubeconfig({
      ...(this.settings.kubeconfig ? { explicitPath: this.settings.kubeconfig } : {}),
      ...(this.env['KUBECONFIG'] !== undefined ? { envValue: this.env['KUBECONFIG'] } : {}),
      ...(this.env['HOME'] ? { home: this.env['HOME'] } : {}),
    });
    return this.config;
  }

  /**
   * Resolves a context (default: current-context); `flag` names the flag to suggest in errors.
   * With no kubeconfig inside a pod, this is the pod's service account (kube/in-cluster.ts).
   */
  context(name: string | undefined, flag: string): ResolvedContext {
    const config = this.kubeconfig();
    if (usesInCluster(this.settings.kubeconfig, config, this.env))
      return inClusterContext(
        this.env,
        this.settings.serviceAccountDir ?? serviceAccountDir(this.env),
        name ? { name, flag } : undefined,
      );
    return resolveContext(config, name, flag);
  }

  /** A client for a kubeconfig context. */
  forContext(name: string | undefined, flag = '--context'): KubeClient {
    return this.forAccess(accessFromContext(this.context(name, flag)));
  }

  /** A client that reaches a member the way propagation does: through its KubeFedCluster and Secret. */
  forKubeFedCluster(
    name: string,
    spec: KubeFedClusterSpec,
    secretData: Record<string, string> | undefined,
  ): KubeClient {
    return this.forAccess(accessFromKubeFedCluster(name, spec, secretData));
  }

  forAccess(access: ClusterAccess): KubeClient {
    const options: TransportOptions = {
      ...DEFAULT_TRANSPORT_OPTIONS,
      ...(this.settings.requestTimeoutMs !== undefined ? { timeoutMs: this.settings.requestTimeoutMs } : {}),
      ...(this.settings.maxInFlight !== undefined ? { maxInFlight: this.settings.maxInFlight } : {}),
      ...(this.settings.userAgent ? { userAgent: this.settings.userAgent } : {}),
      ...(this.settings.log ? { log: this.settings.log } : {}),
    };
    const client = new KubeClient(access.name, new Transport(access, options), this.settings.fieldManager);
    this.clients.push(client);
    return client;
  }

  /** Closes every client's idle connections. */
  closeAll(): void {
    for (const c of this.clients) c.close();
  }
}
