// Start-up figures (issue 13): the CPU time (user + system) of `kubefedctl --help` and
// `kubefedctl version` next to `node -e 0` on the same Node, and how long a cluster command takes
// from its start to its first request, next to `node -e 0`'s whole run. The commands run in turn,
// round after round, so every figure has its baseline from the same minutes of the machine; each is
// the median of the rounds. Needs the bundle (npm run build) and bash (for its `times`, which reads
// a child's CPU time to the millisecond).
//
//   node scripts/bench-startup.mjs              15 rounds (BENCH_STARTUP_RUNS=N for another count)
//   npm run bench                               runs this after the propagation figures
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import module from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const bin = join(root, 'bin', 'kubefedctl.js');
const node = process.execPath;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** CPU seconds (user + system) of one run of `cmd args`, from bash's `times` after it. */
function cpuOf(cmd, args) {
  return new Promise((res, rej) => {
    const child = spawn('bash', ['-c', '"$@" >/dev/null 2>&1; times', 'bench', cmd, ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (out += d));
    child.once('error', rej);
    child.once('close', () => {
      // Second line: the children's user and system time, e.g. "0m0.123s 0m0.045s".
      const m = out
        .trim()
        .split('\n')[1]
        ?.match(/(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s/);
      if (!m) return rej(new Error(`cannot read the CPU time of ${cmd} ${args.join(' ')}: ${out}`));
      res(Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) * 60 + Number(m[4]));
    });
  });
}

/** Wall seconds of a whole run of `node -e 0`, started the way the cluster command is. */
function wallOfNode() {
  return new Promise((res, rej) => {
    const started = process.hrtime.bigint();
    const child = spawn(node, ['-e', '0'], { stdio: 'ignore' });
    child.once('error', rej);
    child.once('close', () => res(Number(process.hrtime.bigint() - started) / 1e9));
  });
}

/**
 * A stand-in API server: answers 404 to everything and notes when the first request of a run
 * arrives. The command (propagate in host mode) then stops with an error, which is fine here.
 */
async function fakeApiServer() {
  let waiting;
  const server = createServer((req, res) => {
    // Called before the answer is written: what the client has done by now is all before its request.
    waiting?.(process.hrtime.bigint());
    waiting = undefined;
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404}');
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: server.address().port,
    nextRequest: (atArrival) => new Promise((r) => (waiting = (at) => r(atArrival(at)))),
    close: () => new Promise((r) => server.close(r)),
  };
}

/** CPU seconds (user + system) a running process has used so far, from /proc (Linux; 10 ms ticks). */
function cpuSoFar(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /, '')
      .split(' ');
    // After the command name: utime and stime are fields 12 and 13 (0-based), in clock ticks.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/**
 * `kubefedctl propagate` from its spawn to its first request reaching the server: wall seconds, and
 * the CPU seconds the process had used by then (read when the request arrives; unlike wall time,
 * it does not grow with the machine's load).
 */
async function firstRequestOf(server, kubeconfig) {
  let child;
  const arrived = server.nextRequest((at) => ({ at, cpu: cpuSoFar(child.pid) }));
  const started = process.hrtime.bigint();
  child = spawn(node, [bin, 'propagate', '--kubeconfig', kubeconfig, '--host-cluster-context', 'fake'], {
    cwd: root,
    stdio: 'ignore',
    env: { ...process.env, NO_PROXY: '127.0.0.1', no_proxy: '127.0.0.1' },
  });
  const exited = new Promise((r) => child.once('close', r));
  const first = await Promise.race([arrived, exited.then(() => undefined)]);
  await exited;
  if (first === undefined) throw new Error('kubefedctl propagate exited before sending a request');
  return { wall: Number(first.at - started) / 1e9, cpu: first.cpu };
}

/** Runs the rounds and prints the figures; returns them too. */
export async function benchStartup({ runs = Number(process.env.BENCH_STARTUP_RUNS ?? 15) } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'kubefedctl-bench-startup-'));
  const server = await fakeApiServer();
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters: [{name: fake, cluster: {server: "http://127.0.0.1:' + server.port + '"}}]',
      'users: [{name: fake, user: {token: bench}}]',
      'contexts: [{name: fake, context: {cluster: fake, user: fake}}]',
      'current-context: fake',
      '',
    ].join('\n'),
  );
  const f = { node: [], help: [], version: [], nodeWall: [], firstRequest: [], firstRequestCpu: [] };
  try {
    // One round not counted: it fills the OS's file cache (and Node's compile cache where it has one).
    for (let round = -1; round < runs; round++) {
      const r = {
        node: await cpuOf(node, ['-e', '0']),
        help: await cpuOf(node, [bin, '--help']),
        version: await cpuOf(node, [bin, 'version']),
        nodeWall: await wallOfNode(),
      };
      const first = await firstRequestOf(server, kubeconfig);
      r.firstRequest = first.wall;
      r.firstRequestCpu = first.cpu;
      if (round >= 0) for (const k of Object.keys(f)) f[k].push(r[k]);
    }
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const m = Object.fromEntries(Object.entries(f).map(([k, v]) => [k, median(v)]));
  const cache = typeof module.enableCompileCache === 'function' ? 'compile cache on' : 'no compile cache in this Node';
  const ms = (s) => `${(s * 1000).toFixed(0)} ms`;
  console.log('');
  console.log(`## Start-up (node ${process.version}, ${cache}; medians of ${runs} rounds)`);
  console.log('');
  console.log('| figure | kubefedctl | baseline: node -e 0 | ratio | target |');
  console.log('|---|---|---|---|---|');
  console.log(`| --help, CPU | ${ms(m.help)} | ${ms(m.node)} | ${(m.help / m.node).toFixed(2)}x | <= 1.3x |`);
  console.log(`| version, CPU | ${ms(m.version)} | ${ms(m.node)} | ${(m.version / m.node).toFixed(2)}x | <= 1.3x |`);
  console.log(
    `| propagate: start to first request, wall | ${ms(m.firstRequest)} | ${ms(m.nodeWall)} (whole run) | own overhead ${ms(m.firstRequest - m.nodeWall)} | own <= 150 ms |`,
  );
  console.log(
    `| propagate: CPU used by its first request | ${ms(m.firstRequestCpu)} | ${ms(m.node)} (whole run) | own overhead ${ms(m.firstRequestCpu - m.node)} | own <= 150 ms |`,
  );
  return m;
}

if (import.meta.url === `file://${process.argv[1]}`) await benchStartup();
