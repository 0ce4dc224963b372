// HTTP(S) to one API server: keep-alive connections, a cap on requests in flight, retries with
// backoff on 429 / 5xx / dropped connections (honouring Retry-After), and a per-request timeout.
import * as http from 'node:http';
import * as https from 'node:https';
import { setTimeout as delay } from 'node:timers/promises';
import { createSecureContext, type TLSSocket } from 'node:tls';
import { urlToHttpOptions } from 'node:url';
import type { HttpProxyAgent, HttpsProxyAgent } from 'hpagent';
import type { SocksProxyAgent } from 'socks-proxy-agent';
import type { ClusterAccess } from './cluster-access.js';
import { ClusterUnreachableError, type RequestIntent } from './api-error.js';
import { execCredential, forgetExecCredential } from './exec-credentials.js';
import { PROTOBUF_CONTENT_TYPE } from './protobuf-metadata.js';

export interface TransportOptions {
  /** Per-request timeout in milliseconds; 0 means none. */
  timeoutMs: number;
  /** Requests in flight at once to this server. */
  maxInFlight: number;
  /** Retries after the first attempt. */
  maxRetries: number;
  userAgent: string;
  /** Receives one line per request sent, for -v=6. */
  log?: (line: string) => void;
}

/**
 * Retries for a readiness probe: a throttling (429) or briefly failing (5xx) front end is retried
 * with Retry-After or backoff for up to 20 s before the cluster is called not ready; a refused or
 * dropped connection only once, so a dead member costs a run little time.
 */
export const PROBE_RETRIES = { maxRetries: 8, maxNetworkRetries: 1, retryBudgetMs: 20_000 } as const;

export const DEFAULT_TRANSPORT_OPTIONS: TransportOptions = {
  timeoutMs: 30_000,
  maxInFlight: 16,
  maxRetries: 4,
  userAgent: 'kubefedctl',
};

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | undefined>;
  body?: string;
  contentType?: string;
  /** Accept header; JSON by default. */
  accept?: string;
  /** The caller reads only the status of a successful answer: its body is dropped as it arrives. */
  bodyUnread?: boolean;
  /** Overrides the transport's timeout and retries for this request (e.g. a quick health probe). */
  timeoutMs?: number;
  maxRetries?: number;
  /** Retries after a connection-level failure; defaults to maxRetries. */
  maxNetworkRetries?: number;
  /** No retry starts once this many ms have passed since the first attempt (a probe's time budget). */
  retryBudgetMs?: number;
  /**
   * A POST that may be sent again after a 5xx or a dropped connection: a create with a fixed name,
   * whose repeat is answered 409 AlreadyExists, which the caller resolves. Creates with
   * generateName are not: a repeat would make a second object.
   */
  retrySafe?: boolean;
  /** Cancels the request in flight and any retry still to come (a deadline the caller keeps). */
  signal?: AbortSignal;
  intent: RequestIntent;
}

export interface HttpResponse {
  statusCode: number;
  headers: http.IncomingHttpHeaders;
  /** The body as text (decoded when first read). */
  body: string;
  /** The body as received, for a binary answer (protobuf). */
  bytes?: Buffer;
  /** Requests sent for this answer (1 when the first attempt answered). */
  attempts: number;
}

/**
 * A protobuf answer: kept as bytes, read as text only if asked (an error's message). A class, not
 * a literal with a getter: each such literal's getter kept its request's whole graph (socket
 * buffers, headers, the ClientRequest) alive through young collections, until a full one. At
 * 3 x 5,501 creates that was 100 MB promoted and 0.8 s of collector time (docs/performance.md).
 */
class BinaryAnswer implements HttpResponse {
  attempts = 1;
  private text: string | undefined;
  constructor(
    readonly statusCode: number,
    readonly headers: http.IncomingHttpHeaders,
    readonly bytes: Buffer,
  ) {}
  get body(): string {
    return (this.text ??= this.bytes.toString('utf8'));
  }
}

/** Where a request goes: its path with the query, and its URL for messages. */
interface RequestUrl {
  path: string;
  isHttps: boolean;
  href: string;
}

/** The server's address, parsed once: requests only add a path and a query. */
interface ServerAddress {
  protocol: string;
  hostname: string;
  port: number | undefined;
  auth: string | undefined;
  origin: string;
  pathPrefix: string;
}

