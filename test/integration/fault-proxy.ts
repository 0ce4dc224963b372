// Fault injection for integration tests: a TLS reverse proxy in front of one real test cluster
// that forwards everything unless a rule says to fail, drop, delay or hang; plus dead endpoints
// (a listener that never answers, a port that refuses). Node built-ins only, so what a test
// observes is the CLI's own behaviour against a real API server, not a mock's.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import { join } from 'node:path';
import { kubeconfigDoc, writeKubeconfig } from './harness.js';

/**
 * One fault. Matching: `methods` (any if absent) and `path` (tested against path + query). Which
 * matching requests it fires on: it lets the first `after` through, then fires on the next `times`
 * (all if absent), each with `probability` (seeded, so a run is repeatable). The first rule that
 * fires decides; a request no rule fires on is forwarded untouched.
 *
 * What it does: waits `delayMs` if set, then one of: answers `status` with a Kubernetes Status body
 * (and `Retry-After: retryAfter`); `hang`s (never answers); `reset`s the connection without
 * forwarding; forwards and then resets (`resetAfterForward`: the write happened but the client
 * never hears so); or, with only `delayMs`, forwards.
 */
export interface FaultRule {
  /** Key in counts.byRule; default `rule<index>`. */
  name?: string;
  methods?: string[];
  path?: RegExp;
  after?: number;
  times?: number;
  probability?: number;
  delayMs?: number;
  status?: number;
  retryAfter?: number;
  hang?: boolean;
  reset?: boolean;
  resetAfterForward?: boolean;
}

export interface LogEntry {
  method: string;
  path: string;
  /** The status the client got (forwarded or injected); absent when it got none. */
  status?: number;
  /** Name of the rule that fired, if any. */
  fault?: string;
}

export interface Counts {
  /** TLS connections accepted from clients. */
  connections: number;
  total: number;
  byMethod: Record<string, number>;
  /** How often each rule fired. */
  byRule: Record<string, number>;
}

export interface FaultProxy {
  url: string;
  port: number;
  /** Replaces the rules (and their counters); re-seeds the random generator. */
  setRules(rules: FaultRule[]): void;
  clearRules(): void;
  counts: Counts;
  log: LogEntry[];
  /** Zeroes counts and log, e.g. between a faulty run and the re-run that must only read. */
  resetCounts(): void;
  /** Stops listening and drops every connection: from now on connecting is refused, as with a stopped server. */
  refuseConnections(): Promise<void>;
  /** Listens again on the same port. */
  acceptConnections(): Promise<void>;
  /** Called for each request as it arrives, before any rule: lets a test act at the Nth write. */
  onRequest?: (method: string, path: string) => void;
  close(): Promise<void>;
}

export interface FaultProxyOptions {
  /** https://127.0.0.1:PORT of the real cluster. */
  upstream: string;
  /** Base64 PEM of the upstream's CA (the kubeconfig's certificate-authority-data); absent: not verified. */
  caData?: string;
  /** Serving certificate and key; reuse DIR/clusterN/pki/apiserver.{crt,key} so the kubeconfig's CA still validates. */
  certFile: string;
  keyFile: string;
  /** Seed for `probability` rules. */
  seed?: number;
}

const REASONS: Record<number, string> = {
  409: 'Conflict',
  429: 'TooManyRequests',
  500: 'InternalError',
  502: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
]);

