// `npm run bench`: propagates 1,000 federated ConfigMaps and 100 federated Deployments to 3 real
// clusters and prints first-run time, no-op re-run time, requests per cluster and peak memory, with
// a baseline measured in the same run: `kubectl apply -f` of the same rendered objects, cluster by
// cluster. Figures only; no pass/fail thresholds (see docs/performance.md for the targets).
//
// Options (environment): BENCH_CONFIGMAPS (1000), BENCH_DEPLOYMENTS (100),
// KUBEFEDCTL_TEST_KUBECONFIG + KUBEFEDCTL_TEST_DIR to reuse running clusters.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startControlPlane, stopControlPlane } from './control-plane.mjs';
import { benchRender } from './bench-render.mjs';

const root = resolve(import.meta.dirname, '..');
const CONFIGMAPS = Number(process.env.BENCH_CONFIGMAPS ?? 1000);
const DEPLOYMENTS = Number(process.env.BENCH_DEPLOYMENTS ?? 100);
const CLUSTERS = ['cluster1', 'cluster2', 'cluster3'];

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
      const rssKb = Number(stderr.match(/Maximum resident set size \(kbytes\): (\d+)/)?.[1] ?? 0);
      res({ code, stdout, stderr, seconds, rssMb: rssKb / 1024 });
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
function writeInput(dir, ns) {
  mkdirSync(dir, { recursive: true });
  const docs = [federated('Namespace', ns, ns, { placement: { clusterSelector: {} } })];
  for (let i = 0; i < CONFIGMAPS; i++) {
    docs.push(
      federated('ConfigMap', ns, `cm-${i}`, {
        template: { data: { index: String(i), payload: 'x'.repeat(200) } },
        placement: { clusterSelector: {} },
        overrides: [{ clusterName: 'cluster3', clusterOverrides: [{ path: '/data/region', op: 'add', value: 'us' }] }],
      }),
    );
  }
  for (let i = 0; i < DEPLOYMENTS; i++) {
    const labels = { app: `web-${i}` };
    docs.push(
      federated('Deployment', ns, `web-${i}`, {
        template: {
          spec: {
            replicas: 1,
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

function writeClusters(path) {
  writeFileSync(
    path,
    CLUSTERS.map((c) =>
      JSON.stringify({
        apiVersion: 'core.kubefed.io/v1beta1',
        kind: 'KubeFedCluster',
        metadata: { name: c },
        spec: { kubeconfigContext: c },
      }),
    ).join('\n---\n'),
  );
}

const cli = join(root, 'bin', 'kubefedctl.js');

/** Waits until every Deployment of the namespace has been seen by its controller in every cluster, then 5 s more. */
async function waitSettled(env, ns) {
  for (const c of CLUSTERS) {
    for (let i = 0; i < 120; i++) {
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
          'jsonpath={range .items[*]}{.status.observedGeneration}{"\\n"}{end}',
        ],
        env,
      );
      const lines = r.stdout.split('\n').filter((l) => l !== '');
      if (lines.length >= DEPLOYMENTS && lines.every((l) => Number(l) >= 1)) break;
      await new Promise((res) => setTimeout(res, 1000));
    }
  }
  await new Promise((res) => setTimeout(res, 5000));
}
const work = mkdtempSync(join(tmpdir(), 'kf-bench-'));
const reuse = Boolean(process.env.KUBEFEDCTL_TEST_KUBECONFIG && process.env.KUBEFEDCTL_TEST_DIR);
const clusterDir = reuse ? process.env.KUBEFEDCTL_TEST_DIR : join(work, 'clusters');
let kubeconfig = process.env.KUBEFEDCTL_TEST_KUBECONFIG;
try {
  if (!reuse) {
    console.error('starting 3 test clusters');
    kubeconfig = (await startControlPlane({ count: 3, dir: clusterDir })).kubeconfig;
  }
  const env = { KUBECONFIG: kubeconfig, NO_COLOR: '1' };
  const suffix = Math.random().toString(36).slice(2, 6);
  const clustersFile = join(work, 'clusters.yaml');
  writeClusters(clustersFile);

  // Baseline: kubectl apply of the same objects (rendered for another namespace), cluster by cluster.
  const baselineNs = `bench-kubectl-${suffix}`;
  writeInput(join(work, 'baseline-input'), baselineNs);
  const rendered = await run(
    process.execPath,
    [
      cli,
      'render',
      '-f',
      join(work, 'baseline-input'),
      '--clusters',
      clustersFile,
      '--output-dir',
      join(work, 'rendered'),
    ],
    env,
  );
  if (rendered.code !== 0) throw new Error(`render failed: ${rendered.stderr}`);
  const baseline = [];
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

  const ns = `bench-${suffix}`;
  writeInput(join(work, 'input'), ns);
  const args = [cli, 'propagate', '-f', join(work, 'input'), '--clusters', clustersFile, '-o', 'json'];
  const first = await run(process.execPath, args, env);
  if (first.code !== 0) throw new Error(`first propagate failed (${first.code}): ${first.stderr.slice(-2000)}`);
  console.error(`kubefedctl first run: ${first.seconds.toFixed(1)} s`);
  // Let the members' controllers finish reacting to 300 new Deployments before timing the re-run:
  // on 2 cores their work would otherwise be measured as ours.
  await waitSettled(env, ns);
  const reruns = [];
  for (let i = 0; i < 3; i++) {
    const r = await run(process.execPath, args, env);
    if (r.code !== 0) throw new Error(`re-run propagate failed (${r.code}): ${r.stderr.slice(-2000)}`);
    reruns.push(r);
  }
  const second = [...reruns].sort((a, b) => a.seconds - b.seconds)[1];
  console.error(`kubefedctl no-op re-runs: ${reruns.map((r) => r.seconds.toFixed(2)).join(', ')} s`);
  const r1 = JSON.parse(first.stdout);
  const r2 = JSON.parse(second.stdout);
  const writes = (r) =>
    r.clusters.reduce(
      (n, c) =>
        n +
        Object.entries(c.requests)
          .filter(([m]) => m !== 'GET')
          .reduce((a, [, v]) => a + v, 0),
      0,
    );
  const kubectlTotal = baseline.reduce((n, b) => n + b.seconds, 0);

  const objects = 1 + CONFIGMAPS + DEPLOYMENTS;
  console.log(
    `kubefedctl propagate benchmark: ${CONFIGMAPS} ConfigMaps + ${DEPLOYMENTS} Deployments (+1 Namespace) to ${CLUSTERS.length} clusters = ${objects * CLUSTERS.length} member objects`,
  );
  console.log('');
  console.log('| run | time (s) | requests per cluster | writes | peak RSS (MiB) |');
  console.log('|---|---|---|---|---|');
  const perCluster = (r) =>
    r.clusters
      .map(
        (c) =>
          `${c.name}: ${Object.entries(c.requests)
            .map(([m, n]) => `${m} ${n}`)
            .join(' ')}`,
      )
      .join('; ');
  console.log(
    `| first run | ${first.seconds.toFixed(2)} | ${perCluster(r1)} | ${writes(r1)} | ${first.rssMb.toFixed(0)} |`,
  );
  console.log(
    `| no-op re-run (median of 3: ${reruns.map((r) => r.seconds.toFixed(2)).join(', ')}) | ${second.seconds.toFixed(2)} | ${perCluster(r2)} | ${writes(r2)} | ${second.rssMb.toFixed(0)} |`,
  );
  console.log(
    `| baseline: kubectl apply -f, cluster by cluster | ${kubectlTotal.toFixed(2)} | (${baseline.map((b) => `${b.cluster} ${b.seconds.toFixed(1)} s`).join(', ')}) | ${objects * CLUSTERS.length} objects | — |`,
  );
  console.log('');
  console.log(
    `no-op re-run / first run: ${(second.seconds / first.seconds).toFixed(3)} (target < 0.1), writes in the re-run: ${writes(r2)} (target 0)`,
  );
  console.log(`kubectl baseline / first run: ${(kubectlTotal / first.seconds).toFixed(1)}x (target >= 5x)`);
  console.log(`summary first run: ${JSON.stringify(r1.summary)}`);
  console.log(`summary re-run: ${JSON.stringify(r2.summary)}`);
} finally {
  if (!reuse) await stopControlPlane(clusterDir).catch((e) => console.error(`stopping clusters: ${e.message}`));
  rmSync(work, { recursive: true, force: true });
}

// Offline render throughput (scripts/bench-render.mjs), after the clusters are stopped.
console.log('');
await benchRender();
// Start-up figures: scripts/bench-startup.mjs (runnable alone too).
await (await import('./bench-startup.mjs')).benchStartup();
