// What both entry points do: turn on Node's compile cache where it has one (22.1+; later runs start
// faster), then run the CLI from its bundle (dist/bundle/, built by `npm run build`).
import module from 'node:module';

/** The -v level on the command line (-v=4, -v 4, -v4, --v=4, --v 4), or 0. */
function verbosity(argv) {
  for (let i = 0; i < argv.length && argv[i] !== '--'; i++) {
    const m = /^(?:--?v(?:=(\d+))?|-v(\d+))$/.exec(argv[i]);
    if (m) return Number(m[1] ?? m[2] ?? argv[i + 1]) || 0;
  }
  return 0;
}

/** Runs kubefedctl with this process's arguments; `name` is how usage lines name the program. */
export async function start(name) {
  module.enableCompileCache?.();
  const args = process.argv.slice(2);
  // A stack trace (printed from -v=4 up) names the TypeScript sources. Node reads a bundle's source
  // map when it loads the file, which costs start-up time, so only when a trace can be printed.
  if (verbosity(args) >= 4) process.setSourceMapsEnabled(true);
  const { main } = await import('../dist/bundle/cli.js');
  process.exitCode = await main(args, name);
}
