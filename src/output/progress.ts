// Progress of long operations, on stderr only: an ora spinner for a person at a terminal, plain
// dim lines or nothing everywhere else (docs/ci.md, "Progress"). stdout is never touched.
import type { Ora } from 'ora';
import { redact } from '../util/secrets.js';
import type { RunContext } from './io.js';

/**
 * - `spinner`: one live line, redrawn in place, that ends as a summary line;
 * - `lines`: each phase, finished cluster and summary as a dim line (as progressLogger prints);
 * - `silent`: nothing.
 */
export type ProgressMode = 'spinner' | 'lines' | 'silent';

/** A variable that is set: non-empty and not "0" or "false" (CI=false turns CI off, as most tools read it). */
function isSet(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

/** A terminal that reports no width (a pseudo-terminal without a size) cannot be redrawn in place. */
function canRedraw(terminal: RunContext['io']['terminal']): boolean {
  return Boolean(terminal?.isTTY) && (terminal?.columns ?? 0) > 0;
}

/** NO_COLOR (non-empty), CI (set) or TERM=dumb: the environment asks for plain output. */
function plainEnvironment(env: Readonly<Record<string, string | undefined>>): boolean {
  return Boolean(env['NO_COLOR']) || isSet(env['CI']) || env['TERM'] === 'dumb';
}

/**
 * The spinner needs stderr to be a terminal that reports its width, and is off with `-o json|yaml` (a machine reads the
 * run), NO_COLOR (non-empty), CI (set), TERM=dumb, or -v=2 and up (a log was asked for). Without
 * it, progress is plain lines where progressLogger shows them (a terminal, or -v=2 and up), else
 * nothing.
 */
export function progressMode(ctx: RunContext, output?: string): ProgressMode {
  const plain = output !== undefined || ctx.verbosity >= 2 || plainEnvironment(ctx.io.env ?? {});
  if (!plain && canRedraw(ctx.io.terminal)) return 'spinner';
  return ctx.io.interactive || ctx.verbosity >= 2 ? 'lines' : 'silent';
}

/**
 * What a long operation says while it runs. Every function may be called in any mode, and passed
 * on as it is (`progress: p.update`, `tally: p.track`).
 */
export interface Progress {
  readonly mode: ProgressMode;
  /** A new phase: the spinner's text, or one plain line. After succeed/fail/stop it starts a new spinner. */
  update: (text: string) => void;
  /**
   * Counts the current phase per cluster: `totals` is how many steps each cluster has; call the
   * returned function as each step ends. The spinner shows `text: c1 2/5, c2 5/5`; plain lines
   * say when each cluster is done.
   */
  track: (totals: ReadonlyMap<string, number>) => (cluster: string) => void;
  /** Ends with a summary line and the time taken since the (re)start: `✔ 12 created in 3 cluster(s) (1.2s)`. */
  succeed: (summary: string) => void;
  /** As succeed, with a cross. */
  fail: (summary: string) => void;
  /** Ends without a summary (an error follows); the spinner's line is cleared. */
  stop: () => void;
}

export interface ProgressOptions {
  /** -o: json or yaml turn the spinner off. */
  output?: string | undefined;
  /** Milliseconds, for the time taken; tests pass a fixed clock. */
  now?: () => number;
}

/** More clusters than this are counted, not named, in the spinner's text. */
const NAMED_CLUSTERS = 4;

/** `1.2s`, or `2m05s` from a minute on. */
export function elapsedText(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/** `12 created, 3 unchanged`: how many of each word, in the order they first appear. */
export function countWords(words: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
  return [...counts].map(([w, n]) => `${n} ${w}`).join(', ');
}

/**
 * Starts showing progress for `ctx`, with `text` as the first phase, or from the first update()
 * when there is none (progressMode decides how).
 * All text is redacted before it is shown. While the spinner runs, anything else written to stderr
 * or stdout first clears its line, then the spinner is drawn again below (ora does this for the
 * terminal stream and the process's own streams), so warnings never garble it.
 * ora (and the string-width tables it loads, tens of milliseconds) is imported only in spinner mode.
 */
export async function startProgress(ctx: RunContext, text?: string, opts: ProgressOptions = {}): Promise<Progress> {
  const mode = progressMode(ctx, opts.output);
  const ora = mode === 'spinner' ? (await import('ora')).default : undefined;
  const now = opts.now ?? (() => performance.now());
  const { io } = ctx;
  let started = now();
  let label = text ?? '';
  let spinner: Ora | undefined;
  const line = (t: string) => {
    if (mode !== 'silent') io.err(`${io.style.dim(redact(t))}\n`);
  };
  const show = (t: string) => {
    if (mode !== 'spinner') return line(t);
    if (spinner?.isSpinning) spinner.text = redact(t);
    else {
      if (spinner) started = now(); // a new spinner after succeed, fail or stop
      spinner = ora!({
        text: redact(t),
        stream: io.terminal!,
        isEnabled: true,
        discardStdin: false,
        ...(io.style.level === 0 ? { color: false as const } : {}),
      }).start();
    }
  };
  const finish = (symbol: string, summary: string) => {
    const done = `${summary} (${elapsedText(now() - started)})`;
    if (mode === 'spinner') {
      if (spinner?.isSpinning) spinner.stopAndPersist({ symbol, text: redact(done) });
      else io.err(`${symbol} ${redact(done)}\n`);
    } else line(done);
  };
  if (text !== undefined) show(text);
  return {
    mode,
    update: (t) => {
      label = t;
      show(t);
    },
    track: (totals) => {
      const done = new Map([...totals.keys()].map((c) => [c, 0]));
      const all = [...totals.values()].reduce((a, b) => a + b, 0);
      const counts = () => {
        const finished = [...totals].filter(([c, n]) => (done.get(c) ?? 0) >= n).length;
        const sum = [...done.values()].reduce((a, b) => a + b, 0);
        return totals.size <= NAMED_CLUSTERS
          ? [...totals].map(([c, n]) => `${c} ${done.get(c) ?? 0}/${n}`).join(', ')
          : `${sum}/${all} done, ${finished} of ${totals.size} clusters finished`;
      };
      if (mode === 'spinner' && all > 0) show(`${label}: ${counts()}`);
      return (cluster) => {
        const total = totals.get(cluster);
        if (total === undefined) return;
        const n = (done.get(cluster) ?? 0) + 1;
        done.set(cluster, n);
        if (mode === 'spinner') show(`${label}: ${counts()}`);
        else if (n === total) line(`${cluster}: ${n}/${total} done`);
      };
    },
    succeed: (summary) => finish(io.style.green('✔'), summary),
    fail: (summary) => finish(io.style.red('✖'), summary),
    stop: () => {
      if (spinner?.isSpinning) spinner.stop();
    },
  };
}
