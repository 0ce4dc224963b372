// `npm run bench`: propagates federated ConfigMaps and Deployments (9:1) to real clusters and
// prints, each beside a baseline measured in the same run (absolute times on shared machines move
// by ±30 %):
// - first run vs the write floor: the same objects POSTed raw (scripts/bench-floor.mjs post);
// - no-op re-run (median of 3) vs the read floor: the same objects merely LISTed from every cluster,
//   both in full (records off, --cache-dir "") and replaying the record of the last clean run
//   (ADR 0007), which the first no-op with records on leaves;
// - CPU seconds and peak RSS of each, writes and requests per cluster, and the servers' CPU during
//   the first run and the write floor (they share the cores with the client);
// - with 3 clusters or fewer, `kubectl apply -f` of the same objects, cluster by cluster.
// Figures only; no pass/fail thresholds (docs/performance.md has the targets).
//
// Options: --clusters N (3), --objects M (1100: M/10 Deployments, the rest ConfigMaps; or
// BENCH_CONFIGMAPS / BENCH_DEPLOYMENTS), as flags or BENCH_CLUSTERS / BENCH_OBJECTS;
// BENCH_KUBECTL=0 skips the kubectl baseline, BENCH_RENDER=0 the offline render figures,
// BENCH_STARTUP=0 the start-up figures; BENCH_SCALING=1 (or --scaling) adds two first runs before
// the main one, with half the objects and with half the clusters, and prints what doubling each
// cost in time and peak RSS;
// KUBEFEDCTL_TEST_KUBECONFIG + KUBEFEDCTL_TEST_DIR reuse running clusters.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startControlPlane, stopControlPlane } from './control-plane.mjs';
import { benchRender } from './bench-render.mjs';

const root = resolve(import.meta.dirname, '..');
const { values: flags } = parseArgs({
  options: { clusters: { type: 'string' }, objects: { type: 'string' }, scaling: { type: 'boolean' } },
});
const count = (value, name) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`${name}: want a whole number above 0, got ${JSON.stringify(value)}`);
  return n;
};
const OBJECTS = flags.objects ?? process.env.BENCH_OBJECTS;
const DEPLOYMENTS = OBJECTS
  ? Math.floor(count(OBJECTS, '--objects') / 10)
  : count(process.env.BENCH_DEPLOYMENTS ?? 100, 'BENCH_DEPLOYMENTS');
const CONFIGMAPS = OBJECTS
  ? count(OBJECTS, '--objects') - DEPLOYMENTS
  : count(process.env.BENCH_CONFIGMAPS ?? 1000, 'BENCH_CONFIGMAPS');
const CLUSTER_COUNT = count(flags.clusters ?? process.env.BENCH_CLUSTERS ?? 3, '--clusters');
const CLUSTERS = Array.from({ length: CLUSTER_COUNT }, (_, i) => `cluster${i + 1}`);
// kubectl apply, cluster after cluster, takes minutes on a fleet: only where it is a useful yardstick.
const KUBECTL_BASELINE = process.env.BENCH_KUBECTL !== '0' && CLUSTER_COUNT <= 3;
const SCALING = flags.scaling || process.env.BENCH_SCALING === '1';

function run(cmd, args, env = {}) {
  return new Promise((res, rej) => {
    const started = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-v', cmd, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', rej);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const figure = (re) => Number(stderr.match(re)?.[1] ?? 0);
      const rssMb = figure(/Maximum resident set size \(kbytes\): (\d+)/) / 1024;
      const cpu = figure(/User time \(seconds\): ([\d.]+)/) + figure(/System time \(seconds\): ([\d.]+)/);
      res({ code, stdout, stderr, seconds, rssMb, cpu });
    });
  });
}

function federated(kind, ns, name, spec) {
  return JSON.stringify({
    apiVersion: 'types.kubefed.io/v1beta1',
    kind: `Federated${kind}`,
    metadata: { name, namespace: ns },
    spec,
  });
}

