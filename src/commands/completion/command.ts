// `kubefedctl completion`: the declaration. The script is generated when it runs, from the command
// tree this command is part of.
import { Command, type CommandUnknownOpts } from '@commander-js/extra-typings';
import type { RunContext } from '../../output/io.js';
import { examples, runContext, type CommandContext } from '../declare.js';
import { completionOptions, type CompletionOptions } from './options.js';

/** The run step; tests pass a stub. */
export type CompletionRun = { runCompletion: (ctx: RunContext, opts: CompletionOptions) => Promise<void> };

/** `kubefedctl completion SHELL`: the shell and the root's command tree → options → run (loaded on demand). */
export function completionCommand(ctx: CommandContext, load: () => Promise<CompletionRun> = () => import('./run.js')) {
  return new Command('completion')
    .argument('<shell>', 'bash, zsh or fish')
    .summary('Print a shell completion script')
    .description(
      'Print a completion script for bash, zsh or fish, generated from the commands and flags of this version.',
    )
    .addHelpText(
      'after',
      examples(`
      # Load completion into the current bash session
      source <(kubefedctl completion bash)

      # Install it for fish
      kubefedctl completion fish > ~/.config/fish/completions/kubefedctl.fish`),
    )
    .action(async (shell, _flags, command) => {
      const root: CommandUnknownOpts = command.parent ?? command;
      const opts = completionOptions(shell, root);
      const { runCompletion } = await load();
      await runCompletion(runContext(ctx), opts);
    });
}
