// The root command: global flags, one addCommand per verb (each declared in commands/<verb>/command.ts,
// its code imported only when it runs, so `--help` never loads the HTTP layer), signal handling and
// the error reporter, the one place that turns errors into text and exit codes.
import { Command, CommanderError, Help, Option, type CommandUnknownOpts, type OptionValues } from '@commander-js/extra-typings';
import { ExitError, UsageError, UserError, ValidationError, messageOf } from './errors.js';
import { EXIT, SIGNAL_EXIT_CODES, exitCodesHelp } from './exit-codes.js';
import { processIO, type IO, type RunContext } from './output/io.js';
import { addDryRunFlag, addHostFlags, collect, normaliseDryRunArgs } from './commands/shared-flags.js';
import type { CommandContext } from './commands/declare.js';
import { completionCommand } from './commands/completion/command.js';
import { disableCommand } from './commands/disable/command.js';
import { enableCommand } from './commands/enable/command.js';
import { federateCommand } from './commands/federate/command.js';
import { initCommand } from './commands/init/command.js';
import { joinCommand } from './commands/join/command.js';
import { orphaningDeletionCommand } from './commands/orphaning-deletion/command.js';
import { statusCommand } from './commands/status/command.js';
import { unjoinCommand } from './commands/unjoin/command.js';
import { versionCommand } from './commands/version/command.js';
import { VERSION } from './version.js';

const EXIT_CODES_HELP = exitCodesHelp();
const PROPAGATE_EXIT_CODES = exitCodesHelp('propagate');
const DIFF_EXIT_CODES = exitCodesHelp('diff');

/** propagate's input flags: -f/-R, --clusters and the filters. */
function addPropagationInputs<Args extends unknown[], Opts extends OptionValues, Globals extends OptionValues>(cmd: Command<Args, Opts, Globals>) {
  return cmd
    .option('-f, --filename <path>', 'file, folder or - (stdin) with federated resources (repeatable); file mode', collect)
    .option('-R, --recursive', 'read folders given to -f recursively', false)
    .option('--clusters <file>', 'file mode: KubeFedCluster documents for the member clusters (spec.kubeconfigContext names a kubeconfig context)')
    .option('--type <types>', 'only these federated types, e.g. deployments.apps,configmaps (repeatable)', collect)
    .option('-n, --namespace <namespace>', 'only federated resources in this namespace (default: all namespaces)')
    .option('-A, --all-namespaces', 'all namespaces (the default)', false)
    .option('-l, --selector <selector>', 'only federated resources with these labels (host mode)')
    .option('--adopt', 'take over existing objects that are not managed yet (default: KubeFedConfig adoptResources)', false)
    .option('--concurrency <n>', 'requests in flight per cluster', '16')
    .option('--collect-status', "copy each member object's status into the federated status (status.clusters[].remoteStatus) for every type; otherwise only for types whose FederatedTypeConfig has statusCollection: Enabled", false);
}

const plainHelp = new Help();

/** Option help without commander's "(default: false)" on switches, which says nothing. */
function describeOption(option: Option): string {
  const text = plainHelp.optionDescription(option);
  return option.defaultValue === false ? text.replace(/ \(default: false\)$/, '') : text;
}

/** Help text helper: examples are indented and commented with '#', as kubectl prints them. */
function examples(lines: string, exitCodes: string = EXIT_CODES_HELP): string {
  const body = lines
    .trim()
    .split('\n')
    .map((l) => (l.trim() ? `  ${l.trim()}` : ''))
    .join('\n');
  return `\nExamples:\n${body}\n${exitCodes}\n`;
}

/** Runs a command module's entry, imported on demand. */
type Runner = (io: IO, verbosity: () => number) => (...args: unknown[]) => Promise<void>;

