// What every command's declaration (commands/<verb>/command.ts) uses besides its flags: the context
// it runs in and the sections of its help. Loaded by `--help`, so it imports no package.
import { exitCodesHelp, type ExitCodeSet } from '../exit-codes.js';
import type { IO, RunContext } from '../output/io.js';

/** What the root command hands each command: where to write, and the -v level once it is parsed. */
export interface CommandContext {
  io: IO;
  verbosity: () => number;
}

/** The context of one run, taken when the command runs (after the root's flags are parsed). */
export function runContext(ctx: CommandContext): RunContext {
  return { io: ctx.io, verbosity: ctx.verbosity() };
}

/**
 * The help text after the options: examples, indented and commented with '#' as kubectl prints
 * them, then the command's exit codes (exit-codes.ts).
 */
export function examples(lines: string, exitCodes: ExitCodeSet = 'default'): string {
  const body = lines
    .trim()
    .split('\n')
    .map((l) => (l.trim() ? `  ${l.trim()}` : ''))
    .join('\n');
  return `\nExamples:\n${body}\n${exitCodesHelp(exitCodes)}\n`;
}