/** Counts of requests actually sent, by HTTP method: how tests and benchmarks prove "no writes". */
export type RequestCounts = Record<string, number>;

interface Credentials {
  headers: Record<string, string>;
  cert?: Buffer;
  key?: Buffer;
}

const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ENOTCONN',
  'EAI_AGAIN',
  'ECONNABORTED',
]);
const ACCEPTABLE_VALIDITY_ERRORS = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);
const MAX_RETRY_AFTER_MS = 30_000;

/** Connection-level failures that mean the server cannot be reached at all (not a dropped reply). */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** Connection-level failures in a row, with no answer between them, after which a server is taken as gone. */
const MAX_FAILURES_IN_A_ROW = 10;

/** Writes answered with success, per cluster, by every transport of this process: what an interruption leaves behind. */
const writesDone = new Map<string, number>();

/** The proxy agents' classes (hpagent, socks-proxy-agent). */
interface ProxyAgents {
  HttpProxyAgent: typeof HttpProxyAgent;
  HttpsProxyAgent: typeof HttpsProxyAgent;
  SocksProxyAgent: typeof SocksProxyAgent;
}
let proxyAgents: Promise<ProxyAgents> | undefined;

/** Loaded for the first server reached through a proxy: ~130 KB that no other run needs before its first request. */
function loadProxyAgents(): Promise<ProxyAgents> {
  proxyAgents ??= Promise.all([import('hpagent'), import('socks-proxy-agent')]).then(([hp, socks]) => ({
    HttpProxyAgent: hp.HttpProxyAgent,
    HttpsProxyAgent: hp.HttpsProxyAgent,
    SocksProxyAgent: socks.SocksProxyAgent,
  }));
  return proxyAgents;
}

/** Successful writes so far in this process, by cluster name. */
export function writesSoFar(): ReadonlyMap<string, number> {
  return writesDone;
}

