// completion's argument and the command tree it completes, as a typed value. Pure.
import type { CommandUnknownOpts } from '@commander-js/extra-typings';
import { UsageError } from '../../errors.js';
import type { CompletionCommand } from './completion.js';

const SHELLS = ['bash', 'zsh', 'fish'] as const;

/** What `completion` prints: a script for one shell, of a program's commands and flags. */
export interface CompletionOptions {
  shell: (typeof SHELLS)[number];
  /** The program's name as one word ("kubectl fed" becomes kubectl-fed). */
  program: string;
  commands: CompletionCommand[];
  /** The root's long flags and --help, valid after any command. */
  globalFlags: string[];
}

function longFlags(c: CommandUnknownOpts): string[] {
  return c.options
    .filter((o) => !o.hidden)
    .map((o) => o.long)
    .filter((f): f is string => Boolean(f));
}

export function completionOptions(shell: string, root: CommandUnknownOpts): CompletionOptions {
  const known = SHELLS.find((s) => s === shell);
  if (!known) throw new UsageError(`unsupported shell "${shell}": use bash, zsh or fish`, 'completion');
  return {
    shell: known,
    program: root.name().replace(/ /g, '-'),
    commands: root.commands.map((c) => ({
      name: c.name(),
      flags: longFlags(c),
      subcommands: c.commands.map((s) => s.name()),
    })),
    globalFlags: [...longFlags(root), '--help'],
  };
}
