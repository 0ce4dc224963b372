// The root command: the global flags, one addCommand per verb (each declared in
// commands/<verb>/command.ts, its code imported only when it runs, so `--help` never loads the HTTP
// layer), signal handling, and the error reporter: the one place that turns errors into text and
// exit codes (exit-codes.ts).
import {
  Command,
  CommanderError,
  Help,
  InvalidArgumentError,
  type CommandUnknownOpts,
  type Option,
} from '@commander-js/extra-typings';
import { ExitError, UsageError, UserError, ValidationError, messageOf } from './errors.js';
import { EXIT, SIGNAL_EXIT_CODES, exitCodesHelp } from './exit-codes.js';
import { processIO, type IO } from './output/io.js';
import { errorAnnotations, inGitHubActions, printAnnotations } from './output/github.js';
import { kubectlFlagSyntax, normaliseDryRunArgs } from './commands/shared-flags.js';
import { examples, type CommandContext } from './commands/declare.js';
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
import { convertCommand } from './commands/convert/command.js';
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

/** -v/--v: klog's verbosity, a whole number from 0 to 10. */
function verbosityLevel(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > 10)
    throw new InvalidArgumentError('It must be a whole number from 0 to 10.');
  return Number(text);
}

/** The words after the program's name that lead to a command: "" for the root, "orphaning-deletion enable". */
function pathOf(cmd: CommandUnknownOpts): string {
  const names: string[] = [];
  for (let c: CommandUnknownOpts | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** Commander's own exits that are not errors, or already printed: --help, `help`, a group without its subcommand. */
const DISPLAY_CODES = new Set(['commander.helpDisplayed', 'commander.help', 'commander.version']);

/**
 * cobra's "did you mean": the candidates at most two edits away from what was typed, or starting
 * with it, as kubectl suggests them. Empty when none is close.
 */
export function didYouMean(typed: string, candidates: readonly string[]): string {
  const distance = (a: string, b: string) => {
    let row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const next = [i];
      for (let j = 1; j <= b.length; j++)
        next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      row = next;
    }
    return row[b.length]!;
  };
  const word = typed.toLowerCase();
  const close = [...new Set(candidates)].filter(
    (c) => word && (distance(word, c.toLowerCase()) <= 2 || c.toLowerCase().startsWith(word)),
  );
  return close.length ? `\n\nDid you mean this?\n${close.map((c) => `\t${c}`).join('\n')}\n` : '';
}

/** The visible long flags a command accepts, its ancestors' included. */
function longFlags(cmd: CommandUnknownOpts): string[] {
  const flags: string[] = [];
  for (let c: CommandUnknownOpts | null = cmd; c; c = c.parent)
    for (const o of c.options) if (o.long && !o.hidden) flags.push(o.long);
  return [...flags, '--help'];
}

/** Commander's error on `cmd` as a UsageError: the reporter prints every usage error the same way. */
function usageErrorOf(error: CommanderError, cmd: CommandUnknownOpts): UsageError {
  const message = error.message.replace(/^error: /, '');
  const path = pathOf(cmd);
  const typed = /^unknown option '(.*)'$/.exec(message)?.[1];
  const text =
    error.code === 'commander.unknownCommand'
      ? unknownCommandMessage(cmd.args[0] ?? '', cmd)
      : typed !== undefined
        ? `${message}${didYouMean(typed.replace(/=.*/, ''), longFlags(cmd))}`
        : message;
  return new UsageError(text, path || undefined);
}

/** cobra's words for a command that does not exist: `unknown command "x" for "kubefedctl orphaning-deletion"`. */
function unknownCommandMessage(typed: string, parent: CommandUnknownOpts, what = 'command'): string {
  let root = parent;
  while (root.parent) root = root.parent;
  const where = [root.name(), pathOf(parent)].filter(Boolean).join(' ');
  return `unknown ${what} "${typed}" for "${where}"${didYouMean(
    typed,
    parent.commands.map((c) => c.name()),
  )}`;
}

/**
 * How every command parses, set on each one (subcommands too): the root's output and help settings;
 * booleans as kubectl takes them (--flag=false); commander's errors turned into UsageErrors (the
 * reporter prints them, commander prints nothing); and required options checked only after unknown
 * flags and missing arguments, as cobra orders them.
 */
function setUp(cmd: CommandUnknownOpts, from?: CommandUnknownOpts): void {
  if (from) cmd.copyInheritedSettings(from);
  cmd.exitOverride((error) => {
    throw DISPLAY_CODES.has(error.code) ? error : usageErrorOf(error, cmd);
  });
  kubectlFlagSyntax(cmd);
  const required = cmd.options.filter((o) => o.mandatory);
  for (const option of required) option.mandatory = false;
  if (required.length)
    cmd.hook('preAction', () => {
      for (const option of required)
        if (cmd.getOptionValue(option.attributeName()) === undefined)
          cmd.error(`error: required option '${option.flags}' not specified`, {
            code: 'commander.missingMandatoryOptionValue',
          });
    });
  for (const sub of cmd.commands) setUp(sub, cmd);
}

/** `kubefedctl help [command...]`: a command's --help, as `kubectl help get` prints get's. */
function helpCommand(root: CommandUnknownOpts) {
  return new Command('help')
    .argument('[command...]', 'the command, with its subcommand if it has one')
    .summary('Print the help of a command')
    .description(
      "Print the help of a command, as 'COMMAND --help' does; with no command, the help of the program. " +
        'An unknown command is an error, with the commands it may have meant.',
    )
    .addHelpText(
      'after',
      examples(`
      # The flags of join
      kubefedctl help join

      # A subcommand
      kubefedctl help orphaning-deletion enable`),
    )
    .action((words) => {
      let cmd = root;
      for (const word of words) {
        const sub = cmd.commands.find((c) => c.name() === word || c.aliases().includes(word));
        if (!sub) throw new UsageError(unknownCommandMessage(word, cmd, 'help topic'), pathOf(cmd));
        cmd = sub;
      }
      cmd.help();
    });
}

/** A command as the root's help lists it, and how to declare it in full. */
interface CommandEntry {
  name: string;
  /** What commander's help prints for it in the root's list (`Help.subcommandTerm` of the full declaration). */
  term: string;
  summary: string;
  declare: (ctx: CommandContext) => CommandUnknownOpts;
}

// The names, terms and summaries repeat each declaration's: test/unit/cli.test.ts checks they agree.
const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'init',
    term: 'init [options]',
    summary: 'Install the KubeFed API into the host cluster',
    declare: initCommand,
  },
  {
    name: 'join',
    term: 'join [options] <cluster-name>',
    summary: 'Register a cluster with the KubeFed control plane',
    declare: joinCommand,
  },
  {
    name: 'unjoin',
    term: 'unjoin [options] <cluster-name>',
    summary: 'Remove a cluster from the KubeFed control plane',
    declare: unjoinCommand,
  },
  {
    name: 'enable',
    term: 'enable [options] [type]',
    summary: 'Enable federation of a Kubernetes type',
    declare: enableCommand,
  },
  {
    name: 'disable',
    term: 'disable [options] <type>',
    summary: 'Disable federation of a Kubernetes type',
    declare: disableCommand,
  },
  {
    name: 'federate',
    term: 'federate [options] [type] [name]',
    summary: 'Create the federated version of an object',
    declare: federateCommand,
  },
  {
    name: 'orphaning-deletion',
    term: 'orphaning-deletion',
    summary: 'Keep or delete member copies when a federated object is deleted',
    declare: orphaningDeletionCommand,
  },
  {
    name: 'propagate',
    term: 'propagate [options]',
    summary: 'Push federated resources to the member clusters, once',
    declare: propagateCommand,
  },
  {
    name: 'diff',
    term: 'diff [options]',
    summary: 'Show what propagate would change, per cluster',
    declare: diffCommand,
  },
  {
    name: 'status',
    term: 'status [options] [type] [name]',
    summary: 'Show federated resources across clusters, or cluster health',
    declare: statusCommand,
  },
  {
    name: 'render',
    term: 'render [options]',
    summary: 'Print the objects each member cluster would get, offline',
    declare: renderCommand,
  },
  {
    name: 'convert',
    term: 'convert [options]',
    summary: 'Turn Federated<Kind> objects into plain manifests + policies, and back, offline',
    declare: convertCommand,
  },
  {
    name: 'completion',
    term: 'completion <shell>',
    summary: 'Print a shell completion script',
    declare: completionCommand,
  },
  { name: 'version', term: 'version [options]', summary: 'Print the version of kubefedctl', declare: versionCommand },
];

