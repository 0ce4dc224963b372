// Errors from talking to an API server, and their translation into one readable line plus a hint.
import type { V1StatusCause } from '@kubernetes/client-node';
import { redact } from '../util/secrets.js';

/** meta/v1 StatusCause (client-node's model; no timestamps, so it is the wire shape). */
export type StatusCause = V1StatusCause;

/** What a request was doing, for messages ("create serviceaccounts x in namespace y"). */
export interface RequestIntent {
  verb: string;
  resource?: string;
  name?: string;
  namespace?: string;
}

/** The API server answered with an error status. */
export class KubeApiError extends Error {
  override readonly name = 'KubeApiError';
  constructor(
    readonly cluster: string,
    readonly statusCode: number,
    readonly reason: string,
    readonly serverMessage: string,
    readonly intent: RequestIntent,
    readonly causes: StatusCause[] = [],
    /** Requests sent before this answer: above 1 when earlier attempts failed in transit (a create may have landed). */
    public attempts = 1,
  ) {
    // Messages end up in reports and logs: no credential of this run, whatever the server quoted.
    super(redact(`${cluster}: ${describeIntent(intent)}: ${serverMessage || reason || `HTTP ${statusCode}`}`));
    this.serverMessage = redact(serverMessage);
  }
}

/** The API server could not be reached (connection refused, TLS failure, timeout, ...). */
export class ClusterUnreachableError extends Error {
  override readonly name = 'ClusterUnreachableError';
  constructor(
    readonly cluster: string,
    readonly server: string,
    readonly code: string,
    readonly detail: string,
    readonly intent?: RequestIntent,
  ) {
    super(redact(`${cluster}: cannot reach ${server}${intent ? ` to ${describeIntent(intent)}` : ''}: ${detail}`));
    this.server = redact(server);
    this.detail = redact(detail);
  }

  /** The same failure for a later request that was not sent because of it. */
  forIntent(intent: RequestIntent): ClusterUnreachableError {
    const detail = this.detail.startsWith(NOT_SENT) ? this.detail : `${NOT_SENT}${this.detail}`;
    return new ClusterUnreachableError(this.cluster, this.server, this.code, detail, intent);
  }

  /** True when this request was never sent, because an earlier one found the server unreachable. */
  get notSent(): boolean {
    return this.detail.startsWith(NOT_SENT);
  }
}

const NOT_SENT = 'not sent, the server was found unreachable earlier in this run: ';

/** True for a 404 answer. */
export function isNotFound(error: unknown): boolean {
  return error instanceof KubeApiError && error.statusCode === 404;
}

/** True for a 409 AlreadyExists answer. */
export function isAlreadyExists(error: unknown): boolean {
  return error instanceof KubeApiError && error.statusCode === 409 && error.reason === 'AlreadyExists';
}

/** True for a 409 Conflict (stale resourceVersion or SSA field conflict). */
export function isConflict(error: unknown): boolean {
  return error instanceof KubeApiError && error.statusCode === 409 && error.reason !== 'AlreadyExists';
}

/** True for a 410 Gone: a watch's resourceVersion is too old, list again. */
export function isGone(error: unknown): boolean {
  return error instanceof KubeApiError && error.statusCode === 410;
}

/** Builds a KubeApiError from an HTTP answer whose body may be a metav1.Status. */
export function apiErrorFromResponse(
  cluster: string,
  statusCode: number,
  body: string,
  intent: RequestIntent,
): KubeApiError {
  let status: { reason?: unknown; message?: unknown; details?: { causes?: unknown } } = {};
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object') status = parsed;
  } catch {
    // not JSON: keep the raw text as the message
  }
  const reason = typeof status.reason === 'string' ? status.reason : reasonForCode(statusCode);
  const message = typeof status.message === 'string' ? status.message : body.trim().slice(0, 300);
  const causes = Array.isArray(status.details?.causes) ? (status.details.causes as StatusCause[]) : [];
  return new KubeApiError(cluster, statusCode, reason, message, intent, causes);
}

function reasonForCode(code: number): string {
  const reasons: Record<number, string> = {
    400: 'BadRequest',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'NotFound',
    405: 'MethodNotAllowed',
    409: 'Conflict',
    410: 'Expired',
    422: 'Invalid',
    429: 'TooManyRequests',
    500: 'InternalError',
    503: 'ServiceUnavailable',
    504: 'Timeout',
  };
  return reasons[code] ?? `HTTP${code}`;
}

/** "create serviceaccounts "x" in namespace "y"" */
export function describeIntent(intent: RequestIntent): string {
  const parts = [intent.verb];
  if (intent.resource) parts.push(intent.resource);
  if (intent.name) parts.push(`"${intent.name}"`);
  if (intent.namespace) parts.push(`in namespace "${intent.namespace}"`);
  return parts.join(' ');
}

/** One line saying what failed, where and why, plus what the user can do; undefined if not an API error. */
export function explainClusterError(error: unknown): { message: string; hint?: string; details: string[] } | undefined {
  if (error instanceof ClusterUnreachableError) {
    const tls = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|altnames|Hostname/i.test(error.code + error.detail);
    const hint = tls
      ? `check certificate-authority / tls-server-name for "${error.cluster}" in the kubeconfig (or the KubeFedCluster caBundle)`
      : error.code === 'ETIMEDOUT'
        ? 'the server did not answer in time; check the address, or raise --request-timeout'
        : 'is the cluster running, and is its address reachable from here?';
    return { message: error.message, hint, details: [] };
  }
  if (!(error instanceof KubeApiError)) return undefined;
  const details = error.causes.map((c) => `${c.field ?? '(object)'}: ${c.message ?? c.reason ?? ''}`);
  const hints: Record<number, string> = {
    401: `the credentials for "${error.cluster}" were refused; check the user in the kubeconfig (an expired token?)`,
    403: `the identity used for "${error.cluster}" lacks the RBAC permission to ${describeIntent(error.intent)}`,
    429: 'the server is throttling requests; try again, or lower --concurrency',
  };
  let hint = hints[error.statusCode];
  if (error.statusCode === 409 && error.reason === 'Conflict' && /apply|conflict with/i.test(error.serverMessage)) {
    hint = 'another field manager owns these fields; re-run with --force-conflicts to take them over';
  }
  return { message: error.message, ...(hint ? { hint } : {}), details };
}
