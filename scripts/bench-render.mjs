// The render section of `npm run bench`, also runnable alone: `node scripts/bench-render.mjs`.
// `kubefedctl render` of BENCH_RENDER_OBJECTS (10,000) federated objects to 3 clusters, from YAML
// input and from JSON input (one JSON document per `---`), printed as YAML and as JSON. Figures are
// milliseconds per federated object (objects × clusters rendered), medians of BENCH_RENDER_RUNS (5).
// Baselines measured in the same run, on the same input: the `yaml` package's defaults reading
// every document and printing each object once per cluster (the floor of "read and print with
// yaml"), and JSON.parse + JSON.stringify of the same data. Figures only; no thresholds.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '..');
const cli = join(root, 'bin', 'kubefedctl.js');
export const CLUSTERS = ['cluster1', 'cluster2', 'cluster3'];

/**
 * The federated objects: one FederatedNamespace, then FederatedConfigMaps (an override for cluster3)
 * and one FederatedDeployment in ten (overrides for cluster2 and cluster3), `count` in all.
 */
export function federatedObjects(count, ns = 'bench') {
  const fed = (kind, name, spec) => ({
    apiVersion: 'types.kubefed.io/v1beta1',
    kind: `Federated${kind}`,
    metadata: { name, namespace: ns },
    spec,
  });
  const docs = [fed('Namespace', ns, { placement: { clusterSelector: {} } })];
  for (let i = 1; i < count; i++) {
    if (i % 10 !== 0) {
      docs.push(
        fed('ConfigMap', `cm-${i}`, {
          template: {
            metadata: { labels: { app: 'bench', part: `p${i % 7}` } },
            data: { index: String(i), payload: 'x'.repeat(200), 'config.properties': `a=1\nb=${i}\nc=three\n` },
          },
          placement: { clusterSelector: {} },
          overrides: [
            { clusterName: 'cluster3', clusterOverrides: [{ path: '/data/region', op: 'add', value: 'us' }] },
          ],
        }),
      );
      continue;
    }
    const labels = { app: `web-${i}` };
    docs.push(
      fed('Deployment', `web-${i}`, {
        template: {
          metadata: { labels },
          spec: {
            replicas: 2,
            selector: { matchLabels: labels },
            template: {
              metadata: { labels },
              spec: {
                containers: [
                  {
                    name: 'web',
                    image: 'registry.invalid/web:1',
                    args: ['--port=8080', '--verbose'],
                    ports: [{ containerPort: 8080, name: 'http' }],
                    env: [{ name: 'MODE', value: 'bench' }],
                    resources: { requests: { cpu: '100m', memory: '64Mi' } },
                  },
                ],
              },
            },
          },
        },
        placement: { clusterSelector: {} },
        overrides: [
          { clusterName: 'cluster2', clusterOverrides: [{ path: '/spec/replicas', value: 3 }] },
          {
            clusterName: 'cluster3',
            clusterOverrides: [
              { path: '/spec/replicas', value: 1 },
              { path: '/spec/template/spec/containers/0/image', value: 'registry.invalid/web:2' },
            ],
          },
        ],
      }),
    );
  }
  return docs;
}

/** Writes objects.yaml, objects.json and clusters.yaml into `dir`. */
export async function writeRenderInput(dir, count) {
  const { stringify } = await import('yaml');
  mkdirSync(dir, { recursive: true });
  const docs = federatedObjects(count);
  writeFileSync(
    join(dir, 'objects.yaml'),
    docs.map((d) => stringify(d, { aliasDuplicateObjects: false })).join('---\n'),
  );
  writeFileSync(join(dir, 'objects.json'), docs.map((d) => JSON.stringify(d, null, 2)).join('\n---\n'));
  writeFileSync(
    join(dir, 'clusters.yaml'),
    CLUSTERS.map((c) =>
      stringify({
        apiVersion: 'core.kubefed.io/v1beta1',
        kind: 'KubeFedCluster',
        metadata: { name: c },
        spec: { kubeconfigContext: c },
      }),
    ).join('---\n'),
  );
}

/** The baselines, each one `node` process so start-up counts as it does for render. */
const BASELINES = {
  'yaml defaults: parseAllDocuments + toJS, stringify per cluster': `
    const { parseAllDocuments, stringify } = await import('yaml');
    const text = (await import('node:fs')).readFileSync(process.argv[1], 'utf8');
    const objects = parseAllDocuments(text).map((d) => d.toJS());
    let out = '';
    for (const c of ${JSON.stringify(CLUSTERS)}) for (const o of objects) out += '---\\n' + stringify(o);
    process.stdout.write(out.length + '\\n');`,
  'JSON.parse + JSON.stringify per cluster': `
    const text = (await import('node:fs')).readFileSync(process.argv[1], 'utf8');
    const objects = text.split('\\n---\\n').map((d) => JSON.parse(d));
    let out = '';
    for (const c of ${JSON.stringify(CLUSTERS)}) out += JSON.stringify(objects, null, 2);
    process.stdout.write(out.length + '\\n');`,
};

/** Median wall time in ms of `runs` runs of a command (after one warm-up), failing on a non-zero exit. */
function time(args, runs) {
  const times = [];
  for (let i = 0; i <= runs; i++) {
    const started = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 30 });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (r.status !== 0) throw new Error(`${args.join(' ')} failed (${r.status}): ${String(r.stderr).slice(-2000)}`);
    if (i > 0) times.push(ms);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], times };
}

/** Runs the render benchmark and prints its table; returns the rows. */
export async function benchRender({
  count = Number(process.env.BENCH_RENDER_OBJECTS ?? 10000),
  runs = Number(process.env.BENCH_RENDER_RUNS ?? 5),
  log = console.log,
} = {}) {
  const work = mkdtempSync(join(tmpdir(), 'kf-bench-render-'));
  try {
    await writeRenderInput(work, count);
    const clusters = join(work, 'clusters.yaml');
    const yamlIn = join(work, 'objects.yaml');
    const jsonIn = join(work, 'objects.json');
    const render = (input, ...more) => [cli, 'render', '-f', input, '--clusters', clusters, ...more];
    const rows = [];
    // Interleaved so that drift in the machine's speed touches every row alike.
    const cases = [
      ['render, YAML in, YAML out', render(yamlIn)],
      ['render, JSON in, YAML out', render(jsonIn)],
      ['render, JSON in, -o json', render(jsonIn, '-o', 'json')],
      ['render, YAML in, --output-dir', render(yamlIn, '--output-dir', join(work, 'out'))],
      ...Object.entries(BASELINES).map(([name, code], i) => [
        `baseline: ${name}`,
        ['--input-type=module', '-e', code, i === 0 ? yamlIn : jsonIn],
      ]),
    ];
    for (const [name, args] of cases) rows.push({ name, ...time(args, runs) });
    const pairs = count * CLUSTERS.length;
    const yamlFloor = rows.find((r) => r.name.startsWith('baseline: yaml'));
    log(
      `kubefedctl render benchmark: ${count} federated objects × ${CLUSTERS.length} clusters = ${pairs} rendered objects (wall time, median of ${runs}, start-up included)`,
    );
    log('');
    log('| run | time (ms) | ms per federated object | µs per rendered object | / yaml baseline |');
    log('|---|---|---|---|---|');
    for (const r of rows)
      log(
        `| ${r.name} | ${r.median.toFixed(0)} | ${(r.median / count).toFixed(3)} | ${((r.median * 1000) / pairs).toFixed(1)} | ${(r.median / yamlFloor.median).toFixed(2)} |`,
      );
    return rows;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await benchRender();