/**
 * The commands a run with these arguments needs declared in full: the one it names (`help X`
 * names X), or all of them for `completion` (its script lists every flag); undefined means all.
 * The others are only listed, by name and summary: declaring all 14 with their ~300 options was
 * most of what `--help` and `version` cost beyond Node's own start (docs/performance.md).
 */
export function commandsToDeclare(argv: readonly string[] | undefined): ReadonlySet<string> | undefined {
  if (argv === undefined) return undefined;
  const [first, second] = commandWords(argv);
  if (first === 'completion') return undefined;
  const named = first === 'help' ? second : first;
  return new Set(named === undefined ? [] : [named]);
}

/** The first two words of argv that are not flags (nor the value of -v), before any `--`. */
function commandWords(argv: readonly string[]): string[] {
  const words: string[] = [];
  for (let i = 0; i < argv.length && argv[i] !== '--' && words.length < 2; i++) {
    if (argv[i] === '-v' || argv[i] === '--v') i++;
    else if (!argv[i]!.startsWith('-')) words.push(argv[i]!);
  }
  return words;
}

/**
 * Builds the commander program; `name` is how the user called us (kubefedctl or "kubectl fed").
 * With `argv`, only the command it runs is declared in full (commandsToDeclare); without, all are.
 */
export function buildProgram(io: IO, name = 'kubefedctl', argv?: readonly string[]): CommandUnknownOpts {
  let verbosity = 0;
  const listed = new Map<CommandUnknownOpts, string>();
  const program = new Command(name)
    .description(
      'Federate Kubernetes resources across clusters: KubeFed as one command-line tool, with no controller to run',
    )
    .option('-v, --v <level>', 'log verbosity from 0 to 10: 0 quiet, 2 progress, 6 requests', verbosityLevel, 0)
    .option('--no-color', 'never colour the output (NO_COLOR does the same)')
    .usage('[options] [command]')
    .showSuggestionAfterError(false)
    .configureOutput({
      writeOut: io.out,
      writeErr: io.err,
      outputError: () => {},
      // Not commander's defaults, which build process.stdout and process.stderr to ask (io.ts says
      // why that is avoided). No help text is styled, so there is no colour to keep or strip.
      getOutHelpWidth: () => io.columns?.('out') ?? 80,
      getErrHelpWidth: () => io.columns?.('err') ?? 80,
      getOutHasColors: () => false,
      getErrHasColors: () => false,
    })
    .configureHelp({
      showGlobalOptions: true,
      optionDescription: describeOption,
      subcommandTerm: (cmd) => listed.get(cmd) ?? plainHelp.subcommandTerm(cmd),
    })
    .addHelpText('after', `${exitCodesHelp()}\n`)
    .hook('preAction', (thisCommand) => {
      verbosity = thisCommand.opts().v;
    })
    .argument('[command...]')
    .action((words: string[]) => {
      if (words[0] !== undefined) throw new UsageError(unknownCommandMessage(words[0], program));
      program.help();
    });
  const ctx: CommandContext = { io, verbosity: () => verbosity };
  const needed = commandsToDeclare(argv);
  for (const entry of COMMANDS) {
    if (!needed || needed.has(entry.name)) {
      program.addCommand(entry.declare(ctx));
      continue;
    }
    const stub = new Command(entry.name).summary(entry.summary);
    listed.set(stub, entry.term);
    program.addCommand(stub);
  }
  program.addCommand(helpCommand(program));
  setUp(program);
  return program;
}

