#!/usr/bin/env node
// Entry point: turn on Node's compile cache where it has one (22.1+; later runs start faster), then
// run the CLI from its bundle (dist/bundle/, built by `npm run build`). One file, so start-up
// resolves and reads one module fewer; bin/kubectl-fed.js imports this one.
import module from 'node:module';
import { basename } from 'node:path';

/** The -v level on the command line (-v=4, -v 4, -v4, --v=4, --v 4), or 0. */
function verbosity(argv) {
  for (let i = 0; i < argv.length && argv[i] !== '--'; i++) {
    const m = /^(?:--?v(?:=(\d+))?|-v(\d+))$/.exec(argv[i]);
    if (m) return Number(m[1] ?? m[2] ?? argv[i + 1]) || 0;
  }
  return 0;
}

module.enableCompileCache?.();
const args = process.argv.slice(2);
// A stack trace (printed from -v=4 up) names the TypeScript sources. Node reads a bundle's source
// map when it loads the file, which costs start-up time, so only when a trace can be printed.
if (verbosity(args) >= 4) process.setSourceMapsEnabled(true);
// Run as kubectl's plugin (kubectl-fed, or npm's shim of bin/kubectl-fed.js), usage lines say "kubectl fed".
const name = basename(process.argv[1] ?? '').startsWith('kubectl-fed') ? 'kubectl fed' : undefined;
const { main } = await import('../dist/bundle/cli.js');
process.exitCode = await main(args, name);