function lazy<M>(load: () => Promise<M>, pick: (m: M) => (ctx: RunContext, args: unknown[]) => Promise<void>): Runner {
  return (io, verbosity) =>
    async (...args: unknown[]) => {
      const mod = await load();
      await pick(mod)({ io, verbosity: verbosity() }, args);
    };
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
    .description('Federate Kubernetes resources across clusters: KubeFed as one command-line tool, with no controller to run')
    .option('-v, --v <level>', 'log verbosity: 0 quiet, 2 progress, 6 requests', (v: string) => Number(v.replace(/^=/, '')), 0)
    .option('--no-color', 'never colour the output (NO_COLOR does the same)')
    .usage('[options] [command]')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err, outputError: (text, write) => write(io.style.red(text)) })
    .configureHelp({ showGlobalOptions: true, optionDescription: describeOption })
    .addHelpText('after', `${EXIT_CODES_HELP}\n`)
    .hook('preAction', (thisCommand) => {
      const level = thisCommand.opts().v;
      verbosity = Number.isFinite(level) ? level : 0;
    })
    .argument('[command]')
    .action((command: string | undefined) => {
      if (command) throw new UsageError(`unknown command "${command}" for "${name}"`);
      program.help();
    });
  const v = () => verbosity;
  const run = (runner: Runner) => runner(io, v);
  const ctx: CommandContext = { io, verbosity: v };

  addCommand(program, initCommand(ctx));
  addCommand(program, joinCommand(ctx));

  addCommand(program, unjoinCommand(ctx));

  addCommand(program, enableCommand(ctx));

  addCommand(program, disableCommand(ctx));

  addCommand(program, federateCommand(ctx));

  addCommand(program, orphaningDeletionCommand(ctx));

  addPropagationInputs(
    addDryRunFlag(
      addHostFlags(
        program
          .command('propagate')
          .summary('Push federated resources to the member clusters, once')
          .description(
            "Do once what KubeFed's sync controller did forever: for every federated resource, compute the object each " +
              'member cluster should have (template + placement + overrides), create, update or delete it there, and write ' +
              'the Propagation status back. Reads each type once per cluster, writes only what changed, and works on all ' +
              'clusters in parallel; a cluster that is down is reported and never loses anything.\n\n' +
              'Host mode (the default) reads FederatedTypeConfigs, KubeFedClusters and federated resources from the host. ' +
              'File mode (-f) reads federated resources (and optionally FederatedTypeConfigs) from files, with clusters from ' +
              '--clusters FILE or from the host. Objects without the kubefed.io/managed=true label are never changed unless ' +
              'adoption is on (--adopt, or adoptResources: Enabled). Deleting a federated resource is completed by the next run.',
          ),
      ),
      'the changes it would make',
    ),
  )
    .addOption(new Option('-o, --output <format>', 'print the full report as json or yaml').choices(['json', 'yaml']))
    .addHelpText('after', examples(`
      # Propagate everything federated in the host of the current context
      kubefedctl propagate

      # Only Deployments in one namespace, showing what would change
      kubefedctl propagate --type deployments.apps -n shop --dry-run

      # From files, to the clusters listed in clusters.yaml, with a JSON report for CI
      kubefedctl propagate -f federated/ -R --clusters clusters.yaml -o json`, PROPAGATE_EXIT_CODES))
    .action(run(lazy(() => import('./commands/propagate/index.js'), (m) => m.propagateCommand)));

  addPropagationInputs(
    addHostFlags(
      program
        .command('diff')
        .summary('Show what propagate would change, per cluster')
        .description(
          'Show, as unified diffs per member cluster, what propagate would create, change, delete or stop managing, ' +
            'with the same inputs (host mode, or -f files with --clusters). Only the fields kubefedctl applies are compared, ' +
            'so values the clusters add themselves are not shown. Secret values are masked. Writes nothing.',
        ),
    ),
  )
    .addHelpText('after', examples(`
      # What would change in every cluster
      kubefedctl diff

      # In CI: fail the step when the files and the clusters differ
      kubefedctl diff -f federated/ --clusters clusters.yaml`, DIFF_EXIT_CODES))
    .action(run(lazy(() => import('./commands/diff/index.js'), (m) => m.diffCommand)));

  addCommand(program, statusCommand(ctx));

  program
    .command('render')
    .summary('Print the objects each member cluster would get, offline')
    .description(
      'Render per-cluster manifests from federated resources in files and a clusters file, without contacting any ' +
        'cluster and without a kubeconfig: the same objects propagate would create. With --output-dir, writes one folder ' +
        'per cluster with one file per object, for GitOps tools.',
    )
    .requiredOption('-f, --filename <path>', 'file, folder or - (stdin) with federated resources (repeatable)', collect)
    .option('-R, --recursive', 'read folders given to -f recursively', false)
    .requiredOption('--clusters <file>', 'KubeFedCluster documents naming the member clusters and their labels')
    .option('--output-dir <dir>', 'write <dir>/<cluster>/<object>.yaml instead of printing')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['yaml', 'json']).default('yaml'))
    .addHelpText('after', examples(`
      # Print what each cluster would get
      kubefedctl render -f examples/federated --clusters examples/clusters.yaml

      # Write per-cluster folders for a GitOps repository
      kubefedctl render -f examples/federated --clusters examples/clusters.yaml --output-dir out/`))
    .action(run(lazy(() => import('./commands/render/index.js'), (m) => m.renderCommand)));

  addCommand(program, completionCommand(ctx));
  addCommand(program, versionCommand(ctx));

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
  if (total === 0) return `interrupted (${signal}) before any write was confirmed; a write in flight may have landed. Running the same command again converges.`;
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
  else io.err(`This looks like a bug in kubefedctl ${VERSION} (node ${process.version}); run with -v=4 for details and please report it.\n`);
}