export class Transport {
  readonly counts: RequestCounts = {};
  private agent: http.Agent | undefined;
  private agentCert: Buffer | undefined;
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly access: ClusterAccess,
    readonly options: TransportOptions = DEFAULT_TRANSPORT_OPTIONS,
    private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void> = (ms, signal) =>
      delay(ms, undefined, signal ? { signal } : {}),
  ) {}

  /** Sends a request, retrying transient failures; returns the final answer whatever its status. */
  async request(req: HttpRequest): Promise<HttpResponse> {
    const resendable = req.method !== 'POST' || req.retrySafe === true;
    const maxRetries = req.maxRetries ?? this.options.maxRetries;
    const maxNetworkRetries = req.maxNetworkRetries ?? maxRetries;
    const started = Date.now();
    const withinBudget = (waitMs: number) =>
      req.retryBudgetMs === undefined || Date.now() - started + waitMs <= req.retryBudgetMs;
    let refreshedCredential = false;
    for (let attempt = 0; ; attempt++) {
      req.signal?.throwIfAborted();
      // Once a server was found unreachable, the rest of the run does not wait on it again.
      if (this.down) throw this.down.forIntent(req.intent);
      // Credential problems (a failing exec plugin) are the user's to fix, not a network failure to retry.
      const credentials = await this.credentials();
      let failure: { error: ClusterUnreachableError; retryAfterMs?: number } | undefined;
      // Inside the slot, so that a server found gone is marked before the next queued request takes the slot.
      const answer = await this.limited(async () => {
        if (this.down) return undefined;
        try {
          return await this.send(req, credentials);
        } catch (error) {
          // Given up by the caller: not a sign that the server is gone.
          if (req.signal?.aborted) throw error;
          failure = this.connectionFailure(error, req, attempt, { resendable, maxNetworkRetries, withinBudget });
          return undefined;
        }
      });
      if (failure) {
        const { error, retryAfterMs: wait } = failure;
        if (wait === undefined || this.down) throw error;
        await this.sleep(wait, req.signal);
        continue;
      }
      if (!answer) throw this.down!.forIntent(req.intent);
      this.failuresInARow = 0;
      const response: HttpResponse = Object.assign(answer, { attempts: attempt + 1 });
      if (response.statusCode === 401 && this.access.exec && !refreshedCredential) {
        // The plugin's cached credential may have been revoked early: ask it again once, like client-go.
        forgetExecCredential(this.access);
        refreshedCredential = true;
        continue;
      }
      const status = response.statusCode;
      const retryable = status === 429 || (status >= 500 && status !== 501 && resendable);
      const wait = retryAfterMs(response.headers['retry-after']) ?? backoffMs(attempt);
      if (retryable && attempt < maxRetries && withinBudget(wait)) {
        await this.sleep(wait, req.signal);
        continue;
      }
      if (status >= 200 && status < 300 && isRealWrite(req))
        writesDone.set(this.access.name, (writesDone.get(this.access.name) ?? 0) + 1);
      return response;
    }
  }

  /**
   * Classifies a failed attempt: when to retry (`retryAfterMs`), and whether the server is now taken
   * as gone (no connection after all retries, or every recent attempt dropped, whichever request
   * made them). A refused connection never reached the server, so even a create may be resent.
   */
  private connectionFailure(
    error: unknown,
    req: HttpRequest,
    attempt: number,
    policy: { resendable: boolean; maxNetworkRetries: number; withinBudget: (ms: number) => boolean },
  ): { error: ClusterUnreachableError; retryAfterMs?: number } {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    const unreachable = this.unreachable(error, req.intent);
    const wait = backoffMs(attempt);
    const resendable = policy.resendable || code === 'ECONNREFUSED';
    const retriesLeft =
      RETRYABLE_NETWORK_CODES.has(code) &&
      resendable &&
      attempt < policy.maxNetworkRetries &&
      policy.withinBudget(wait);
    const connectionLevel = UNREACHABLE_CODES.has(code) || RETRYABLE_NETWORK_CODES.has(code);
    if (connectionLevel) this.failuresInARow++;
    const exhausted = !retriesLeft && (UNREACHABLE_CODES.has(code) || attempt >= policy.maxNetworkRetries);
    if (connectionLevel && (exhausted || this.failuresInARow >= MAX_FAILURES_IN_A_ROW)) this.down ??= unreachable;
    return retriesLeft ? { error: unreachable, retryAfterMs: wait } : { error: unreachable };
  }

  /** Set once a request found the server unreachable; later requests fail at once instead of waiting. */
  private down: ClusterUnreachableError | undefined;
  /** Attempts that failed at the connection level since the last answer, across all requests. */
  private failuresInARow = 0;

  /** True once this run found the server unreachable. */
  get unreachableFound(): boolean {
    return this.down !== undefined;
  }

  /** Why the server was taken as unreachable (e.g. "connect ECONNREFUSED …"), if it was. */
  get unreachableReason(): string | undefined {
    return this.down?.detail;
  }

  /** Closes idle keep-alive connections so the process can exit promptly. */
  close(): void {
    this.agent?.destroy();
    this.agent = undefined;
  }

  private async limited<T>(fn: () => Promise<T>): Promise<T> {
    while (this.inFlight >= this.options.maxInFlight) await new Promise<void>((r) => this.waiting.push(r));
    this.inFlight++;
    try {
      return await fn();
    } finally {
      this.inFlight--;
      this.waiting.shift()?.();
    }
  }

  /**
   * A watch (or any streamed GET): calls `onLine` with each line of the answer as it arrives, and
   * resolves when the server ends the stream (its timeoutSeconds) or `signal` aborts it. A non-2xx
   * answer resolves with its status and body. Not retried, and outside the in-flight cap and the
   * shared connections, since it stays open for minutes: the caller lists again when it ends. A
   * failed connection rejects; the caller's next list decides whether the server is gone.
   */
  async stream(
    req: HttpRequest,
    onLine: (line: string) => void,
    signal: AbortSignal,
  ): Promise<{ statusCode: number; body: string }> {
    if (this.down) throw this.down.forIntent(req.intent);
    const credentials = await this.credentials();
    const proxies = this.access.proxyUrl ? await loadProxyAgents() : undefined;
    const { url, options } = this.requestOptions(req, credentials, proxies, true);
    this.counts['WATCH'] = (this.counts['WATCH'] ?? 0) + 1;
    const started = Date.now();
    return new Promise((resolve, reject) => {
      if (signal.aborted) return resolve({ statusCode: 0, body: '' });
      let statusCode = 0;
      let body = '';
      let settled = false;
      const fail = (e: unknown) => {
        if (settled) return;
        settled = true;
        reject(e instanceof Error ? e : new Error(String(e)));
      };
      const finish = () => {
        if (settled) return;
        settled = true;
        this.options.log?.(
          `${this.access.name}: WATCH ${url.href} ${statusCode} ended after ${Date.now() - started} ms`,
        );
        resolve({ statusCode, body });
      };
      const request = (url.isHttps ? https : http).request({ ...options, signal }, (res) => {
        statusCode = res.statusCode ?? 0;
        const ok = statusCode >= 200 && statusCode < 300;
        let pending = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (!ok) return void (body += chunk);
          pending += chunk;
          for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
            const line = pending.slice(0, nl).trim();
            pending = pending.slice(nl + 1);
            if (line) onLine(line);
          }
        });
        res.on('end', () => {
          if (ok && pending.trim()) onLine(pending.trim());
          finish();
        });
        res.on('error', (e) => (signal.aborted ? finish() : fail(e)));
        // A stream cut without 'end' or 'error' must not leave the caller waiting.
        res.on('close', () =>
          signal.aborted || res.complete ? finish() : fail(new Error('the watch stream was closed early')),
        );
      });
      request.on('error', (e) => (signal.aborted ? finish() : fail(e)));
      request.end();
    });
  }

  /**
   * URL, headers, TLS and agent of a request; `streaming` gives it a connection of its own. One
   * object literal, made without waiting: a fleet's first run makes 50,000 of them.
   */
  private requestOptions(
    req: HttpRequest,
    credentials: Credentials,
    proxies: ProxyAgents | undefined,
    streaming = false,
  ): { url: RequestUrl; options: https.RequestOptions } {
    const { cert, key } = credentials;
    const url = this.urlOf(req);
    const tls = this.tlsOptions(cert, key);
    const agent = streaming ? this.newAgent(tls, { keepAlive: false }, proxies) : this.agentFor(cert, tls, proxies);
    const { protocol, hostname, port, auth } = this.serverAddress();
    const options: https.RequestOptions = {
      protocol,
      hostname,
      port,
      auth,
      path: url.path,
      method: req.method,
      headers: this.headersFor(req, credentials),
      agent,
      signal: req.signal,
    };
    // A direct connection's agent was made with the TLS options; a proxy's agent takes them per request.
    return { url, options: url.isHttps && proxies ? { ...options, ...tls } : options };
  }

  private server: ServerAddress | undefined;

  private serverAddress(): ServerAddress {
    if (!this.server) {
      const url = new URL(this.access.server);
      const { protocol, hostname, port, auth } = urlToHttpOptions(url);
      this.server = {
        protocol: protocol ?? 'https:',
        hostname: hostname ?? '',
        port: port ? Number(port) : undefined,
        auth: auth ?? undefined,
        origin: url.origin,
        pathPrefix: url.pathname.replace(/\/$/, ''),
      };
    }
    return this.server;
  }

  private urlOf(req: HttpRequest): RequestUrl {
    const server = this.serverAddress();
    let path = server.pathPrefix + req.path;
    const query = queryString(req.query);
    if (query) path += (path.includes('?') ? '&' : '?') + query;
    // What Node would refuse to send (spaces, non-ASCII) is escaped as the URL parser does.
    if (/[^\x21-\x7e]/.test(path)) {
      const parsed = new URL(path, 'http://host');
      path = parsed.pathname + parsed.search;
    }
    return { path, isHttps: server.protocol === 'https:', href: server.origin + path };
  }

  private headersFor(req: HttpRequest, credentials: Credentials): Record<string, string> {
    // A literal, then the credentials' few headers copied one by one: a copy by spread, grown by
    // four more keys, took 4 µs a request here against 0.7 µs (docs/performance.md, session 11).
    const headers: Record<string, string> = {
      Accept: req.accept ?? 'application/json',
      'User-Agent': this.options.userAgent,
    };
    for (const name in credentials.headers) headers[name] = credentials.headers[name]!;
    if (req.body !== undefined) {
      headers['Content-Type'] = req.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(req.body));
    }
    return headers;
  }

  private async send(req: HttpRequest, credentials: Credentials): Promise<HttpResponse> {
    const proxies = this.access.proxyUrl ? await loadProxyAgents() : undefined;
    const { url, options } = this.requestOptions(req, credentials, proxies);
    this.counts[req.method] = (this.counts[req.method] ?? 0) + 1;
    const started = Date.now();
    const log = this.options.log;
    return new Promise<HttpResponse>((resolve, reject) => {
      const request = (url.isHttps ? https : http).request(options, (res) => {
        // A protobuf answer is kept as bytes and never read as text. Any other is decoded as it
        // arrives: a page of a list is megabytes, and its pieces and their copy in one Buffer,
        // freed only by a full collection, were most of a fleet-sized no-op's memory.
        const binary = String(res.headers['content-type'] ?? '').startsWith(PROTOBUF_CONTENT_TYPE);
        const ok = (res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300;
        const chunks: Buffer[] = [];
        let text = '';
        if (req.bodyUnread && ok) res.resume();
        else if (binary) res.on('data', (c: Buffer) => chunks.push(c));
        else {
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
        }
        res.on('end', () => {
          clearTimeout(timer);
          log?.(`${this.access.name}: ${req.method} ${url.href} ${res.statusCode ?? 0} in ${Date.now() - started} ms`);
          const statusCode = res.statusCode ?? 0;
          resolve(
            binary
              ? new BinaryAnswer(statusCode, res.headers, Buffer.concat(chunks))
              : { statusCode, headers: res.headers, body: text, attempts: 1 },
          );
        });
        res.on('error', (e) => {
          clearTimeout(timer);
          reject(e);
        });
      });
      const timeoutMs = req.timeoutMs ?? this.options.timeoutMs;
      const timer =
        timeoutMs > 0
          ? setTimeout(
              () =>
                request.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })),
              timeoutMs,
            )
          : undefined;
      request.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      if (this.access.allowExpiredCertificate)
        request.on('socket', (socket) => this.checkValidityOnly(socket as TLSSocket, request));
      request.end(req.body);
    });
  }

  private credentials(): Promise<Credentials> {
    if (this.access.exec) return this.credentialsNow();
    return (this.fixedCredentials ??= this.credentialsNow());
  }

  private async credentialsNow(): Promise<Credentials> {
    const headers: Record<string, string> = {};
    let cert = this.access.certData;
    let key = this.access.keyData;
    let token = this.access.token;
    if (this.access.exec) {
      const credential = await execCredential(this.access);
      if (credential.token) token = credential.token;
      if (credential.certData && credential.keyData) {
        cert = credential.certData;
        key = credential.keyData;
      }
    }
    if (token) headers['Authorization'] = `Bearer ${token}`;
    else if (this.access.basicAuth) {
      const { username, password } = this.access.basicAuth;
      headers['Authorization'] = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    }
    if (this.access.impersonate) {
      headers['Impersonate-User'] = this.access.impersonate.user;
      // Node joins repeated header values; the API server accepts one group per header, so only the first is sent.
      const group = this.access.impersonate.groups[0];
      if (group) headers['Impersonate-Group'] = group;
    }
    return { headers, ...(cert ? { cert } : {}), ...(key ? { key } : {}) };
  }

  /** The credentials of a server reached without an exec plugin never change during a run. */
  private fixedCredentials: Promise<Credentials> | undefined;

  /** The TLS options made for the last client certificate (none, or the one a plugin handed out). */
  private tls: { cert: Buffer | undefined; options: https.AgentOptions } | undefined;

  private tlsOptions(cert: Buffer | undefined, key: Buffer | undefined): https.AgentOptions {
    if (this.tls && this.tls.cert === cert) return this.tls.options;
    const a = this.access;
    // One context for every connection: made from the PEM texts per connection, it parsed the CA and
    // the client's key again each time (about 1 ms a connection on these machines).
    const secureContext = createSecureContext({
      ...(a.caData ? { ca: pemText(a.caData) } : {}),
      ...(cert ? { cert: pemText(cert) } : {}),
      ...(key ? { key: pemText(key) } : {}),
    });
    const tls: https.AgentOptions = {
      rejectUnauthorized: !(a.insecureSkipTLSVerify || a.allowExpiredCertificate),
      secureContext,
    };
    if (a.tlsServerName) tls.servername = a.tlsServerName;
    if (a.skipHostnameCheck) tls.checkServerIdentity = () => undefined;
    this.tls = { cert, options: tls };
    return tls;
  }

  private agentFor(cert: Buffer | undefined, tls: https.AgentOptions, proxies?: ProxyAgents): http.Agent {
    // A plugin may hand out a new client certificate; connections made with the old one must not be reused.
    if (this.agent && this.agentCert === cert) return this.agent;
    this.agent?.destroy();
    this.agent = this.newAgent(tls, { keepAlive: true, maxSockets: this.options.maxInFlight }, proxies);
    this.agentCert = cert;
    return this.agent;
  }

  /** An agent for this server, through its proxy if it has one. */
  private newAgent(
    tls: https.AgentOptions,
    common: { keepAlive: boolean; maxSockets?: number },
    proxies: ProxyAgents | undefined,
  ): http.Agent {
    const isHttps = this.access.server.startsWith('https:');
    const proxy = this.access.proxyUrl;
    if (proxy && proxies && /^socks/i.test(proxy)) return new proxies.SocksProxyAgent(proxy, { ...common, ...tls });
    if (proxy && proxies && isHttps) return new proxies.HttpsProxyAgent({ ...common, ...tls, proxy });
    if (proxy && proxies) return new proxies.HttpProxyAgent({ ...common, proxy });
    return isHttps ? new https.Agent({ ...common, ...tls }) : new http.Agent(common);
  }

  /** With ValidityPeriod disabled, accept expired certificates but still verify the chain and names. */
  private checkValidityOnly(socket: TLSSocket, request: http.ClientRequest): void {
    if (!socket.connecting) return; // a reused keep-alive connection was checked when it was opened
    socket.once('secureConnect', () => {
      const reason = socket.authorizationError as unknown as (Error & { code?: string }) | string | null;
      const code = typeof reason === 'string' ? reason : (reason?.code ?? String(reason ?? ''));
      if (!socket.authorized && !ACCEPTABLE_VALIDITY_ERRORS.has(code)) {
        request.destroy(
          Object.assign(new Error(`certificate verification failed: ${code}`), { code: 'ERR_TLS_CERT_INVALID' }),
        );
      }
    });
  }

  private unreachable(error: unknown, intent: RequestIntent): ClusterUnreachableError {
    const e = error as NodeJS.ErrnoException;
    return new ClusterUnreachableError(this.access.name, this.access.server, e.code ?? 'ERROR', e.message, intent);
  }
}

