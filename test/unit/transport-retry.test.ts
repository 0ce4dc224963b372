// The transport's own logic (retries, Retry-After, timeouts, keep-alive, in-flight cap), driven by a
// scripted local HTTP server. What Kubernetes decides is tested against real API servers elsewhere.
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ClusterUnreachableError } from '../../src/kube/api-error.js';
import { Transport } from '../../src/kube/transport.js';

type Step = (req: http.IncomingMessage, res: http.ServerResponse) => void;

let server: http.Server;
let base = '';
let script: Step[] = [];
let connections = 0;
let inFlight = 0;
let maxSeenInFlight = 0;

before(async () => {
  server = http.createServer((req, res) => {
    inFlight++;
    maxSeenInFlight = Math.max(maxSeenInFlight, inFlight);
    res.on('close', () => inFlight--);
    const step = script.shift() ?? ((_q, r) => r.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    step(req, res);
  });
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

function transport(
  opts: Partial<{ maxRetries: number; timeoutMs: number; maxInFlight: number }> = {},
  sleeps: number[] = [],
) {
  return new Transport(
    { name: 'test', server: base, insecureSkipTLSVerify: true },
    {
      timeoutMs: opts.timeoutMs ?? 2000,
      maxInFlight: opts.maxInFlight ?? 4,
      maxRetries: opts.maxRetries ?? 3,
      userAgent: 'test',
    },
    async (ms) => void sleeps.push(ms),
  );
}

const status =
  (code: number, headers: Record<string, string> = {}): Step =>
  (_q, r) =>
    r.writeHead(code, headers).end('{}');
const hangUp: Step = (req) => req.socket.destroy();

describe('transport retries', () => {
  it('retries 429 and honours Retry-After', async () => {
    script = [status(429, { 'retry-after': '2' }), status(200)];
    const sleeps: number[] = [];
    const t = transport({}, sleeps);
    const res = await t.request({ method: 'POST', path: '/x', body: '{}', intent: { verb: 'create' } });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(sleeps, [2000]);
    assert.equal(t.counts['POST'], 2);
    t.close();
  });

  it('retries 5xx for reads with backoff, and gives up after maxRetries', async () => {
    script = [status(503), status(500), status(502), status(504)];
    const sleeps: number[] = [];
    const t = transport({ maxRetries: 3 }, sleeps);
    const res = await t.request({ method: 'GET', path: '/x', intent: { verb: 'get' } });
    assert.equal(res.statusCode, 504);
    assert.equal(sleeps.length, 3);
    assert.ok(sleeps[0]! >= 250 && sleeps[1]! >= 500 && sleeps[2]! >= 1000);
    t.close();
  });

  it('does not resend a create after a 500, which may have been applied', async () => {
    script = [status(500), status(200)];
    const t = transport();
    assert.equal(
      (await t.request({ method: 'POST', path: '/x', body: '{}', intent: { verb: 'create' } })).statusCode,
      500,
    );
    t.close();
    script = [];
  });

  it('retries a dropped connection for reads but not for creates', async () => {
    script = [hangUp, status(200)];
    const t = transport();
    assert.equal((await t.request({ method: 'GET', path: '/x', intent: { verb: 'get' } })).statusCode, 200);
    script = [hangUp, status(200)];
    await assert.rejects(
      t.request({ method: 'POST', path: '/x', body: '{}', intent: { verb: 'create' } }),
      ClusterUnreachableError,
    );
    t.close();
    script = [];
  });

  it('times out a request that gets no answer', async () => {
    const sockets: Socket[] = [];
    script = [(req) => void sockets.push(req.socket)];
    const t = transport({ timeoutMs: 200, maxRetries: 0 });
    await assert.rejects(
      t.request({ method: 'GET', path: '/slow', intent: { verb: 'get' } }),
      (e: Error) => e instanceof ClusterUnreachableError && e.code === 'ETIMEDOUT',
    );
    t.close();
    for (const s of sockets) s.destroy();
  });

  it('reuses connections (keep-alive)', async () => {
    script = [];
    const t = transport();
    const before = connections;
    for (let i = 0; i < 5; i++) await t.request({ method: 'GET', path: '/x', intent: { verb: 'get' } });
    assert.equal(connections - before, 1);
    t.close();
  });

  it('caps the requests in flight', async () => {
    const held: http.ServerResponse[] = [];
    script = Array.from({ length: 6 }, () => (_q: http.IncomingMessage, r: http.ServerResponse) => void held.push(r));
    maxSeenInFlight = 0;
    const t = transport({ maxInFlight: 2 });
    const all = Promise.all(
      Array.from({ length: 6 }, () => t.request({ method: 'GET', path: '/x', intent: { verb: 'get' } })),
    );
    const release = setInterval(() => held.shift()?.writeHead(200).end('{}'), 20);
    await all;
    clearInterval(release);
    assert.equal(maxSeenInFlight, 2);
    t.close();
  });

  it('resends a named create (retrySafe) after a 503 or a dropped connection', async () => {
    script = [status(503), hangUp, status(201)];
    const sleeps: number[] = [];
    const t = transport({}, sleeps);
    const res = await t.request({
      method: 'POST',
      path: '/x',
      body: '{}',
      retrySafe: true,
      intent: { verb: 'create' },
    });
    assert.equal(res.statusCode, 201);
    assert.equal(res.attempts, 3);
    assert.equal(t.counts['POST'], 3);
    t.close();
    script = [];
  });

  it('stops retrying when the retry budget is spent, and retries network failures only maxNetworkRetries times', async () => {
    script = [status(429, { 'retry-after': '3' }), status(429, { 'retry-after': '3' }), status(200)];
    const t = transport({ maxRetries: 5 });
    // The budget (2 s) is smaller than the first Retry-After (3 s): the 429 is the answer.
    assert.equal(
      (await t.request({ method: 'GET', path: '/readyz', retryBudgetMs: 2000, intent: { verb: 'get' } })).statusCode,
      429,
    );
    t.close();
    script = [];
    const sleeps: number[] = [];
    const gone = new Transport(
      { name: 'gone', server: 'http://127.0.0.1:1', insecureSkipTLSVerify: true },
      { timeoutMs: 1000, maxInFlight: 1, maxRetries: 5, userAgent: 't' },
      async (ms) => void sleeps.push(ms),
    );
    await assert.rejects(
      gone.request({ method: 'GET', path: '/readyz', maxNetworkRetries: 1, intent: { verb: 'get' } }),
      ClusterUnreachableError,
    );
    assert.equal(sleeps.length, 1);
  });

  it('after a server is found unreachable, later requests of the run are not sent', async () => {
    const sleeps: number[] = [];
    const t = new Transport(
      { name: 'gone', server: 'http://127.0.0.1:1', insecureSkipTLSVerify: true },
      { timeoutMs: 1000, maxInFlight: 4, maxRetries: 2, userAgent: 't' },
      async (ms) => void sleeps.push(ms),
    );
    await assert.rejects(
      t.request({ method: 'GET', path: '/a', intent: { verb: 'list', resource: 'configmaps' } }),
      ClusterUnreachableError,
    );
    assert.equal(t.unreachableFound, true);
    const sent = t.counts['GET'];
    for (let i = 0; i < 20; i++) {
      await assert.rejects(
        t.request({
          method: 'POST',
          path: '/b',
          body: '{}',
          retrySafe: true,
          intent: { verb: 'create', resource: 'configmaps', name: `c${i}` },
        }),
        (e: Error) => e instanceof ClusterUnreachableError && e.notSent && /create configmaps "c\d+"/.test(e.message),
      );
    }
    assert.equal(t.counts['GET'], sent);
    assert.equal(t.counts['POST'], undefined, 'nothing was sent after the server was found unreachable');
  });

  it('a server that drops every connection is given up after a bounded number of attempts, whatever the queue', async () => {
    let seen = 0;
    script = Array.from({ length: 500 }, () => (req: http.IncomingMessage) => void (seen++, req.socket.destroy()));
    const t = transport({ maxInFlight: 4, maxRetries: 4 });
    const all = await Promise.allSettled(
      Array.from({ length: 100 }, (_, i) =>
        t.request({ method: 'POST', path: `/x${i}`, body: '{}', retrySafe: true, intent: { verb: 'create' } }),
      ),
    );
    assert.ok(all.every((r) => r.status === 'rejected'));
    assert.equal(t.unreachableFound, true);
    assert.ok(seen <= 20, `${seen} requests reached a server that dropped them all`);
    t.close();
    script = [];
  });

  it('requests queued behind one that timed out are not sent', async () => {
    const sockets: Socket[] = [];
    script = Array.from({ length: 50 }, () => (req: http.IncomingMessage) => void sockets.push(req.socket));
    const before = script.length;
    const t = transport({ maxInFlight: 2, timeoutMs: 150 });
    const all = await Promise.allSettled(
      Array.from({ length: 20 }, () =>
        t.request({ method: 'POST', path: '/slow', body: '{}', retrySafe: true, intent: { verb: 'create' } }),
      ),
    );
    assert.ok(all.every((r) => r.status === 'rejected'));
    assert.equal(before - script.length, 2, 'only the two requests in flight reached the server');
    t.close();
    for (const s of sockets) s.destroy();
    script = [];
  });

  it('a 429 or 503 never marks the server unreachable', async () => {
    script = [status(503), status(503), status(429)];
    const t = transport({ maxRetries: 2 });
    assert.equal((await t.request({ method: 'GET', path: '/x', intent: { verb: 'get' } })).statusCode, 429);
    assert.equal(t.unreachableFound, false);
    t.close();
    script = [];
  });

  it('a refused connection is reported as unreachable after retries', async () => {
    const sleeps: number[] = [];
    const t = new Transport(
      { name: 'gone', server: 'http://127.0.0.1:1', insecureSkipTLSVerify: true },
      { timeoutMs: 1000, maxInFlight: 1, maxRetries: 2, userAgent: 't' },
      async (ms) => void sleeps.push(ms),
    );
    await assert.rejects(
      t.request({ method: 'POST', path: '/x', body: '{}', intent: { verb: 'create', resource: 'secrets' } }),
      (e: Error) =>
        e instanceof ClusterUnreachableError &&
        e.code === 'ECONNREFUSED' &&
        /gone: cannot reach http:\/\/127\.0\.0\.1:1 to create secrets/.test(e.message),
    );
    assert.equal(sleeps.length, 2, 'a refused create is retried: it never reached the server');
  });
});

describe('what is sent', () => {
  it('puts the path under the server URL and escapes the query as URLSearchParams does', async () => {
    const seen: string[] = [];
    script = [(q, r) => (seen.push(q.url ?? ''), r.writeHead(200).end('{}'))];
    const logged: string[] = [];
    const t = new Transport(
      { name: 'test', server: `${base}/prefix/`, insecureSkipTLSVerify: true },
      { timeoutMs: 2000, maxInFlight: 1, maxRetries: 0, userAgent: 'test', log: (l) => logged.push(l) },
    );
    const query = {
      labelSelector: '!kubefed.io/managed,app in (a b)',
      fieldManager: 'kubefedctl',
      limit: '500',
      continue: 'eyJ2Ijoi+/=',
      dryRun: undefined,
      fieldSelector: 'metadata.name=café',
    };
    await t.request({ method: 'GET', path: '/api/v1/configmaps', query, intent: { verb: 'list' } });
    t.close();
    const expected = new URLSearchParams(
      Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined),
    ).toString();
    assert.deepEqual(seen, [`/prefix/api/v1/configmaps?${expected}`]);
    assert.match(logged[0] ?? '', new RegExp(`GET ${base}/prefix/api/v1/configmaps\\?labelSelector=%21kubefed`));
  });

  it('keeps a query already in the path, and escapes what Node would refuse to send', async () => {
    const seen: string[] = [];
    script = [
      (q, r) => (seen.push(q.url ?? ''), r.writeHead(200).end('{}')),
      (q, r) => (seen.push(q.url ?? ''), r.writeHead(200).end('{}')),
    ];
    const t = transport({ maxRetries: 0 });
    await t.request({
      method: 'GET',
      path: '/openapi/v3/api/v1?hash=AB12',
      query: { x: 'y' },
      intent: { verb: 'get' },
    });
    await t.request({ method: 'GET', path: '/a b/é', intent: { verb: 'get' } });
    t.close();
    assert.deepEqual(seen, ['/openapi/v3/api/v1?hash=AB12&x=y', '/a%20b/%C3%A9']);
  });
});

describe('what is received', () => {
  it('decodes text as it arrives, characters split between pieces included, and keeps bytes only of protobuf', async () => {
    const text = JSON.stringify({ items: [{ name: 'café-ü-😀'.repeat(3000) }] });
    const bytes = Buffer.from(text);
    const binary = Buffer.from([0x6b, 0x38, 0x73, 0x00, 0xff, 0xfe]);
    script = [
      (_q, r) => {
        r.writeHead(200, { 'content-type': 'application/json' });
        // Pieces cut inside multi-byte characters.
        for (let at = 0; at < bytes.length; at += 7777) r.write(bytes.subarray(at, at + 7777));
        r.end();
      },
      (_q, r) => r.writeHead(200, { 'content-type': 'application/vnd.kubernetes.protobuf' }).end(binary),
    ];
    const t = transport({ maxRetries: 0 });
    const json = await t.request({ method: 'GET', path: '/api/v1/configmaps', intent: { verb: 'list' } });
    const proto = await t.request({ method: 'GET', path: '/api/v1/configmaps', intent: { verb: 'list' } });
    t.close();
    assert.equal(json.body, text);
    assert.equal(json.bytes, undefined);
    assert.deepEqual(proto.bytes, binary);
    assert.equal(proto.body, binary.toString('utf8'));
  });

  it('drops the body of a successful answer no one reads, and keeps an error answer whole', async () => {
    const created = JSON.stringify({ kind: 'ConfigMap', metadata: { name: 'a' } });
    const refused = JSON.stringify({ kind: 'Status', reason: 'AlreadyExists', code: 409 });
    script = [
      (_q, r) => r.writeHead(201, { 'content-type': 'application/json' }).end(created),
      (_q, r) => r.writeHead(409, { 'content-type': 'application/json' }).end(refused),
      (_q, r) => r.writeHead(201, { 'content-type': 'application/json' }).end(created),
    ];
    const t = transport({ maxRetries: 0 });
    const post = {
      method: 'POST',
      path: '/api/v1/namespaces/n/configmaps',
      body: '{}',
      intent: { verb: 'create' },
    } as const;
    const unread = await t.request({ ...post, bodyUnread: true });
    const conflict = await t.request({ ...post, bodyUnread: true });
    const read = await t.request(post);
    t.close();
    assert.deepEqual([unread.statusCode, unread.body], [201, '']);
    assert.deepEqual([conflict.statusCode, conflict.body], [409, refused]);
    assert.deepEqual([read.statusCode, read.body], [201, created]);
  });
});
