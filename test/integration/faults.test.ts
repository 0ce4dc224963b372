// propagate under faults, against the real test clusters: throttling, server errors, dropped
// connections after a write, slow and dead members, a member stopped mid-run, two overlapping runs,
// and Ctrl-C. File mode; cluster2 is reached through fault-proxy.ts unless a test says otherwise.
// The figures printed with console.log are the ones docs/reliability.md quotes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import type { KubeObject } from '../../src/api/objects.js';
import { CONFIG_MAPS, NAMESPACES } from '../../src/api/resources.js';
import {
  clusterEndpoint,
  kubeconfigWithServers,
  refusingPort,
  startBlackhole,
  startFaultProxy,
  type FaultProxy,
} from './fault-proxy.js';
import {
  admin,
  closeClients,
  controlPlane,
  deleteNamespaces,
  kubefedctl,
  propagateJson,
  testClusters,
  uniqueName,
  type CliResult,
  type PropagationReport,
  writeClustersFile,
} from './harness.js';

const root = resolve(import.meta.dirname, '..', '..', '..');
const MEMBERS = ['cluster1', 'cluster2', 'cluster3'];
const FAULTY = 'cluster2';
const MANAGED = 'kubefed.io/managed';
const CONFIGMAP_PATH = /\/configmaps(\/|\?|$)/;
const TEST_TIMEOUT = { timeout: 240_000 };

const namespaces: string[] = [];
const closers: (() => Promise<void>)[] = [];

/** `cm-000` … : zero-padded so they sort and never appear inside one another. */
function names(from: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `cm-${String(from + i).padStart(3, '0')}`);
}

/** A FederatedNamespace and a FederatedConfigMap per name (data.v = value(name)), everywhere, in a fresh folder. */
function writeObjects(ns: string, cms: string[], value: (name: string) => string): string {
  const docs: object[] = [
    {
      apiVersion: 'types.kubefed.io/v1beta1',
      kind: 'FederatedNamespace',
      metadata: { name: ns, namespace: ns },
      spec: { placement: { clusterSelector: {} } },
    },
  ];
  for (const name of cms)
    docs.push({
      apiVersion: 'types.kubefed.io/v1beta1',
      kind: 'FederatedConfigMap',
      metadata: { name, namespace: ns },
      spec: { template: { data: { v: value(name) } }, placement: { clusterSelector: {} } },
    });
  const path = join(mkdtempSync(join(tmpdir(), 'kf-faults-')), 'objects.yaml');
  writeFileSync(path, docs.map((d) => stringify(d)).join('---\n'));
  return path;
}

/** A fresh namespace name, deleted from every cluster after the file. */
function newNamespace(prefix: string): string {
  const ns = uniqueName(prefix);
  namespaces.push(ns);
  return ns;
}

/** The managed ConfigMaps in one cluster's namespace: name → data.v. */
async function managed(cluster: string, ns: string): Promise<Map<string, string | undefined>> {
  const list = await admin(cluster).list<KubeObject>(CONFIG_MAPS, { namespace: ns, labelSelector: `${MANAGED}=true` });
  return new Map(
    list.items.map((o) => [o.metadata.name ?? '', (o['data'] as Record<string, string> | undefined)?.['v']]),
  );
}

/** Every cluster has exactly these ConfigMaps, labelled managed, with the expected contents, and the namespace. */
async function assertConverged(
  ns: string,
  cms: string[],
  value: (name: string) => string,
  clusters = MEMBERS,
): Promise<void> {
  for (const c of clusters) {
    const found = await managed(c, ns);
    assert.deepEqual([...found.keys()].sort(), [...cms].sort(), `${c}: every ConfigMap present once, nothing extra`);
    const wrong = cms.filter((n) => found.get(n) !== value(n));
    assert.deepEqual(wrong, [], `${c}: contents as in the template`);
    assert.ok(await admin(c).get(NAMESPACES, ns), `${c}: namespace ${ns} exists`);
  }
}

/** Per-cluster outcomes that are not a clean result, for assertion messages. */
function problems(report: PropagationReport): string[] {
  return report.resources.flatMap((r) =>
    r.clusters
      .filter((c) => ['failed', 'conflict', 'skipped'].includes(c.outcome))
      .map((c) => `${c.cluster}: ${r.kind}/${r.name} ${c.outcome} ${c.status} ${c.message ?? ''}`),
  );
}

