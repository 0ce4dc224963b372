// `npm run build`: (1) generates the schema validators (scripts/gen-validators.mjs), (2) compiles
// src/ and test/ with tsc into dist/ (the tests import dist/src and dist/test), (3) bundles src/cli.ts
// with esbuild into dist/bundle/, which is what bin/ loads: one ESM file for the start-up path
// (the root command, every command's declaration, commander, chalk) and a lazily loaded chunk for
// each command's run step (code splitting keeps every `import()` of src/ a separate file).
//
//   node scripts/build.mjs            all three steps
//   node scripts/build.mjs --bundle   (1) and (3) only: no type check, for a quick rebuild of bin/
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { GENERATED_CODE } from './gen-validators.mjs';
import { createRequire, isBuiltin } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
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
 * Built-ins that a bare `node` has not loaded yet and that start-up does not need: commander
 * require()s node:child_process (only for executable subcommands, which kubefedctl has none of),
 * and src/ imports node:crypto for hashes written after the first request. Loading them is ~30 ms
 * (child_process pulls in net and the streams), so the bundle gets each as an object whose
 * properties load it on first use.
 */
const LAZY_BUILTINS = new Set([
  'child_process',
  'crypto',
  'dns',
  'dns/promises',
  'http',
  'https',
  'net',
  'tls',
  'tty',
  'zlib',
]);
const nodeRequire = createRequire(import.meta.url);

/** The module text standing for built-in `name` in the bundle. */
function builtinModule(name) {
  const bare = name.replace(/^node:/, '');
  const load = `require(${JSON.stringify(name)})`;
  const value = nodeRequire(name);
  // A function (node:events, node:stream) may be called or extended: it is loaded as it is.
  if (!LAZY_BUILTINS.has(bare) || typeof value !== 'object') return `module.exports = ${load};`;
  const keys = JSON.stringify(Object.keys(value));
  return `let m; const exported = {};
for (const k of ${keys}) Object.defineProperty(exported, k, { enumerable: true, get: () => (m ??= ${load})[k] });
module.exports = exported;`;
}

/**
 * Node's built-in modules through require() (the banner's), not `import`: Node builds the ES module
 * face of a built-in by reading every export, which runs its lazy getters. For node:crypto that loads
 * WebCrypto, for node:fs its streams: ~25 ms of a --help that needs neither. The bundled packages'
 * own require() calls of built-ins go the same way, so LAZY_BUILTINS covers them too.
 */
const builtinsThroughRequire = {
  name: 'builtins-through-require',
  setup(build) {
    build.onResolve({ filter: /^[a-z_/:]+$/ }, (args) =>
      // Not the require() of the module standing for it (namespace 'builtin'): that one is Node's.
      (args.kind === 'import-statement' || args.kind === 'require-call') &&
      args.namespace !== 'builtin' &&
      isBuiltin(args.path)
        ? { path: args.path, namespace: 'builtin' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => ({
      contents: builtinModule(args.path),
      loader: 'js',
    }));
  },
};

/**
 * chalk asks its copy of supports-color, when chalk is loaded, whether stdout and stderr are
 * terminals, with node:tty (which loads node:net and the streams, ~10 % of a `--help`). kubefedctl
 * gives every Chalk it makes its level (output/io.ts); only ora's spinner uses chalk's own, and only
 * on a terminal. So when neither stream is a character device (pipes and files, as in CI) and
 * nothing forces colour, the answer is known without node:tty: no colour. Otherwise the real module
 * answers.
 */
function supportsColorWithoutTty() {
  const real = join(dirname(nodeRequire.resolve('chalk')), 'vendor', 'supports-color', 'index.js');
  return {
    name: 'supports-color-without-tty',
    setup(build) {
      build.onResolve({ filter: /^#supports-color$/ }, () => ({ path: real, namespace: 'supports-color' }));
      build.onLoad({ filter: /.*/, namespace: 'supports-color' }, () => ({
        contents: `const { fstatSync } = require('node:fs');
const maybeTerminal = (fd) => { try { return fstatSync(fd).isCharacterDevice(); } catch { return false; } };
const ask = maybeTerminal(1) || maybeTerminal(2) || 'FORCE_COLOR' in process.env ||
  process.argv.some((a) => /^--(no-)?colou?rs?(=|$)/.test(a));
module.exports = ask ? require(${JSON.stringify(real)}).default : { stdout: false, stderr: false };`,
        loader: 'js',
        resolveDir: dirname(real),
      }));
    },
  };
}

/**
 * Every lazily loaded module imports src/cli.ts too (prepended on its first line, so source maps keep
 * their lines). esbuild puts a module in a chunk by the set of entry points (the CLI and each
 * `import()`) that reach it; when the CLI's whole static graph is reached by all of them, it is one
 * chunk instead of a dozen small ones shared in different ways, and `--help` loads two files, not
 * ten. Loading a chunk costs a resolve, a read and a module record each, on every run.
 */
function lazyModulesImportTheCli(lazySources) {
  const cli = join(root, 'src', 'cli.ts');
  const wanted = new Set(lazySources.map((s) => join(root, s)));
  return {
    name: 'lazy-modules-import-the-cli',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, (args) =>
        wanted.has(args.path)
          ? { contents: `import ${JSON.stringify(cli)};${readFileSync(args.path, 'utf8')}`, loader: 'ts' }
          : undefined,
      );
    },
  };
}

/** What every file of dist/bundle/ is built with. */
const SHARED_OPTIONS = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  // Whitespace and syntax only: names stay as written, so stack traces (source-mapped or not) read.
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: 'linked',
  // Sources are in the package's git repository; leaving them out of the maps keeps the package small.
  sourcesContent: false,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
};