/** The input: a FederatedNamespace, the ConfigMaps and the Deployments, as one JSON document per line. */
function writeInput(dir, ns, { configmaps = CONFIGMAPS, deployments = DEPLOYMENTS } = {}) {
  mkdirSync(dir, { recursive: true });
  const docs = [federated('Namespace', ns, ns, { placement: { clusterSelector: {} } })];
  for (let i = 0; i < configmaps; i++) {
    docs.push(
      federated('ConfigMap', ns, `cm-${i}`, {
        template: { data: { index: String(i), payload: 'x'.repeat(200) } },
        placement: { clusterSelector: {} },
        overrides: [{ clusterName: 'cluster3', clusterOverrides: [{ path: '/data/region', op: 'add', value: 'us' }] }],
      }),
    );
  }
  for (let i = 0; i < deployments; i++) {
    const labels = { app: `web-${i}` };
    docs.push(
      federated('Deployment', ns, `web-${i}`, {
        template: {
          spec: {
            replicas: 1,
            // The Pods never start on these node-less clusters: without this, every Deployment's
            // status is rewritten 10 minutes after its creation, in the middle of a later step.
            progressDeadlineSeconds: 2147483647,
            selector: { matchLabels: labels },
            template: {
              metadata: { labels },
              spec: {
                containers: [
                  {
                    name: 'web',
                    image: 'registry.invalid/web:1',
                    resources: { requests: { cpu: '100m', memory: '64Mi' } },
                  },
                ],
              },
            },
          },
        },
        placement: { clusterSelector: {} },
      }),
    );
  }
  writeFileSync(join(dir, 'objects.yaml'), docs.join('\n---\n'));
}

function writeClusters(path, clusters = CLUSTERS) {
  writeFileSync(
    path,
    clusters
      .map((c) =>
        JSON.stringify({
          apiVersion: 'core.kubefed.io/v1beta1',
          kind: 'KubeFedCluster',
          metadata: { name: c },
          spec: { kubeconfigContext: c },
        }),
      )
      .join('\n---\n'),
  );
}

const cli = join(root, 'bin', 'kubefedctl.js');

/**
 * Waits until the members' controllers are done with a namespace's Deployments in every cluster
 * they went to (each has its ReplicaSet and Pod, which `status.replicas` counts), then 5 s more.
 * Each Deployment costs its cluster's kube-controller-manager a few writes, at its default 20
 * requests/s: a step started before they are done would be timed with another step's aftermath.
 */