/** A small deterministic generator (mulberry32): the same seed fires the same probability rules. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function emptyCounts(): Counts {
  return { connections: 0, total: 0, byMethod: {}, byRule: {} };
}

/** Starts the proxy on 127.0.0.1 and a free port. */
export async function startFaultProxy(opts: FaultProxyOptions): Promise<FaultProxy> {
  const upstream = new URL(opts.upstream);
  // Keep-alive to the upstream, like the CLI's own client, so the proxy adds no connection churn.
  const agent = new https.Agent({
    keepAlive: true,
    maxSockets: 64,
    ...(opts.caData ? { ca: Buffer.from(opts.caData, 'base64') } : { rejectUnauthorized: false }),
  });
  const sockets = new Set<net.Socket>();
  let rules: { rule: FaultRule; name: string; seen: number; fired: number }[] = [];
  let random = seeded(opts.seed ?? 1);

  const proxy: FaultProxy = {
    url: '',
    port: 0,
    counts: emptyCounts(),
    log: [],
    setRules(list) {
      rules = list.map((rule, i) => ({ rule, name: rule.name ?? `rule${i}`, seen: 0, fired: 0 }));
      random = seeded(opts.seed ?? 1);
    },
    clearRules() {
      rules = [];
    },
    resetCounts() {
      proxy.counts = emptyCounts();
      proxy.log = [];
    },
    refuseConnections: async () => {
      if (!server.listening) return;
      const closed = once(server, 'close');
      server.close();
      for (const s of sockets) s.destroy();
      await closed;
    },
    acceptConnections: async () => {
      if (server.listening) return;
      server.listen(proxy.port, '127.0.0.1');
      await once(server, 'listening');
    },
    close: async () => {
      await proxy.refuseConnections();
      agent.destroy();
    },
  };

  /** The first rule that fires on this request, counting matches as it goes. */
  const pick = (method: string, path: string): { rule: FaultRule; name: string } | undefined => {
    for (const r of rules) {
      if (r.rule.methods && !r.rule.methods.includes(method)) continue;
      if (r.rule.path && !r.rule.path.test(path)) continue;
      r.seen++;
      if (r.seen <= (r.rule.after ?? 0)) continue;
      if (r.rule.times !== undefined && r.fired >= r.rule.times) continue;
      if (r.rule.probability !== undefined && random() >= r.rule.probability) continue;
      r.fired++;
      proxy.counts.byRule[r.name] = (proxy.counts.byRule[r.name] ?? 0) + 1;
      return r;
    }
    return undefined;
  };

  /** Sends the request on; resolves with the upstream's answer, fully read. */
  const forward = (
    method: string,
    path: string,
    headers: http.IncomingHttpHeaders,
    body: Buffer,
  ): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const out: http.OutgoingHttpHeaders = {};
      for (const [k, v] of Object.entries(headers)) if (!HOP_BY_HOP.has(k) && v !== undefined) out[k] = v;
      out['host'] = upstream.host;
      out['content-length'] = String(body.length);
      const req = https.request(
        { host: upstream.hostname, port: upstream.port, method, path, headers: out, agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  const server = https.createServer(
    { cert: readFileSync(opts.certFile), key: readFileSync(opts.keyFile), keepAlive: true },
    (req, res) => {
      const method = req.method ?? 'GET';
      const path = req.url ?? '/';
      proxy.counts.total++;
      proxy.counts.byMethod[method] = (proxy.counts.byMethod[method] ?? 0) + 1;
      const entry: LogEntry = { method, path };
      proxy.log.push(entry);
      proxy.onRequest?.(method, path);
      const fired = pick(method, path);
      if (fired) entry.fault = fired.name;
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void (async () => {
          const rule = fired?.rule ?? {};
          if (rule.delayMs) await new Promise((r) => setTimeout(r, rule.delayMs));
          if (rule.hang) return; // the socket stays open until the client gives up or close()
          if (rule.reset) return void req.socket.destroy();
          if (rule.status !== undefined) {
            const code = rule.status;
            const reason = REASONS[code] ?? 'InternalError';
            const body = JSON.stringify({
              kind: 'Status',
              apiVersion: 'v1',
              metadata: {},
              status: 'Failure',
              message: `injected by the fault proxy: ${code} ${reason}`,
              reason,
              code,
            });
            entry.status = code;
            res.writeHead(code, {
              'Content-Type': 'application/json',
              ...(rule.retryAfter !== undefined ? { 'Retry-After': String(rule.retryAfter) } : {}),
            });
            return void res.end(body);
          }
          // A real server processes what it received even if the client has gone meanwhile.
          let answer;
          try {
            answer = await forward(method, path, req.headers, Buffer.concat(chunks));
          } catch {
            // The upstream is down: the client sees its connection drop, as with a dying server.
            entry.fault ??= 'upstream-unreachable';
            return void req.socket.destroy();
          }
          if (rule.resetAfterForward) {
            entry.fault = `${entry.fault} (upstream answered ${answer.status})`;
            return void req.socket.destroy();
          }
          entry.status = answer.status;
          if (res.destroyed) return;
          const headers: http.OutgoingHttpHeaders = {};
          for (const [k, v] of Object.entries(answer.headers))
            if (!HOP_BY_HOP.has(k) && v !== undefined) headers[k] = v;
          headers['content-length'] = String(answer.body.length);
          res.writeHead(answer.status, headers);
          res.end(answer.body);
        })();
      });
    },
  );
  server.on('secureConnection', (socket: net.Socket) => {
    proxy.counts.connections++;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('tlsClientError', () => undefined);
  // Like the API server, keep idle connections long: a short idle timeout would itself drop writes.
  server.keepAliveTimeout = 120_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  proxy.port = (server.address() as net.AddressInfo).port;
  proxy.url = `https://127.0.0.1:${proxy.port}`;
  return proxy;
}

export interface Blackhole {
  url: string;
  port: number;
  /** TCP connections accepted so far, and bytes received on them. */
  counts: { connections: number; bytes: number };
  close(): Promise<void>;
}

/** A dead endpoint that is not refusing: accepts TCP connections, reads, never answers (not even TLS). */
export async function startBlackhole(): Promise<Blackhole> {
  const sockets = new Set<net.Socket>();
  const hole: Blackhole = {
    url: '',
    port: 0,
    counts: { connections: 0, bytes: 0 },
    close: async () => {
      for (const s of sockets) s.destroy();
      server.close();
      await once(server, 'close').catch(() => undefined);
    },
  };
  const server = net.createServer((socket) => {
    hole.counts.connections++;
    sockets.add(socket);
    socket.on('data', (d) => (hole.counts.bytes += d.length));
    socket.on('error', () => undefined);
    socket.once('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  hole.port = (server.address() as net.AddressInfo).port;
  hole.url = `https://127.0.0.1:${hole.port}`;
  return hole;
}

/** A loopback port nobody listens on (bound, then released), so connecting is refused at once. */
export async function refusingPort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/**
 * The test kubeconfig with some contexts' servers replaced (e.g. `{ cluster2: proxy.url }`). Each
 * such context gets its own cluster entry, keeping the CA, so other contexts are unaffected.
 */
export function kubeconfigWithServers(servers: Record<string, string>): string {
  const doc = kubeconfigDoc();
  for (const [context, server] of Object.entries(servers)) {
    const ctx = doc.contexts.find((c) => c.name === context);
    if (!ctx) throw new Error(`no context ${context} in the test kubeconfig`);
    const original = doc.clusters.find((c) => c.name === ctx.context['cluster']);
    if (!original) throw new Error(`context ${context} names no cluster in the test kubeconfig`);
    const name = `${context}-via-${new URL(server).port}`;
    doc.clusters.push({ name, cluster: { ...original.cluster, server } });
    ctx.context = { ...ctx.context, cluster: name };
  }
  return writeKubeconfig(doc);
}

/** Where a test cluster really is (server URL and CA) and its serving certificate files, for a proxy in front of it. */
export function clusterEndpoint(dir: string, name: string): Omit<FaultProxyOptions, 'seed'> {
  const doc = kubeconfigDoc();
  const ctx = doc.contexts.find((c) => c.name === name);
  const cluster = doc.clusters.find((c) => c.name === ctx?.context['cluster'])?.cluster;
  if (!cluster || typeof cluster['server'] !== 'string') throw new Error(`no cluster ${name} in the test kubeconfig`);
  const caData = cluster['certificate-authority-data'];
  return {
    upstream: cluster['server'],
    ...(typeof caData === 'string' ? { caData } : {}),
    certFile: join(dir, name, 'pki', 'apiserver.crt'),
    keyFile: join(dir, name, 'pki', 'apiserver.key'),
  };
}
