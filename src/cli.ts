// The root command: the global flags, one addCommand per verb (each declared in
// commands/<verb>/command.ts, its code imported only when it runs, so `--help` never loads the HTTP
// layer), signal handling, and the error reporter: the one place that turns errors into text and
// exit codes (exit-codes.ts).
import { Command, CommanderError, Help, type CommandUnknownOpts, type Option } from '@commander-js/extra-typings';
import { ExitError, UsageError, UserError, ValidationError, messageOf } from './errors.js';
import { EXIT, SIGNAL_EXIT_CODES, exitCodesHelp } from './exit-codes.js';
import { processIO, type IO } from './output/io.js';
import { normaliseDryRunArgs } from './commands/shared-flags.js';
import type { CommandContext } from './commands/declare.js';
import { completionCommand } from './commands/completion/command.js';
import { diffCommand } from './commands/diff/command.js';
import { disableCommand } from './commands/disable/command.js';
import { enableCommand } from './commands/enable/command.js';
import { federateCommand } from './commands/federate/command.js';
import { initCommand } from './commands/init/command.js';
import { joinCommand } from './commands/join/command.js';
import { orphaningDeletionCommand } from './commands/orphaning-deletion/command.js';
import { propagateCommand } from './commands/propagate/command.js';
import { renderCommand } from './commands/render/command.js';
import { statusCommand } from './commands/status/command.js';
import { unjoinCommand } from './commands/unjoin/command.js';
import { versionCommand } from './commands/version/command.js';
import { VERSION } from './version.js';

const plainHelp = new Help();

/** Option help without commander's "(default: false)" on switches, which says nothing. */
function describeOption(option: Option): string {
  const text = plainHelp.optionDescription(option);
  return option.defaultValue === false ? text.replace(/ \(default: false\)$/, '') : text;
}

/** Adds a command, with the root's settings (output, help, exitOverride) on it and on its subcommands. */
function addCommand(parent: CommandUnknownOpts, cmd: CommandUnknownOpts): void {
  const inherit = (c: CommandUnknownOpts, from: CommandUnknownOpts) => {
    c.copyInheritedSettings(from);
    for (const sub of c.commands) inherit(sub, c);
  };
  inherit(cmd, parent);
  parent.addCommand(cmd);
}

/** Builds the commander program; `name` is how the user called us (kubefedctl or "kubectl fed"). */
export function buildProgram(io: IO, name = 'kubefedctl'): CommandUnknownOpts {
  let verbosity = 0;
  const program = new Command(name)
    .description(
      'Federate Kubernetes resources across clusters: KubeFed as one command-line tool, with no controller to run',
    )
    .option(
      '-v, --v <level>',
      'log verbosity: 0 quiet, 2 progress, 6 requests',
      (v: string) => Number(v.replace(/^=/, '')),
      0,
    )
    .option('--no-color', 'never colour the output (NO_COLOR does the same)')
    .usage('[options] [command]')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err, outputError: (text, write) => write(io.style.red(text)) })
    .configureHelp({ showGlobalOptions: true, optionDescription: describeOption })
    .addHelpText('after', `${exitCodesHelp()}\n`)
    .hook('preAction', (thisCommand) => {
      const level = thisCommand.opts().v;
      verbosity = Number.isFinite(level) ? level : 0;
    })
    .argument('[command]')
    .action((command: string | undefined) => {
      if (command) throw new UsageError(`unknown command "${command}" for "${name}"`);
      program.help();
    });
  const ctx: CommandContext = { io, verbosity: () => verbosity };
  for (const cmd of [
    initCommand(ctx),
    joinCommand(ctx),
    unjoinCommand(ctx),
    enableCommand(ctx),
    disableCommand(ctx),
    federateCommand(ctx),
    orphaningDeletionCommand(ctx),
    propagateCommand(ctx),
    diffCommand(ctx),
    statusCommand(ctx),
    renderCommand(ctx),
    completionCommand(ctx),
    versionCommand(ctx),
  ]) {
    addCommand(program, cmd);
  }
  return program;
}

