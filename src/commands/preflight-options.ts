// How a command's run step shows the file-mode pre-flight (engine/preflight.ts): notes at -v and
// -v=2, and warn mode's problems as warnings.
import type { PreflightOptions, ValidationMode } from '../engine/preflight.js';
import type { RunContext } from '../output/io.js';

export function preflightOptions(ctx: RunContext, mode: ValidationMode = 'strict'): PreflightOptions {
  return {
    mode,
    log: (level, line) => {
      if (ctx.verbosity >= level) ctx.io.err(`${ctx.io.style.dim(line)}\n`);
    },
    warn: (line) => ctx.io.err(`${ctx.io.style.yellow('warning:')} ${line}\n`),
  };
}