/** esbuild's settings for the CLI's files of dist/bundle/, with extra plugins. */
function buildOptions(plugins) {
  return {
    ...SHARED_OPTIONS,
    entryPoints: { cli: 'src/cli.ts' },
    outdir: BUNDLE_DIR,
    // Chunks sit next to cli.js: src/version.ts finds the package root two folders up from either.
    chunkNames: '[name]-[hash]',
    splitting: true,
    format: 'esm',
    // Dependencies are bundled too: resolving and loading ~50 files of packages is most of what a
    // bundle saves. Their CommonJS code (commander, the proxy agents) require()s Node's built-ins.
    banner: {
      js: "import { createRequire as __kubefedctlRequire } from 'node:module'; const require = __kubefedctlRequire(import.meta.url);",
    },
    plugins: [builtinsThroughRequire, supportsColorWithoutTty(), ...plugins],
    // src/util/yaml-package.ts loads the `yaml` package from this file (bundleYaml) when first needed.
    define: { KUBEFEDCTL_BUNDLED_YAML: JSON.stringify(`./${YAML_FILE}`) },
  };
}

/** The `yaml` package as one CommonJS file beside the chunks: loaded only by runs that need it. */
const YAML_FILE = 'yaml.cjs';

function bundleYaml() {
  return esbuild.build({
    ...SHARED_OPTIONS,
    entryPoints: [nodeRequire.resolve('yaml')],
    outfile: join(BUNDLE_DIR, YAML_FILE),
    format: 'cjs',
  });
}

/** Bundles src/cli.ts into dist/bundle/ (cli.js, chunk files, their source maps). */
export async function bundle() {
  rmSync(BUNDLE_DIR, { recursive: true, force: true });
  // A first pass finds the modules loaded with import() (each is an entry point of its own chunk).
  const first = await esbuild.build({ ...buildOptions([]), write: false });
  const lazy = Object.values(first.metafile.outputs)
    .map((o) => o.entryPoint)
    .filter((e) => e !== undefined && e !== 'src/cli.ts');
  const [result, yaml] = await Promise.all([
    esbuild.build(buildOptions([lazyModulesImportTheCli(lazy)])),
    bundleYaml(),
  ]);
  // What went where (esbuild's analyzer reads it); not shipped.
  writeFileSync(join(root, 'dist', 'bundle-meta.json'), JSON.stringify(result.metafile));
  const inputs = { ...result.metafile.inputs, ...yaml.metafile.inputs };
  writeFileSync(join(BUNDLE_DIR, 'THIRD-PARTY-LICENSES.txt'), thirdPartyLicenses({ inputs }));
  // The validators' code is read from beside the chunk that holds their module.
  copyFileSync(GENERATED_CODE, join(BUNDLE_DIR, basename(GENERATED_CODE)));
  writeFileSync(join(BUNDLE_DIR, QUICK_ANSWERS), JSON.stringify(await quickAnswers()));
  return result;
}

/** What bin/kubefedctl.js answers without loading the CLI (it names this file too: it cannot import this script). */
const QUICK_ANSWERS = 'quick-answers.json';

/**
 * The root's help (as printed to a pipe or a file, 80 columns wide) under either name, and the
 * `version` line with the runtime's part as {runtime}: printed by the bundle just built, so that
 * bin/kubefedctl.js can print them without loading it. Those two cost little more than Node's
 * own start that way (docs/performance.md, "Start-up").
 */
async function quickAnswers() {
  const printed = (args, name) =>
    new Promise((res, rej) => {
      const script = `const { main } = await import(${JSON.stringify(join(BUNDLE_DIR, 'cli.js'))});
process.exitCode = await main(${JSON.stringify(args)}, ${JSON.stringify(name)});`;
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'inherit'],
        env: { ...process.env, NO_COLOR: '1' },
      });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.once('error', rej);
      child.once('close', (code) => (code === 0 ? res(out) : rej(new Error(`${args.join(' ')} exited with ${code}`))));
    });
  const runtime = `node ${process.version}, ${process.platform}/${process.arch}`;
  const version = await printed(['version'], 'kubefedctl');
  if (!version.includes(runtime)) throw new Error(`version does not print "${runtime}": ${version}`);
  return {
    help: {
      kubefedctl: await printed(['--help'], 'kubefedctl'),
      'kubectl fed': await printed(['--help'], 'kubectl fed'),
    },
    version: version.replace(runtime, '{runtime}'),
  };
}

/**
 * The licence texts of the packages in the bundle (docs/adr/0006-bundled-dependencies.md): their
 * code ships inside dist/bundle/, so their notices ship beside it.
 */
function thirdPartyLicenses(metafile) {
  const dirs = new Set();
  for (const input of Object.keys(metafile.inputs)) {
    const m = /^(?:[a-z-]+:)?(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (m) dirs.add(resolve(root, m[1]));
  }
  const parts = [...dirs].sort().map((dir) => {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const file = readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
    const text = file ? readFileSync(join(dir, file), 'utf8').trim() : `License: ${pkg.license}`;
    return `${pkg.name} ${pkg.version} (${pkg.license})\n\n${text}\n`;
  });
  return `kubefedctl's bundle (dist/bundle/) contains these packages.\n\n${parts.join(`\n${'-'.repeat(72)}\n\n`)}`;
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
    // tsc copies no text file: the validators' module in dist/src/util/ reads its code from there.
    mkdirSync(join(root, 'dist', 'src', 'util'), { recursive: true });
    copyFileSync(GENERATED_CODE, join(root, 'dist', 'src', 'util', basename(GENERATED_CODE)));
  }
}