/** Runs the CLI and returns the exit code. Commands throw; only this function prints errors. */
export async function main(argv: string[], name = 'kubefedctl', given?: IO): Promise<number> {
  const io = given ?? processIO(argv.includes('--no-color'));
  if (!given) exitOnSignals(io);
  const program = buildProgram(io, name);
  try {
    await program.parseAsync(normaliseDryRunArgs(argv), { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    const verbose = Number(program.opts().v ?? 0) >= 4;
    return await reportError(error, io, name, verbose);
  }
}

/**
 * Ctrl-C, or CI cancelling a job: say in one line what had been written, then exit at once with the
 * signal's code (exit-codes.ts). Requests in flight are abandoned; every write is idempotent, so
 * running the command again converges.
 */
function exitOnSignals(io: IO): void {
  for (const [signal, code] of Object.entries(SIGNAL_EXIT_CODES)) {
    process.once(signal, () => {
      void import('./kube/transport.js')
        .then(({ writesSoFar }) => io.err(`${interruptionLine(signal, writesSoFar())}\n`))
        .finally(() => process.exit(code));
    });
  }
}

/** The line printed on interruption. */
export function interruptionLine(signal: string, writes: ReadonlyMap<string, number>): string {
  const total = [...writes.values()].reduce((a, b) => a + b, 0);
  if (total === 0)
    return `interrupted (${signal}) before any write was confirmed; a write in flight may have landed. Running the same command again converges.`;
  const perCluster = [...writes].map(([cluster, n]) => `${cluster}: ${n}`).join(', ');
  return `interrupted (${signal}) after ${total} confirmed write(s) (${perCluster}), plus any in flight; they stay in place. Running the same command again converges.`;
}

/** Prints an error and returns the exit code: 1, or the code an ExitError carries (exit-codes.ts). */
async function reportError(error: unknown, io: IO, name: string, verbose: boolean): Promise<number> {
  if (error instanceof CommanderError) return error.exitCode; // commander already printed help or the error
  if (error instanceof ExitError) {
    if (error.cause !== undefined) await printError(error.cause, io, name, verbose);
    return error.code;
  }
  await printError(error, io, name, verbose);
  return EXIT.error;
}

async function printError(error: unknown, io: IO, name: string, verbose: boolean): Promise<void> {
  const red = io.style.red;
  const hint = (text: string | undefined) => (text ? io.err(`${io.style.yellow('hint:')} ${text}\n`) : undefined);
  if (error instanceof UsageError) {
    io.err(`${red('error:')} ${error.message}\n`);
    io.err(`See '${name}${error.command ? ` ${error.command}` : ''} --help' for usage.\n`);
    return;
  }
  if (error instanceof ValidationError) {
    io.err(`${red('error:')} ${error.message}\n`);
    for (const issue of error.issues) io.err(`  - ${issue}\n`);
    hint(error.hint);
    return;
  }
  if (error instanceof UserError) {
    io.err(`${red('error:')} ${error.message}\n`);
    hint(error.hint);
    return;
  }
  const { explainClusterError } = await import('./kube/api-error.js');
  const explained = explainClusterError(error);
  if (explained) {
    io.err(`${red('error:')} ${explained.message}\n`);
    for (const d of explained.details) io.err(`  - ${d}\n`);
    hint(explained.hint);
    if (verbose && error instanceof Error) io.err(`${error.stack}\n`);
    return;
  }
  io.err(`${red('error:')} ${messageOf(error)}\n`);
  if (verbose && error instanceof Error) io.err(`${error.stack}\n`);
  else
    io.err(
      `This looks like a bug in kubefedctl ${VERSION} (node ${process.version}); run with -v=4 for details and please report it.\n`,
    );
}