/** Lines of a run's human output that name a cluster, other than the ones reporting a change made there. */
function linesNaming(r: { stdout: string; stderr: string }, cluster: string): string[] {
  const done = new RegExp(`^${cluster}: \\S+ (created|updated|adopted|deleted|unlabelled)( \\(|$)`);
  return `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => new RegExp(`\\b${cluster}\\b`).test(l) && !done.test(l));
}

async function timed<T>(fn: () => Promise<T>): Promise<T & { ms: number }> {
  const started = Date.now();
  const r = await fn();
  return { ...r, ms: Date.now() - started };
}

/** A proxy in front of a test cluster, closed after the file. */
async function proxyFor(cluster: string, seed = 1): Promise<FaultProxy> {
  const proxy = await startFaultProxy({ ...clusterEndpoint(testClusters().dir, cluster), seed });
  closers.push(() => proxy.close());
  return proxy;
}

/** The CLI as a child process the test can signal; resolves with its exit code, or the signal that ended it. */
function spawnCli(
  args: string[],
  env: Record<string, string>,
): { child: ReturnType<typeof spawn>; done: Promise<CliResult & { signal: NodeJS.Signals | null }> } {
  const child = spawn(process.execPath, [join(root, 'bin', 'kubefedctl.js'), ...args], {
    env: { ...process.env, KUBECONFIG: testClusters().kubeconfig, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const done = new Promise<CliResult & { signal: NodeJS.Signals | null }>((res, rej) => {
    child.once('error', rej);
    child.once('close', (code, signal) => res({ code: code ?? -1, signal, stdout, stderr }));
  });
  return { child, done };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs the CLI, killing it after deadlineMs so that a run that never ends fails its test with figures, not a test timeout. */
async function runWithDeadline(
  args: string[],
  env: Record<string, string>,
  deadlineMs: number,
): Promise<CliResult & { ms: number; killed: boolean }> {
  const started = Date.now();
  const run = spawnCli(args, env);
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    run.child.kill('SIGKILL');
  }, deadlineMs);
  const r = await run.done.finally(() => clearTimeout(timer));
  return { ...r, ms: Date.now() - started, killed };
}

describe('propagate under faults (file mode, real clusters)', () => {
  let clustersFile: string;
  before(() => {
    clustersFile = writeClustersFile(MEMBERS);
  });
  after(async () => {
    for (const close of closers) await close().catch(() => undefined);
    await deleteNamespaces(MEMBERS, namespaces);
    closeClients();
  });

  it(
    '429 with Retry-After, 503 and dropped connections after a write, plus delays: one run converges, the next only reads',
    TEST_TIMEOUT,
    async () => {
      const ns = newNamespace('fault-mix');
      const cms = names(0, 50);
      const proxy = await proxyFor(FAULTY);
      const env = { KUBECONFIG: kubeconfigWithServers({ [FAULTY]: proxy.url }) };
      const run = (objects: string) => timed(() => propagateJson(['-f', objects, '--clusters', clustersFile], { env }));

      // Creates: every kind of fault on POSTs of ConfigMaps to cluster2, and random delays on everything.
      proxy.setRules([
        { name: '429', methods: ['POST'], path: CONFIGMAP_PATH, after: 2, times: 5, status: 429, retryAfter: 1 },
        { name: '503', methods: ['POST'], path: CONFIGMAP_PATH, after: 8, times: 4, status: 503 },
        {
          name: 'reset-after-forward',
          methods: ['POST'],
          path: CONFIGMAP_PATH,
          after: 15,
          times: 4,
          resetAfterForward: true,
        },
        { name: 'delay', probability: 0.3, delayMs: 200 },
      ]);
      const v1 = (n: string) => `v1-${n}`;
      const created = await run(writeObjects(ns, cms, v1));
      console.log(
        `fault mix, creates: converged in ${created.ms} ms; cluster2 proxy saw ${JSON.stringify(proxy.counts)}`,
      );
      assert.deepEqual(
        proxy.counts.byRule,
        { '429': 5, '503': 4, 'reset-after-forward': 4, delay: proxy.counts.byRule['delay'] },
        'every fault was injected',
      );
      assert.ok((proxy.counts.byRule['delay'] ?? 0) > 0, 'some requests were delayed');
      assert.deepEqual(problems(created.report), [], 'no failed, conflicting or skipped object');
      assert.equal(created.code, 0, created.stderr);
      assert.ok(created.ms < 60_000, `bounded time: ${created.ms} ms`);
      await assertConverged(ns, cms, v1);

      // Updates: the same faults on PATCHes.
      proxy.resetCounts();
      proxy.setRules([
        { name: '429', methods: ['PATCH'], path: CONFIGMAP_PATH, after: 2, times: 4, status: 429, retryAfter: 1 },
        { name: '503', methods: ['PATCH'], path: CONFIGMAP_PATH, after: 8, times: 4, status: 503 },
        {
          name: 'reset-after-forward',
          methods: ['PATCH'],
          path: CONFIGMAP_PATH,
          after: 15,
          times: 4,
          resetAfterForward: true,
        },
        { name: 'delay', probability: 0.3, delayMs: 200 },
      ]);
      const v2 = (n: string) => `v2-${n}`;
      const updated = await run(writeObjects(ns, cms, v2));
      console.log(
        `fault mix, updates: converged in ${updated.ms} ms; cluster2 proxy saw ${JSON.stringify(proxy.counts)}`,
      );
      assert.deepEqual(
        proxy.counts.byRule,
        { '429': 4, '503': 4, 'reset-after-forward': 4, delay: proxy.counts.byRule['delay'] },
        'every fault was injected',
      );
      assert.deepEqual(problems(updated.report), []);
      assert.equal(updated.code, 0, updated.stderr);
      assert.ok(updated.ms < 60_000, `bounded time: ${updated.ms} ms`);
      await assertConverged(ns, cms, v2);

      // Nothing left to do: only reads, in the report and on the wire.
      proxy.clearRules();
      proxy.resetCounts();
      const again = await run(writeObjects(ns, cms, v2));
      assert.equal(again.code, 0, again.stderr);
      assert.equal(again.report.summary['unchanged'], (cms.length + 1) * MEMBERS.length);
      for (const c of again.report.clusters)
        assert.deepEqual(Object.keys(c.requests), ['GET'], `${c.name} got only reads`);
      assert.deepEqual(Object.keys(proxy.counts.byMethod), ['GET'], 'the proxy saw only reads');
    },
  );

  it(
    'a member behind a throttling front end (429 and 503 on its readiness probe) is waited for, not skipped',
    TEST_TIMEOUT,
    async () => {
      const ns = newNamespace('throttled');
      const cms = names(0, 10);
      const proxy = await proxyFor(FAULTY);
      const env = { KUBECONFIG: kubeconfigWithServers({ [FAULTY]: proxy.url }) };
      proxy.setRules([
        { name: 'probe-429', methods: ['GET'], path: /^\/readyz/, times: 3, status: 429, retryAfter: 1 },
        { name: 'probe-503', methods: ['GET'], path: /^\/readyz/, times: 2, status: 503 },
      ]);
      const value = (n: string) => `t-${n}`;
      const r = await timed(() =>
        propagateJson(['-f', writeObjects(ns, cms, value), '--clusters', clustersFile], { env }),
      );
      console.log(`throttled probe: converged in ${r.ms} ms; cluster2 proxy saw ${JSON.stringify(proxy.counts)}`);
      assert.deepEqual(
        proxy.counts.byRule,
        { 'probe-429': 3, 'probe-503': 2 },
        'the probe was throttled, then failed, then answered',
      );
      assert.equal(r.report.clusters.find((c) => c.name === FAULTY)?.ready, true, r.stderr);
      assert.equal(r.code, 0, r.stderr);
      await assertConverged(ns, cms, value);
    },
  );

  for (const kind of ['blackhole', 'refused', 'hang'] as const) {
    it(
      `a member that ${kind === 'blackhole' ? 'never answers (TCP accepted, no TLS)' : kind === 'refused' ? 'refuses connections' : 'accepts requests and never answers'}: bounded time, one line, the others complete, nothing deleted, exit 2`,
      TEST_TIMEOUT,
      async () => {
        const ns = newNamespace(`dead-${kind}`);
        const before = names(0, 20);
        const all = names(0, 30);
        assert.equal(
          (await propagateJson(['-f', writeObjects(ns, before, (n) => `v1-${n}`), '--clusters', clustersFile])).code,
          0,
          'set-up run',
        );

        let server: string;
        let seen: () => string;
        let contacts: (() => number) | undefined; // what the member saw that it can count
        if (kind === 'blackhole') {
          const hole = await startBlackhole();
          closers.push(() => hole.close());
          server = hole.url;
          seen = () => `${hole.counts.connections} connection(s)`;
          contacts = () => hole.counts.connections;
        } else if (kind === 'refused') {
          server = `https://127.0.0.1:${await refusingPort()}`;
          seen = () => 'refused';
        } else {
          const proxy = await proxyFor(FAULTY);
          proxy.setRules([{ name: 'hang', hang: true }]);
          server = proxy.url;
          seen = () =>
            `${proxy.counts.connections} connection(s), ${proxy.counts.total} request(s) ${JSON.stringify(proxy.counts.byMethod)}`;
          contacts = () => proxy.counts.total;
        }
        const v2 = (n: string) => `v2-${n}`;
        const r = await timed(() =>
          kubefedctl(['propagate', '-f', writeObjects(ns, all, v2), '--clusters', clustersFile], {
            env: { KUBECONFIG: kubeconfigWithServers({ [FAULTY]: server }) },
          }),
        );
        const lines = linesNaming(r, FAULTY);
        console.log(
          `dead member (${kind}): run took ${r.ms} ms, exit ${r.code}; the member saw ${seen()}; ${lines.length} output line(s) name it, e.g. ${JSON.stringify(lines.slice(0, 2))}`,
        );
        assert.ok(r.ms < 60_000, `bounded time: ${r.ms} ms`);
        assert.equal(r.code, 2, r.stderr);
        await assertConverged(ns, all, v2, ['cluster1', 'cluster3']);
        // The dead member is reached directly here: nothing there was changed or deleted.
        await assertConverged(ns, before, (n) => `v1-${n}`, [FAULTY]);
        assert.ok(lines.length > 0, 'the dead member is reported');
        assert.ok(
          lines.length < 3,
          `mentioned once, not per object: ${lines.length} lines:\n${lines.slice(0, 5).join('\n')}`,
        );
        if (contacts) assert.ok(contacts() <= 4, `a few connections or requests, not one per object: ${seen()}`);
      },
    );
  }

  // A member that goes away mid-run, at its 20th create: stopped and seen directly (connections
  // refused, like the real server); stopped behind a load balancer that still accepts connections and
  // drops each one (the proxy, not refusing); or still up but no longer answering (a proxy rule).
  for (const how of ['stopped', 'stopped behind a load balancer', 'hanging'] as const) {
    it(
      `a member ${how} mid-run: the others complete, one line for it, nothing deleted; a re-run after it is back converges`,
      TEST_TIMEOUT,
      async () => {
        const ns = newNamespace('midrun');
        const { dir } = testClusters();
        const cp = await controlPlane();
        const existing = names(0, 20);
        const all = names(0, 220);
        const value = (n: string) => `v1-${n}`;
        assert.equal(
          (await propagateJson(['-f', writeObjects(ns, existing, value), '--clusters', clustersFile])).code,
          0,
          'set-up run',
        );

        // Slow creates in cluster2, so that the failure lands in the middle of them.
        const proxy = await proxyFor(FAULTY);
        proxy.setRules([
          ...(how === 'hanging'
            ? [{ name: 'hang', methods: ['POST'], path: CONFIGMAP_PATH, after: 20, hang: true }]
            : []),
          { name: 'slow', methods: ['POST'], path: CONFIGMAP_PATH, delayMs: 500 },
        ]);
        let stopping: Promise<unknown> | undefined;
        let stoppedAt: number | undefined;
        proxy.onRequest = (method) => {
          if (method !== 'POST' || (proxy.counts.byMethod['POST'] ?? 0) < 20 || stoppedAt !== undefined) return;
          stoppedAt = proxy.counts.total;
          if (how !== 'hanging')
            stopping = Promise.all([
              cp.stopCluster(dir, FAULTY),
              how === 'stopped' ? proxy.refuseConnections() : undefined,
            ]);
        };
        const objects = writeObjects(ns, all, value);
        let r: CliResult & { ms: number; killed: boolean };
        try {
          r = await runWithDeadline(
            ['propagate', '-f', objects, '--clusters', clustersFile],
            { KUBECONFIG: kubeconfigWithServers({ [FAULTY]: proxy.url }) },
            90_000,
          );
          await stopping;
        } finally {
          if (stopping) {
            await stopping.catch(() => undefined);
            await cp.startCluster(dir, FAULTY);
            closeClients(); // connections to the restarted server are new ones
          }
        }
        const lines = linesNaming(r, FAULTY);
        const after = proxy.counts.total - (stoppedAt ?? 0);
        console.log(
          `member ${how} mid-run: run took ${r.ms} ms${r.killed ? ' (killed at the deadline)' : ''}, exit ${r.code}; proxy saw ${proxy.counts.total} request(s) ${JSON.stringify(proxy.counts.byMethod)}, ${after} from the failure on; ${lines.length} output line(s) about it: ${JSON.stringify(lines.slice(0, 4))}; last line: ${JSON.stringify(r.stdout.trim().split('\n').pop())}`,
        );
        assert.ok(stoppedAt !== undefined, 'the member failed during the run');
        assert.ok(!r.killed && r.ms < 60_000, `bounded time: ${r.ms} ms${r.killed ? ', killed at the deadline' : ''}`);
        assert.equal(r.code, 2, r.stderr);
        await assertConverged(ns, all, value, ['cluster1', 'cluster3']);
        const survived = await managed(FAULTY, ns);
        assert.deepEqual(
          existing.filter((n) => survived.get(n) !== value(n)),
          [],
          'nothing was deleted or changed in the failed member',
        );
        assert.ok(
          lines.length > 0 && lines.length < 3,
          `the failed member gets one line, not one per object: ${lines.length} lines:\n${lines.slice(0, 5).join('\n')}`,
        );
        assert.ok(
          after < 100,
          `it stops sending to the member: ${after} requests from the failure on, for ${all.length - 20} objects`,
        );

        const back = await propagateJson(['-f', objects, '--clusters', clustersFile]);
        assert.deepEqual(problems(back.report), []);
        assert.equal(back.code, 0, back.stderr);
        await assertConverged(ns, all, value);
      },
    );
  }

  it(
    'two overlapping runs of the same input: both succeed, neither calls its own objects a conflict',
    TEST_TIMEOUT,
    async () => {
      const ns = newNamespace('overlap');
      const cms = names(0, 50);
      const value = (n: string) => `v1-${n}`;
      // Reads are slowed in every cluster so that both runs have read before either writes.
      const proxies = await Promise.all(MEMBERS.map((c) => proxyFor(c)));
      for (const p of proxies) p.setRules([{ name: 'slow-reads', methods: ['GET'], delayMs: 500 }]);
      const env = {
        KUBECONFIG: kubeconfigWithServers(Object.fromEntries(MEMBERS.map((c, i) => [c, proxies[i]!.url]))),
      };
      const objects = writeObjects(ns, cms, value);
      const runs = await Promise.all(
        [0, 1].map(() => kubefedctl(['propagate', '-f', objects, '--clusters', clustersFile, '-o', 'json'], { env })),
      );
      const writes = proxies.reduce(
        (n, p) =>
          n + (p.counts.byMethod['POST'] ?? 0) + (p.counts.byMethod['PATCH'] ?? 0) + (p.counts.byMethod['PUT'] ?? 0),
        0,
      );
      console.log(
        `overlapping runs: exit ${runs.map((r) => r.code).join(' and ')}; ${writes} writes seen for ${(cms.length + 1) * MEMBERS.length} objects`,
      );
      assert.ok(
        writes > (cms.length + 1) * MEMBERS.length,
        `the runs really overlapped: both wrote (${writes} writes)`,
      );
      for (const [i, r] of runs.entries()) {
        const report = JSON.parse(r.stdout) as PropagationReport;
        assert.deepEqual(problems(report), [], `run ${i + 1}: no failed or conflicting object`);
        assert.equal(report.summary['conflict'] ?? 0, 0, `run ${i + 1}: no conflict counted`);
        const messages = [
          r.stderr,
          ...report.resources.flatMap((x) => [x.message ?? '', ...x.clusters.map((c) => c.message ?? '')]),
        ].join('\n');
        assert.doesNotMatch(messages, /conflict|not managed by KubeFed|--adopt/, `run ${i + 1}`);
        assert.equal(r.code, 0, `run ${i + 1}: ${r.stderr}`);
      }
      await assertConverged(ns, cms, value);
    },
  );

  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(
      `${signal} in the middle of writing: exits promptly with ${code} and one line saying what was written; a re-run converges`,
      TEST_TIMEOUT,
      async () => {
        const ns = newNamespace(signal.toLowerCase());
        const cms = names(0, 300);
        const value = (n: string) => `v1-${n}`;
        const proxy = await proxyFor(FAULTY);
        proxy.setRules([{ name: 'slow', methods: ['POST'], path: CONFIGMAP_PATH, delayMs: 200 }]);
        const objects = writeObjects(ns, cms, value);
        const run = spawnCli(['propagate', '-f', objects, '--clusters', clustersFile], {
          KUBECONFIG: kubeconfigWithServers({ [FAULTY]: proxy.url }),
        });
        const started = Date.now();
        // Mid-write: once cluster2 has seen 20 creates (or after 15 s at the latest, which the checks below catch).
        while ((proxy.counts.byMethod['POST'] ?? 0) < 20 && Date.now() - started < 15_000) await sleep(20);
        const postsAtSignal = proxy.counts.byMethod['POST'] ?? 0;
        const signalled = Date.now();
        run.child.kill(signal);
        const timeout = sleep(10_000).then(() => undefined);
        const r = await Promise.race([run.done, timeout]);
        const exitMs = Date.now() - signalled;
        if (!r) run.child.kill('SIGKILL');
        const interrupted = r ? r.stderr.split('\n').filter((l) => /interrupt/i.test(l)) : [];
        console.log(
          `${signal} after ${signalled - started} ms (${postsAtSignal} creates seen by cluster2): exited after ${exitMs} ms with ${r ? `code ${r.code}${r.signal ? ` / signal ${r.signal}` : ''}` : 'nothing (killed)'}; stderr: ${JSON.stringify(r?.stderr.slice(0, 400))}`,
        );
        assert.ok(
          postsAtSignal >= 20 && postsAtSignal < cms.length,
          `signalled mid-write (${postsAtSignal} creates seen)`,
        );
        assert.ok(r, 'the process exited');
        assert.ok(exitMs < 3_000, `exited promptly: ${exitMs} ms`);
        assert.ok(r.code === code || r.signal === signal, `exit ${code}: got code ${r.code}, signal ${r.signal}`);
        assert.equal(interrupted.length, 1, `exactly one line saying it was interrupted:\n${r.stderr}`);
        assert.match(interrupted[0]!, /\d/, 'it says what was written so far');
        assert.match(interrupted[0]!, /\bagain\b|re-?run/i, 'it says a re-run converges');
        assert.match(interrupted[0]!, /converge/i, 'it says a re-run converges');

        await sleep(1_000); // creates the proxy was still holding reach the server now
        // The count it gives is true: at least that many objects exist (each write here is one create).
        const confirmed = Number(/\d+/.exec(interrupted[0]!)![0]);
        let present = 0;
        for (const c of MEMBERS)
          present += (await managed(c, ns)).size + ((await admin(c).get(NAMESPACES, ns)) ? 1 : 0);
        assert.ok(confirmed > 0 && confirmed <= present, `${confirmed} writes reported, ${present} objects found`);
        const back = await propagateJson(['-f', objects, '--clusters', clustersFile]);
        assert.deepEqual(problems(back.report), []);
        assert.equal(back.code, 0, back.stderr);
        await assertConverged(ns, cms, value);
      },
    );
  }
});
