// Where a command writes: stdout for data, stderr for progress and errors.
import { Chalk, type ChalkInstance } from 'chalk';
import { redact } from '../util/secrets.js';

export interface IO {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Colour for stderr messages; never used on machine output. */
  style: ChalkInstance;
  /** True when progress lines may be shown (stderr is a terminal). */
  interactive: boolean;
}

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

/** Warnings on stderr, each line "warning: …" (always shown). */
export function warningLogger(ctx: Pick<RunContext, 'io'>): (line: string) => void {
  return (line) => ctx.io.err(`${ctx.io.style.yellow('warning:')} ${line}\n`);
}

/** Request log lines (-v=6 and up), else undefined. */
export function requestLogger(ctx: RunContext): ((line: string) => void) | undefined {
  return ctx.verbosity >= 6 ? (line) => ctx.io.err(`${line}\n`) : undefined;
}