/** The command that argv names, for errors raised before it ran (the root's flags): "diff", "" for none. */
function commandIn(program: CommandUnknownOpts, argv: readonly string[]): string {
  const path: string[] = [];
  let cmd = program;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    if (arg === '-v' || arg === '--v') i++;
    if (arg.startsWith('-')) continue;
    const sub = cmd.commands.find((c) => c.name() === arg);
    if (!sub) break;
    path.push(arg);
    cmd = sub;
  }
  return path.join(' ');
}

/** Usage errors leave with the code for errors in the command's table: 2 for diff (as kubectl diff), else 1. */
function usageExitCode(path: string): number {
  return path.split(' ')[0] === 'diff' ? EXIT.diffError : EXIT.error;
}

/** Runs the CLI and returns the exit code. Commands throw; only this function prints errors. */
export async function main(argv: string[], name = 'kubefedctl', given?: IO): Promise<number> {
  const io = given ?? processIO(noColor(argv));
  if (!given) exitOnSignals(io);
  return await runProgram(buildProgram(io, name, argv), argv, io, name);
}

/** Parses argv with a program from buildProgram (whose actions tests may replace) and reports any error. */
export async function runProgram(program: CommandUnknownOpts, argv: string[], io: IO, name: string): Promise<number> {
  let running: string | undefined;
  program.hook('preAction', (_root, action) => {
    running = pathOf(action);
  });
  try {
    await program.parseAsync(normaliseDryRunArgs(argv), { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    const verbose = Number(program.opts().v ?? 0) >= 4;
    const where = { name, command: running ?? commandIn(program, argv) };
    const code = await reportError(error, io, where, verbose);
    if (inGitHubActions(io.env)) annotateError(error, io, where);
    return code;
  }
}

/**
 * Under GitHub Actions, the error just printed again as `::error` annotations: one per issue of a
 * ValidationError, on the file and line the issue names (output/github.ts). Help, and exits whose
 * output was already printed, have none.
 */
function annotateError(error: unknown, io: IO, where: Where): void {
  if (error instanceof CommanderError) return;
  const cause = error instanceof ExitError ? error.cause : error;
  if (cause === undefined) return;
  const title = [where.name, where.command].filter(Boolean).join(' ');
  printAnnotations(errorAnnotations(cause, title), io.err, io.env);
}

/** Whether argv turns colour off: the last --no-color[=bool] (or its hidden opposite --color) decides. */
function noColor(argv: readonly string[]): boolean {
  let off = false;
  for (const arg of argv) {
    if (arg === '--') break;
    const m = /^--(no-)?color(?:=(.*))?$/.exec(arg);
    if (!m) continue;
    const value = m[2] === undefined || /^(1|t|T|true|TRUE|True)$/.test(m[2]);
    off = m[1] ? value : !value;
  }
  return off;
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

/** Where a usage error points: the program's name and the command that ran or was named. */
interface Where {
  name: string;
  command: string;
}

/**
 * Prints an error and returns the exit code: 1, or the code an ExitError carries (exit-codes.ts).
 * A usage error (commander's too) is `error: …` and a pointer to the command's --help, and leaves
 * with the command's code for errors.
 */
async function reportError(error: unknown, io: IO, where: Where, verbose: boolean): Promise<number> {
  if (error instanceof CommanderError) return error.exitCode; // help, printed by commander
  const cause = error instanceof ExitError ? error.cause : error;
  if (cause instanceof UsageError) {
    const path = cause.command ?? where.command;
    io.err(`${io.style.red('error:')} ${cause.message}\n`);
    io.err(`See '${[where.name, path].filter(Boolean).join(' ')} --help' for usage.\n`);
    return error instanceof ExitError ? error.code : usageExitCode(path);
  }
  if (error instanceof ExitError) {
    if (error.cause !== undefined) await printError(error.cause, io, verbose);
    return error.code;
  }
  await printError(error, io, verbose);
  return EXIT.error;
}

async function printError(error: unknown, io: IO, verbose: boolean): Promise<void> {
  const red = io.style.red;
  const hint = (text: string | undefined) => (text ? io.err(`${io.style.yellow('hint:')} ${text}\n`) : undefined);
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