async function waitSettled(env, ns, { deployments = DEPLOYMENTS, clusters = CLUSTERS } = {}) {
  const started = Date.now();
  for (const c of clusters) {
    for (let settled = false; !settled;) {
      const r = await run(
        'kubectl',
        [
          '--context',
          c,
          '-n',
          ns,
          'get',
          'deployments',
          '-o',
          'jsonpath={range .items[*]}{.status.observedGeneration} {.status.replicas}{"\\n"}{end}',
        ],
        env,
      );
      const lines = r.stdout.split('\n').filter((l) => l !== '');
      const done = (l) => l.split(' ').every((n) => Number(n) >= 1);
      settled = lines.length >= deployments && lines.every(done);
      if (!settled && Date.now() - started > 900_000) throw new Error(`${c}/${ns}: Deployments not settled in 15 min`);
      if (!settled) await new Promise((res) => setTimeout(res, 1000));
    }
  }
  console.error(`${ns}: settled after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await new Promise((res) => setTimeout(res, 5000));
}
/**
 * Deletes a namespace from every cluster and waits until it is gone, so that the next step meets
 * clusters as full as the previous step did: every API server caches all its objects, and a step
 * that writes into clusters already holding another step's 50,000 objects runs 20-40 % slower.
 */
async function removeNamespace(env, ns, clusters = CLUSTERS) {
  const started = Date.now();
  await Promise.all(
    clusters.map(async (c) => {
      const r = await run('kubectl', ['--context', c, 'delete', 'namespace', ns, '--wait', '--timeout=15m'], env);
      if (r.code !== 0) throw new Error(`${c}: deleting namespace ${ns} failed: ${r.stderr.slice(-500)}`);
    }),
  );
  console.error(`${ns}: deleted after ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** Linux's clock ticks per second, the unit of /proc/<pid>/stat's CPU times (USER_HZ). */
const CLOCK_TICKS = 100;

/**
 * CPU seconds the harness's servers have used so far, by role (kube-apiserver, etcd,
 * kube-controller-manager), read from /proc; undefined where the harness's state is not readable.
 * The client and the servers share the machine's cores, so a step's wall time depends on both.
 */
function serverCpu(dir) {
  try {
    const { processes } = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'));
    const byRole = {};
    for (const { pid, role } of processes) {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      byRole[role] = (byRole[role] ?? 0) + (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
    }
    return byRole;
  } catch {
    return undefined;
  }
}

/** `run`, with the servers' CPU during it (`servers`, by role) when the harness's state is readable. */
async function runWithServers(dir, cmd, args, env) {
  const before = serverCpu(dir);
  const r = await run(cmd, args, env);
  const after = serverCpu(dir);
  const servers =
    before && after ? Object.fromEntries(Object.keys(after).map((k) => [k, after[k] - (before[k] ?? 0)])) : undefined;
  return { ...r, servers };
}

/** `kube-apiserver 159.5 s, etcd 32.3 s, …`, or `not measured`. */
const serversLine = (servers) =>
  servers
    ? Object.entries(servers)
        .map(([role, s]) => `${role} ${s.toFixed(1)} s`)
        .join(', ')
    : 'not measured';

const work = mkdtempSync(join(tmpdir(), 'kf-bench-'));
const reuse = Boolean(process.env.KUBEFEDCTL_TEST_KUBECONFIG && process.env.KUBEFEDCTL_TEST_DIR);
const clusterDir = reuse ? process.env.KUBEFEDCTL_TEST_DIR : join(work, 'clusters');
let kubeconfig = process.env.KUBEFEDCTL_TEST_KUBECONFIG;
const median = (runs) => [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor(runs.length / 2)];
try {
  if (!reuse) {
    console.error(`starting ${CLUSTER_COUNT} test clusters`);
    kubeconfig = (await startControlPlane({ count: CLUSTER_COUNT, dir: clusterDir })).kubeconfig;
  }
  // Run records (ADR 0007) in the bench's own folder, so every bench starts without one.
  const env = { KUBECONFIG: kubeconfig, NO_COLOR: '1', KUBECACHEDIR: join(work, 'cache') };
  const suffix = Math.random().toString(36).slice(2, 6);
  const clustersFile = join(work, 'clusters.yaml');
  writeClusters(clustersFile);
  const render = async (input, args) => {
    const r = await run(process.execPath, [cli, 'render', '-f', input, '--clusters', clustersFile, ...args], env);
    if (r.code !== 0) throw new Error(`render failed: ${r.stderr}`);
    return r;
  };

  // Baseline: kubectl apply of the same objects (rendered for another namespace), cluster by cluster.
  const baseline = [];
  if (KUBECTL_BASELINE) {
    const baselineNs = `bench-kubectl-${suffix}`;
    writeInput(join(work, 'baseline-input'), baselineNs);
    await render(join(work, 'baseline-input'), ['--output-dir', join(work, 'rendered')]);
    for (const c of CLUSTERS) {
      const dir = join(work, 'rendered', c);
      // kubectl applies files in name order; the namespace must come first.
      const nsFile = readdirSync(dir).find((f) => f.startsWith('namespace_'));
      await run('kubectl', ['--context', c, 'apply', '-f', join(dir, nsFile)], env);
      const r = await run('kubectl', ['--context', c, 'apply', '-f', dir], env);
      if (r.code !== 0) throw new Error(`kubectl apply to ${c} failed: ${r.stderr.slice(-2000)}`);
      baseline.push({ cluster: c, seconds: r.seconds });
      console.error(`baseline: kubectl apply to ${c}: ${r.seconds.toFixed(1)} s`);
    }
  }

  // The write floor: the same objects, rendered for a namespace of their own, POSTed raw.
  const floorNs = `bench-floor-${suffix}`;
  writeInput(join(work, 'floor-input'), floorNs);
  writeFileSync(join(work, 'floor.json'), (await render(join(work, 'floor-input'), ['-o', 'json'])).stdout);
  const floorScript = join(root, 'scripts', 'bench-floor.mjs');
  const floor = await runWithServers(
    clusterDir,
    process.execPath,
    [floorScript, 'post', kubeconfig, join(work, 'floor.json')],
    env,
  );
  if (floor.code !== 0) throw new Error(`floor failed: ${floor.stderr.slice(-2000)}`);
  const floorResult = JSON.parse(floor.stdout);
  if (floorResult.failed > 0) throw new Error(`floor: ${floorResult.failed} POSTs failed`);
  console.error(`write floor: ${floor.seconds.toFixed(1)} s`);
  await waitSettled(env, floorNs);
  await removeNamespace(env, floorNs);

  // Scaling: first runs with half the objects and with half the clusters, each into a namespace of
  // its own, removed before the next step, so every write step meets equally empty clusters.
  const scaling = [];
  if (SCALING) {
    const halves = [
      {
        name: 'objects',
        configmaps: Math.ceil(CONFIGMAPS / 2),
        deployments: Math.ceil(DEPLOYMENTS / 2),
        clusters: CLUSTERS,
      },
      {
        name: 'clusters',
        configmaps: CONFIGMAPS,
        deployments: DEPLOYMENTS,
        clusters: CLUSTERS.slice(0, Math.ceil(CLUSTERS.length / 2)),
      },
    ];
    for (const half of halves) {
      const halfNs = `bench-half-${half.name}-${suffix}`;
      const dir = join(work, `half-${half.name}`);
      writeInput(join(dir, 'input'), halfNs, half);
      writeClusters(join(dir, 'clusters.yaml'), half.clusters);
      const r = await run(
        process.execPath,
        [cli, 'propagate', '-f', join(dir, 'input'), '--clusters', join(dir, 'clusters.yaml'), '-o', 'json'],
        env,
      );
      if (r.code !== 0) throw new Error(`half-${half.name} propagate failed (${r.code}): ${r.stderr.slice(-2000)}`);
      const objects = 1 + half.configmaps + half.deployments;
      scaling.push({ ...half, objects, run: r });
      console.error(
        `half the ${half.name}: ${objects} objects to ${half.clusters.length} clusters, ${r.seconds.toFixed(1)} s`,
      );
      await waitSettled(env, halfNs, half);
      await removeNamespace(env, halfNs, half.clusters);
    }
  }

  const ns = `bench-${suffix}`;
  writeInput(join(work, 'input'), ns);
  const args = [cli, 'propagate', '-f', join(work, 'input'), '--clusters', clustersFile, '-o', 'json'];
  const first = await runWithServers(clusterDir, process.execPath, args, env);
  if (first.code !== 0) throw new Error(`first propagate failed (${first.code}): ${first.stderr.slice(-2000)}`);
  console.error(`kubefedctl first run: ${first.seconds.toFixed(1)} s`);
  // Let the members' controllers finish reacting to the new Deployments before timing the re-run:
  // on 2 cores their work would otherwise be measured as ours.
  await waitSettled(env, ns);
  const rerun = async (what, runArgs) => {
    const r = await run(process.execPath, runArgs, env);
    if (r.code !== 0) throw new Error(`${what} failed (${r.code}): ${r.stderr.slice(-2000)}`);
    return r;
  };
  // In full: records off, every object's plan made again.
  const fullReruns = [];
  for (let i = 0; i < 3; i++) fullReruns.push(await rerun('re-run propagate (full)', [...args, '--cache-dir', '']));
  const full = median(fullReruns);
  console.error(`kubefedctl no-op re-runs in full: ${fullReruns.map((r) => r.seconds.toFixed(2)).join(', ')} s`);
  // With records on: the first no-op runs in full and leaves the record; the next ones replay it.
  const recording = await rerun('re-run propagate (recording)', [...args, '-v=1']);
  if (/not recorded/.test(recording.stderr))
    throw new Error(`the clean no-op was not recorded: ${recording.stderr.slice(-2000)}`);
  const reruns = [];
  for (let i = 0; i < 3; i++) reruns.push(await rerun('re-run propagate (replay)', [...args, '-v=1']));
  if (!reruns.every((r) => /nothing to do/.test(r.stderr)))
    throw new Error(`a no-op did not replay its record: ${reruns.map((r) => r.stderr.slice(-500)).join('\n')}`);
  const second = median(reruns);
  console.error(
    `kubefedctl no-op re-runs replaying the record: ${reruns.map((r) => r.seconds.toFixed(2)).join(', ')} s`,
  );

  // The read floor: the propagated objects, LISTed from every cluster (median of 3).
  writeFileSync(join(work, 'objects.json'), (await render(join(work, 'input'), ['-o', 'json'])).stdout);
  const reads = [];
  for (let i = 0; i < 3; i++) {
    const r = await run(process.execPath, [floorScript, 'list', kubeconfig, join(work, 'objects.json')], env);
    if (r.code !== 0 || JSON.parse(r.stdout).failed > 0) throw new Error(`read floor failed: ${r.stdout} ${r.stderr}`);
    reads.push(r);
  }
  const readFloor = median(reads);
  console.error(`read floor: ${reads.map((r) => r.seconds.toFixed(2)).join(', ')} s`);

  const r1 = JSON.parse(first.stdout);
  const r2 = JSON.parse(second.stdout);
  const rFull = JSON.parse(full.stdout);
  const writes = (r) =>
    r.clusters.reduce(
      (n, c) =>
        n +
        Object.entries(c.requests)
          .filter(([m]) => m !== 'GET')
          .reduce((a, [, v]) => a + v, 0),
      0,
    );
  const objects = 1 + CONFIGMAPS + DEPLOYMENTS;
  const members = objects * CLUSTERS.length;
  console.log(
    `kubefedctl propagate benchmark: ${CONFIGMAPS} ConfigMaps + ${DEPLOYMENTS} Deployments (+1 Namespace) to ${CLUSTERS.length} clusters = ${members} member objects`,
  );
  console.log('');
  console.log('| run | time (s) | CPU (s) | peak RSS (MiB) | writes | requests per cluster |');
  console.log('|---|---|---|---|---|---|');
  const perCluster = (r) => {
    const shapes = new Map();
    for (const c of r.clusters) {
      const shape = Object.entries(c.requests)
        .map(([m, n]) => `${m} ${n}`)
        .join(' ');
      shapes.set(shape, [...(shapes.get(shape) ?? []), c.name]);
    }
    // Clusters that got the same requests are named together, so a 10-cluster table stays short.
    return [...shapes]
      .map(([shape, names]) => `${names.length === CLUSTERS.length ? 'each' : names.join(', ')}: ${shape}`)
      .join('; ');
  };
  const row = (name, r, w, requests) =>
    console.log(
      `| ${name} | ${r.seconds.toFixed(2)} | ${r.cpu.toFixed(2)} | ${r.rssMb.toFixed(0)} | ${w} | ${requests} |`,
    );
  row('first run', first, writes(r1), perCluster(r1));
  row('write floor: raw POSTs, 16 in flight per cluster', floor, floorResult.requests, '—');
  row(
    `no-op re-run in full, records off (median of ${fullReruns.map((r) => r.seconds.toFixed(2)).join(', ')})`,
    full,
    writes(rFull),
    perCluster(rFull),
  );
  row('no-op re-run that leaves the record', recording, writes(JSON.parse(recording.stdout)), '—');
  row(
    `no-op re-run replaying the record (median of ${reruns.map((r) => r.seconds.toFixed(2)).join(', ')})`,
    second,
    writes(r2),
    perCluster(r2),
  );
  row(
    `read floor: LIST every cluster (median of ${reads.map((r) => r.seconds.toFixed(2)).join(', ')})`,
    readFloor,
    0,
    '—',
  );
  const kubectlTotal = baseline.reduce((n, b) => n + b.seconds, 0);
  if (KUBECTL_BASELINE)
    console.log(
      `| baseline: kubectl apply -f, cluster by cluster | ${kubectlTotal.toFixed(2)} | — | — | ${members} objects | (${baseline.map((b) => `${b.cluster} ${b.seconds.toFixed(1)} s`).join(', ')}) |`,
    );
  console.log('');
  console.log(`first run / write floor: ${(first.seconds / floor.seconds).toFixed(2)} (target <= 1.2)`);
  console.log(`servers' CPU during the first run: ${serversLine(first.servers)}`);
  console.log(`servers' CPU during the write floor: ${serversLine(floor.servers)}`);
  console.log(
    `no-op re-run / read floor: replaying ${(second.seconds / readFloor.seconds).toFixed(2)}, in full ${(full.seconds / readFloor.seconds).toFixed(2)} (target <= 1.5)`,
  );
  console.log(
    `no-op re-run CPU: replaying ${second.cpu.toFixed(2)} s, in full ${full.cpu.toFixed(2)} s (target <= 0.3 s at 3 clusters x 1,101 objects), writes: ${writes(r2)} and ${writes(rFull)} (target 0)`,
  );
  console.log(
    `peak RSS: first run ${first.rssMb.toFixed(0)} MiB, no-op in full ${full.rssMb.toFixed(0)} MiB, replaying ${second.rssMb.toFixed(0)} MiB (target <= 300 MiB at 10 clusters x 5,000 objects)`,
  );
  if (KUBECTL_BASELINE)
    console.log(`kubectl baseline / first run: ${(kubectlTotal / first.seconds).toFixed(1)}x (target >= 5x)`);
  for (const half of scaling) {
    const r = half.run;
    console.log(
      `doubling the ${half.name} (${half.objects} objects x ${half.clusters.length} clusters -> ${objects} x ${CLUSTERS.length}): ` +
        `time ${(first.seconds / r.seconds).toFixed(2)}x (${r.seconds.toFixed(2)} -> ${first.seconds.toFixed(2)} s; target <= 2.1x), ` +
        `CPU ${(first.cpu / r.cpu).toFixed(2)}x (${r.cpu.toFixed(2)} -> ${first.cpu.toFixed(2)} s), peak RSS ${(first.rssMb / r.rssMb).toFixed(2)}x (${r.rssMb.toFixed(0)} -> ${first.rssMb.toFixed(0)} MiB; target <= 1.5x)`,
    );
  }
  console.log(`summary first run: ${JSON.stringify(r1.summary)}`);
  console.log(`summary re-run: ${JSON.stringify(r2.summary)}`);
} finally {
  if (!reuse) await stopControlPlane(clusterDir).catch((e) => console.error(`stopping clusters: ${e.message}`));
  rmSync(work, { recursive: true, force: true });
}

// Offline render throughput (scripts/bench-render.mjs), after the clusters are stopped.
if (process.env.BENCH_RENDER !== '0') {
  console.log('');
  await benchRender();
}
// Start-up figures: scripts/bench-startup.mjs (runnable alone too).
if (process.env.BENCH_STARTUP !== '0') await (await import('./bench-startup.mjs')).benchStartup();
