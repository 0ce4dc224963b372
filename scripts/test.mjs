// `npm test` after the build: starts the real test clusters once, runs every test file (unit and
// integration) in one `node --test` run with the clusters' location in the environment, then
// stops the clusters. If the clusters cannot be started, the run fails: nothing is skipped.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startControlPlane, stopControlPlane } from './control-plane.mjs';

const root = resolve(import.meta.dirname, '..');
const CLUSTERS = 3;

function testFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...testFiles(path));
    else if (entry.endsWith('.test.js')) out.push(path);
  }
  return out.sort();
}

// Narrow the run with arguments: `npm test -- unit` or `npm test -- join` runs files whose path contains them.
const filters = process.argv.slice(2);
const files = testFiles(join(root, 'dist', 'test')).filter(
  (f) => filters.length === 0 || filters.some((x) => f.includes(x)),
);
if (files.length === 0) {
  console.error('no test files found under dist/test (did the build run?)');
  process.exit(1);
}
// KUBEFEDCTL_TEST_KUBECONFIG + KUBEFEDCTL_TEST_DIR point at clusters already running (`npm run clusters -- up`).
const reuse = Boolean(process.env.KUBEFEDCTL_TEST_KUBECONFIG && process.env.KUBEFEDCTL_TEST_DIR);
const needClusters =
  !reuse && files.some((f) => f.includes(`${join('test', 'integration')}`) || f.includes(`${join('test', 'e2e')}`));

const dir = process.env.KUBEFEDCTL_TEST_DIR_ROOT
  ? mkdtempSync(join(process.env.KUBEFEDCTL_TEST_DIR_ROOT, 'kf-'))
  : mkdtempSync(join(tmpdir(), 'kf-'));
let code = 1;
const stop = async () => {
  if (needClusters)
    await stopControlPlane(dir).catch((e) => console.error(`stopping the test clusters failed: ${e.message}`));
  if (process.env.KEEP_TEST_CLUSTERS !== '1') rmSync(dir, { recursive: true, force: true });
};
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => void stop().then(() => process.exit(130)));
try {
  const env = { ...process.env, NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost' };
  if (needClusters) {
    const started = Date.now();
    const cp = await startControlPlane({ count: CLUSTERS, dir });
    console.error(`test clusters ready in ${((Date.now() - started) / 1000).toFixed(1)} s (${dir})`);
    env.KUBEFEDCTL_TEST_DIR = dir;
    env.KUBEFEDCTL_TEST_KUBECONFIG = cp.kubeconfig;
  }
  // Readable progress on stdout, plus a TAP copy whose totals end the run as one plain line.
  const tap = join(dir, 'results.tap');
  code = await new Promise((res) => {
    const child = spawn(
      process.execPath,
      [
        '--test',
        '--test-concurrency=1',
        '--test-reporter=spec',
        '--test-reporter-destination=stdout',
        '--test-reporter=tap',
        `--test-reporter-destination=${tap}`,
        ...files,
      ],
      { stdio: 'inherit', env, cwd: root },
    );
    child.once('exit', (c, signal) => res(c ?? (signal ? 1 : 0)));
  });
  const totals = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  const count = (what) => Number(totals.match(new RegExp(`^# ${what} (\\d+)$`, 'm'))?.[1] ?? 0);
  if (totals)
    console.log(
      `${count('pass')} passed, ${count('fail') + count('cancelled')} failed${count('skipped') ? `, ${count('skipped')} skipped` : ''}`,
    );
} catch (error) {
  console.error(`cannot start the test clusters: ${error.message}`);
  code = 1;
} finally {
  await stop();
}
process.exit(code);