/**
 * PEM as text. The agent names its connection pools after the TLS options on every request, which
 * turns a Buffer into a string each time: three times per request for the CA alone.
 */
function pemText(data: Buffer): string | Buffer {
  const text = data.toString('latin1');
  return text.includes('-----BEGIN') ? text : data;
}

/** Whether a query value needs no escaping (what URLSearchParams leaves as it is). */
const PLAIN_QUERY_VALUE = /^[A-Za-z0-9*._-]*$/;

/** A query string as URLSearchParams writes it, without building one for the usual plain values. */
function queryString(query: Record<string, string | undefined> | undefined): string {
  let text = '';
  for (const k in query) {
    const v = query[k];
    if (v === undefined) continue;
    if (text) text += '&';
    text +=
      PLAIN_QUERY_VALUE.test(k) && PLAIN_QUERY_VALUE.test(v) ? `${k}=${v}` : new URLSearchParams([[k, v]]).toString();
  }
  return text;
}

/** A write that changes something: not a read, and not a server dry run (query, or DeleteOptions body). */
function isRealWrite(req: HttpRequest): boolean {
  if (req.method === 'GET' || req.query?.['dryRun'] !== undefined) return false;
  return !(req.method === 'DELETE' && req.body?.includes('"dryRun"'));
}

/** Exponential backoff with jitter: ~250 ms, 500 ms, 1 s, 2 s, ... capped at 8 s. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  return Math.min(8_000, 250 * 2 ** attempt) + Math.floor(random() * 100);
}

/** Reads a Retry-After header in seconds (the only form the API server sends); undefined if absent. */
export function retryAfterMs(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  return Math.min(MAX_RETRY_AFTER_MS, Number(value) * 1000);
}
