#!/usr/bin/env node
// Entry point: turn on Node's compile cache where it has one (22.1+; later runs start faster), then
// run the CLI from its bundle (dist/bundle/, built by `npm run build`). One file, so start-up
// resolves and reads one module fewer; bin/kubectl-fed.js imports this one.
import { fstatSync, readFileSync, statSync, writeSync } from 'node:fs';
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

/**
 * The text of `--help` and `version`, from what the build printed with the bundle
 * (dist/bundle/quick-answers.json, scripts/build.mjs): loading the CLI would cost more than Node's
 * own start. Help on a terminal is wrapped to its width, so only help to a pipe or a file is
 * answered here; anything else (more arguments, no file) goes to the CLI.
 */
function quickAnswer(args, name) {
  if (args.length !== 1 || !['--help', '-h', 'version'].includes(args[0])) return undefined;
  let answers;
  try {
    answers = JSON.parse(readFileSync(new URL('../dist/bundle/quick-answers.json', import.meta.url), 'utf8'));
  } catch {
    return undefined;
  }
  if (args[0] === 'version')
    return answers.version.replace('{runtime}', `node ${process.version}, ${process.platform}/${process.arch}`);
  return mayBeTerminal(1) ? undefined : answers.help[name ?? 'kubefedctl'];
}

/** Writes all of `text` to stdout as the CLI's output/io.ts does: again on EAGAIN, quietly stopping on EPIPE (`| head`). */
function writeOut(text) {
  const bytes = Buffer.from(text);
  for (let done = 0; done < bytes.length;) {
    try {
      done += writeSync(1, bytes, done);
    } catch (error) {
      if (error.code === 'EPIPE') return;
      if (error.code !== 'EAGAIN') throw error;
    }
  }
}

/** Whether `fd` may be a terminal: a character device other than /dev/null (node:tty costs more to load). */
function mayBeTerminal(fd) {
  const stat = fstatSync(fd);
  return stat.isCharacterDevice() && stat.rdev !== statSync('/dev/null').rdev;
}

/** Whether the CLI writes `fd` with write(2) as it prints (output/io.ts): a pipe or a regular file. */
function writtenDirectly(fd) {
  try {
    const stat = fstatSync(fd);
    return stat.isFIFO() || stat.isFile();
  } catch {
    return false;
  }
}

module.enableCompileCache?.();
const args = process.argv.slice(2);
// A stack trace (printed from -v=4 up) names the TypeScript sources. Node reads a bundle's source
// map when it loads the file, which costs start-up time, so only when a trace can be printed.
if (verbosity(args) >= 4) process.setSourceMapsEnabled(true);
// Run as kubectl's plugin (kubectl-fed, or npm's shim of bin/kubectl-fed.js), usage lines say "kubectl fed".
const name = basename(process.argv[1] ?? '').startsWith('kubectl-fed') ? 'kubectl fed' : undefined;
const answer = quickAnswer(args, name);
if (answer !== undefined) {
  writeOut(answer);
} else {
  const { main } = await import('../dist/bundle/cli.js');
  const code = await main(args, name);
  // Everything is done and printed: when both outputs are pipes or files, which the CLI writes
  // synchronously, exit now rather than wait for the event loop to wind down (sockets closing, a
  // last garbage collection), ~4 % of a replayed no-op. A terminal or a socket may still be
  // flushing, so there Node's own exit waits for it.
  if (writtenDirectly(1) && writtenDirectly(2)) process.exit(code);
  process.exitCode = code;
}
