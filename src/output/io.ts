// Where a command writes: stdout for data, stderr for progress and errors.
import { fstatSync, writeSync } from 'node:fs';
import { isatty } from 'node:tty';
import { Chalk, type ChalkInstance } from 'chalk';
import { redact } from '../util/secrets.js';
import { inGitHubActions, issueAnnotation, workflowCommand } from './github.js';

export interface IO {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Colour for stderr messages; never used on machine output. */
  style: ChalkInstance;
  /** True when progress lines may be shown (stderr is a terminal). */
  interactive: boolean;
  /** stderr when it is a terminal a spinner can redraw (output/progress.ts); absent for pipes, files and tests. */
  terminal?: Terminal;
  /** The environment the run sees (NO_COLOR, CI, TERM, GITHUB_ACTIONS, …); absent means an empty one. */
  env?: Readonly<Record<string, string | undefined>>;
  /** The width of stdout or stderr when it is a terminal (help text wraps to it); absent or undefined: 80. */
  columns?: (stream: 'out' | 'err') => number | undefined;
}

/** What a spinner needs of a terminal: to write, and to move the cursor back over what it drew. */
export type Terminal = NodeJS.WritableStream & {
  isTTY?: boolean;
  columns?: number;
  cursorTo(x: number): boolean;
  moveCursor(dx: number, dy: number): boolean;
  clearLine(dir: -1 | 0 | 1): boolean;
};

/** Colour only on a terminal, never with NO_COLOR (non-empty), TERM=dumb or --no-color; FORCE_COLOR forces it. */
export function useColour(opts: { isTTY: boolean; noColorFlag: boolean; env: NodeJS.ProcessEnv }): boolean {
  if (opts.noColorFlag) return false;
  if (opts.env['NO_COLOR']) return false;
  const force = opts.env['FORCE_COLOR'];
  if (force !== undefined && force !== '0' && force !== 'false') return true;
  if (opts.env['TERM'] === 'dumb') return false;
  return opts.isTTY;
}

/** What file descriptor `fd` is: a terminal, a pipe or a regular file (written to directly), or something else. */
function kindOf(fd: number): 'terminal' | 'direct' | 'other' {
  try {
    const stat = fstatSync(fd);
    // Only a character device can be a terminal: a pipe or a file is known without node:tty, whose
    // loading (with node:net and the streams) is ~10 % of a `--help` (docs/performance.md).
    if (stat.isCharacterDevice()) return isatty(fd) ? 'terminal' : 'other';
    return stat.isFIFO() || stat.isFile() ? 'direct' : 'other';
  } catch {
    return 'other';
  }
}

/**
 * Writes all of `text` to a pipe or a file with write(2), as process.stdout does for them on Linux
 * (synchronously) but without building a stream. A pipe someone else made non-blocking can refuse a
 * write for a moment (EAGAIN): it is tried again.
 */
function writeDirect(fd: number, text: string): void {
  const bytes = Buffer.from(text);
  for (let done = 0; done < bytes.length;) {
    try {
      done += writeSync(fd, bytes, done);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
    }
  }
}

/** The process's own streams. A closed stdout (`| head`) ends the program quietly, as in kubectl. */
export function processIO(noColorFlag = false): IO {
  const [out, err] = [kindOf(1), kindOf(2)];
  const quietOnEpipe = (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  };
  // process.stdout and process.stderr are built on first use: pipes and files never need them.
  let stdoutReady = false;
  const writeOut = (t: string) => {
    if (out === 'direct') {
      try {
        writeDirect(1, t);
      } catch (error) {
        quietOnEpipe(error as NodeJS.ErrnoException);
      }
      return;
    }
    if (!stdoutReady) process.stdout.on('error', quietOnEpipe);
    stdoutReady = true;
    process.stdout.write(t);
  };
  const colour = useColour({ isTTY: err === 'terminal', noColorFlag, env: process.env });
  return redactingIO({
    out: writeOut,
    err: (t) => {
      if (err !== 'direct') return void process.stderr.write(t);
      try {
        writeDirect(2, t);
      } catch (error) {
        // Nobody reads stderr any more: what it would have said is lost, the run goes on.
        if ((error as NodeJS.ErrnoException).code !== 'EPIPE') throw error;
      }
    },
    style: new Chalk({ level: colour ? 1 : 0 }),
    interactive: err === 'terminal',
    ...(err === 'terminal' ? { terminal: process.stderr } : {}),
    env: process.env,
    columns: (stream) => {
      if (stream === 'out') return out === 'terminal' ? process.stdout.columns : undefined;
      return err === 'terminal' ? process.stderr.columns : undefined;
    },
  });
}

/**
 * The same IO with stderr (errors, warnings, progress, request logs, stack traces) passed through
 * redact(): the credentials this run used never appear there, whatever a message quotes. stdout
 * carries data, whose Secret values the printers mask (docs/adr/0004-secrets-in-output.md).
 */
export function redactingIO<T extends IO>(io: T): T {
  const err = io.err;
  return { ...io, err: (t: string) => err(redact(t)) };
}

/** An IO that collects text, for tests. */
export function memoryIO(): IO & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return {
    out: (t) => void (out += t),
    err: (t) => void (err += t),
    style: new Chalk({ level: 0 }),
    interactive: false,
    stdout: () => out,
    stderr: () => err,
  };
}

/** What every command gets besides its flags. */
export interface RunContext {
  io: IO;
  /** -v level: 2 shows progress even off a terminal, 6 logs every request. */
  verbosity: number;
}

/** Progress lines go to stderr on a terminal, or anywhere with -v=2 or more. */
export function progressLogger(ctx: RunContext): (line: string) => void {
  const show = ctx.io.interactive || ctx.verbosity >= 2;
  return (line) => {
    if (show) ctx.io.err(`${ctx.io.style.dim(line)}\n`);
  };
}

/**
 * Warnings on stderr, each line "warning: …" (always shown). Under GitHub Actions each is also a
 * `::warning` annotation, on the file and line it names (output/github.ts).
 */
export function warningLogger(ctx: Pick<RunContext, 'io'>): (line: string) => void {
  const annotate = inGitHubActions(ctx.io.env);
  return (line) => {
    ctx.io.err(`${ctx.io.style.yellow('warning:')} ${line}\n`);
    if (annotate) ctx.io.err(workflowCommand(issueAnnotation('warning', line)));
  };
}

/** Request log lines (-v=6 and up), else undefined. */
export function requestLogger(ctx: RunContext): ((line: string) => void) | undefined {
  return ctx.verbosity >= 6 ? (line) => ctx.io.err(`${line}\n`) : undefined;
}
