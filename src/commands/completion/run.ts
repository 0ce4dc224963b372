// The run step of `kubefedctl completion`: print the script.
import type { RunContext } from '../../output/io.js';
import { bashCompletion, fishCompletion, zshCompletion } from './completion.js';
import type { CompletionOptions } from './options.js';

const SCRIPTS = { bash: bashCompletion, zsh: zshCompletion, fish: fishCompletion };

export function runCompletion(ctx: RunContext, opts: CompletionOptions): Promise<void> {
  ctx.io.out(SCRIPTS[opts.shell](opts.program, opts.commands, opts.globalFlags));
  return Promise.resolve();
}
