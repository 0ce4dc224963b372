// Where a command writes: stdout for data, stderr for progress and errors.
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

/** The process's own streams. A closed stdout (`| head`) ends the program quietly, as in kubectl. */
export function processIO(noColorFlag = false): IO {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  const colour = useColour({ isTTY: Boolean(process.stderr.isTTY), noColorFlag, env: process.env });
  return redactingIO({
    out: (t) => void process.stdout.write(t),
    err: (t) => void process.stderr.write(t),
    style: new Chalk({ level: colour ? 1 : 0 }),
    interactive: Boolean(process.stderr.isTTY),
    ...(process.stderr.isTTY ? { terminal: process.stderr } : {}),
    env: process.env,
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
