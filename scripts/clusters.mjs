#!/usr/bin/env node
// CLI around scripts/control-plane.mjs (see docs/testing.md):
//   npm run clusters -- up --count N --dir DIR      → prints DIR/kubeconfig, leaves processes running
//   npm run clusters -- down --dir DIR              → stops exactly what `up` started in DIR
//   npm run clusters -- stop-cluster  --dir DIR --name clusterX
//   npm run clusters -- start-cluster --dir DIR --name clusterX
//   npm run clusters -- bin-dir                     → prints the folder holding the binaries
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { binDir, startCluster, startControlPlane, stopCluster, stopControlPlane } from './control-plane.mjs';

const USAGE = `usage:
  clusters up --count N --dir DIR
  clusters down --dir DIR
  clusters stop-cluster --dir DIR --name clusterX
  clusters start-cluster --dir DIR --name clusterX
  clusters bin-dir`;

function fail(msg) {
  process.stderr.write(`clusters: ${msg}\n${USAGE}\n`);
  process.exit(1);
}

let parsed;
try {
  parsed = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    strict: true,
    options: {
      count: { type: 'string' },
      dir: { type: 'string' },
      name: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
} catch (e) {
  fail(e.message);
}
const { values: o, positionals } = parsed;
if (o.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (positionals.length !== 1)
  fail(positionals.length ? `one command expected, got: ${positionals.join(' ')}` : 'missing command');
const cmd = positionals[0];

const allowed = {
  up: ['count', 'dir'],
  down: ['dir'],
  'stop-cluster': ['dir', 'name'],
  'start-cluster': ['dir', 'name'],
  'bin-dir': [],
};
if (!(cmd in allowed)) fail(`unknown command ${JSON.stringify(cmd)}`);
for (const k of ['count', 'dir', 'name']) {
  if (o[k] !== undefined && !allowed[cmd].includes(k)) fail(`--${k} is not valid for ${cmd}`);
  if (allowed[cmd].includes(k) && (o[k] === undefined || o[k] === '')) fail(`${cmd} needs --${k}`);
}
if (o.name !== undefined && !/^cluster[1-9]\d*$/.test(o.name))
  fail(`--name must look like cluster1, got ${JSON.stringify(o.name)}`);
let count;
if (cmd === 'up') {
  if (!/^[1-9]\d*$/.test(o.count) || Number(o.count) > 20)
    fail(`--count must be an integer 1..20, got ${JSON.stringify(o.count)}`);
  count = Number(o.count);
}
const dir = o.dir === undefined ? undefined : resolve(o.dir);

try {
  switch (cmd) {
    case 'up': {
      // Ctrl-C during start-up: stop what was started so far.
      const onSignal = (sig) => {
        process.stderr.write(`clusters: ${sig}, stopping what was started\n`);
        stopControlPlane(dir).finally(() => process.exit(130));
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      const env = await startControlPlane({ count, dir });
      process.stdout.write(`${env.kubeconfig}\n`);
      break;
    }
    case 'down':
      process.stderr.write(
        (await stopControlPlane(dir))
          ? `clusters: stopped control plane in ${dir}\n`
          : `clusters: nothing to stop in ${dir} (no state.json)\n`,
      );
      break;
    case 'stop-cluster':
      await stopCluster(dir, o.name);
      process.stderr.write(`clusters: stopped ${o.name}\n`);
      break;
    case 'start-cluster': {
      const c = await startCluster(dir, o.name);
      process.stderr.write(`clusters: ${c.name} ready at ${c.server}\n`);
      break;
    }
    case 'bin-dir':
      process.stdout.write(`${await binDir()}\n`);
      break;
  }
} catch (e) {
  process.stderr.write(`clusters: ${cmd} failed: ${e instanceof Error ? e.message : e}\n`);
  process.exit(1);
}
process.exit(0);
