// `npm run build`: (1) generates the schema validators (scripts/gen-validators.mjs), (2) compiles
// src/ and test/ with tsc into dist/ (the tests import dist/src and dist/test), (3) bundles src/cli.ts
// with esbuild into dist/bundle/, which is what bin/ loads: one ESM file for the start-up path
// (the root command, every command's declaration, commander, chalk) and a lazily loaded chunk for
// each command's run step (code splitting keeps every `import()` of src/ a separate file).
//
//   node scripts/build.mjs            all three steps
//   node scripts/build.mjs --bundle   (1) and (3) only: no type check, for a quick rebuild of bin/
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join, resolve } from 'node:path';
import * as esbuild from 'esbuild';

const root = resolve(import.meta.dirname, '..');
export const BUNDLE_DIR = join(root, 'dist', 'bundle');

function run(cmd, args) {
  return new Promise((res, rej) => {
    const child = spawn(cmd, args, { cwd: root, stdio: 'inherit' });
    child.once('error', rej);
    child.once('close', (code) => (code === 0 ? res() : rej(new Error(`${args.join(' ')} exited with ${code}`))));
  });
}

/**
 * Node's built-in modules through require() (the banner's), not `import`: Node builds the ES module
 * face of a built-in by reading every export, which runs its lazy getters. For node:crypto that loads
 * WebCrypto, for node:fs its streams: ~25 ms of a --help that needs neither.
 */
const builtinsThroughRequire = {
  name: 'builtins-through-require',
  setup(build) {
    build.onResolve({ filter: /^[a-z_/:]+$/ }, (args) =>
      args.kind === 'import-statement' && isBuiltin(args.path) ? { path: args.path, namespace: 'builtin' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

/** Bundles src/cli.ts into dist/bundle/ (cli.js, chunk files, their source maps). */
export async function bundle() {
  rmSync(BUNDLE_DIR, { recursive: true, force: true });
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: { cli: 'src/cli.ts' },
    outdir: BUNDLE_DIR,
    // Chunks sit next to cli.js: src/version.ts finds the package root two folders up from either.
    chunkNames: '[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Dependencies are bundled too: resolving and loading ~50 files of packages is most of what a
    // bundle saves. Their CommonJS code (commander, the proxy agents) require()s Node's built-ins.
    banner: {
      js: "import { createRequire as __kubefedctlRequire } from 'node:module'; const require = __kubefedctlRequire(import.meta.url);",
    },
    // Whitespace and syntax only: names stay as written, so stack traces (source-mapped or not) read.
    minifyWhitespace: true,
    minifySyntax: true,
    sourcemap: 'linked',
    // Sources are in the package's git repository; leaving them out of the maps keeps the package small.
    sourcesContent: false,
    legalComments: 'none',
    metafile: true,
    plugins: [builtinsThroughRequire],
    logLevel: 'warning',
  });
  // What went where (esbuild's analyzer reads it); not shipped.
  writeFileSync(join(root, 'dist', 'bundle-meta.json'), JSON.stringify(result.metafile));
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await run(process.execPath, [join(root, 'scripts', 'gen-validators.mjs')]);
  if (process.argv.includes('--bundle')) {
    await bundle();
  } else {
    // tsc takes a minute on 2 cores, the bundle a second: run them side by side.
    await Promise.all([
      run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json']),
      bundle(),
    ]);
  }
}
