// Flag groups shared by several commands, so a flag keeps one meaning everywhere. Each group is
// generic in the command it is added to, so the command's option types carry the added flags.
import { Option, type Command, type CommandUnknownOpts, type OptionValues } from '@commander-js/extra-typings';
import { UsageError } from '../errors.js';
import { DEFAULT_KUBEFED_NAMESPACE } from '../api/kubefed.js';
import { parseDurationMs } from '../util/duration.js';
import { dns1123SubdomainProblem, labelValueProblem, qualifiedNameProblem } from '../util/names.js';
import { VALIDATE_VALUES, validateModeOf } from '../util/validate-mode.js';
import type { DryRun } from '../api/objects.js';
import type { InventoryRequest } from '../engine/inventory.js';
import type { ApplySetRequest } from '../engine/applyset.js';
import { ApplySetError, derivedApplySetName, parseApplySetRef } from '../federation/applyset.js';
import type { OutputFormat } from '../output/formats.js';
import { parseShard, type Shard } from '../federation/shard.js';

/** The values of a command's options, as its declaration types them. */
export type FlagsOf<C> = C extends Command<unknown[], infer Opts, OptionValues> ? Opts : never;

/** --kubeconfig, --host-cluster-context, --kubefed-namespace, --request-timeout. */
export function addHostFlags<Args extends unknown[], Opts extends OptionValues, Globals extends OptionValues>(
  cmd: Command<Args, Opts, Globals>,
) {
  return cmd
    .option(
      '--kubeconfig <file>',
      'path to the kubeconfig file (default: $KUBECONFIG, merged like kubectl, else ~/.kube/config, else in a pod its service account)',
    )
    .option(
      '--host-cluster-context <context>',
      'kubeconfig context of the cluster that hosts the KubeFed API (default: current-context)',
    )
    .option('--context <context>', "the same as --host-cluster-context, under kubectl's name")
    .option(
      '--kubefed-namespace <namespace>',
      'namespace of the KubeFed control plane in the host cluster',
      DEFAULT_KUBEFED_NAMESPACE,
    )
    .option(
      '--request-timeout <duration>',
      'how long to wait for one API request ("0" means no limit), e.g. 10s, 1m',
      '30s',
    )
    .hook('preAction', (thisCommand) => contextAlias(thisCommand));
}

/**
 * --context is kubectl's name for the context to talk to; here it names the host context, as
 * --host-cluster-context does. Giving both is fine when they agree.
 */
function contextAlias(cmd: CommandUnknownOpts): void {
  const alias: unknown = cmd.getOptionValue('context');
  if (typeof alias !== 'string') return;
  const host: unknown = cmd.getOptionValue('hostClusterContext');
  if (typeof host === 'string' && host !== alias)
    throw new UsageError(
      `--context "${alias}" and --host-cluster-context "${host}" name different contexts: --context is another name for --host-cluster-context, give one of them`,
    );
  cmd.setOptionValueWithSource('hostClusterContext', alias, 'cli');
}

/**
 * For commands that contact no cluster (render): --kubeconfig and --context, which kubectl takes on
 * every command, are refused with a word on why, instead of being ignored or called unknown.
 */
export function refuseClusterFlags<Args extends unknown[], Opts extends OptionValues, Globals extends OptionValues>(
  cmd: Command<Args, Opts, Globals>,
  why: string,
) {
  const refuse = (flag: string) =>
    new Option(`${flag} <value>`).hideHelp().argParser((): never => {
      throw new UsageError(`${flag} is not accepted here: ${why}`, cmd.name());
    });
  for (const flag of ['--kubeconfig', '--context']) cmd.addOption(refuse(flag));
  return cmd;
}

/** The values of the host flags. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- `{}` is commander's own "no options yet"
export type HostFlags = FlagsOf<ReturnType<typeof addHostFlags<[], {}, {}>>>;

/** The host flags out of a command's flags, for connect.ts's clientFactory. */
export function hostFlagsOf(flags: HostFlags): HostFlags {
  return {
    ...(flags.kubeconfig !== undefined ? { kubeconfig: flags.kubeconfig } : {}),
    ...(flags.hostClusterContext !== undefined ? { hostClusterContext: flags.hostClusterContext } : {}),
    kubefedNamespace: flags.kubefedNamespace,
    requestTimeout: flags.requestTimeout,
  };
}

const DRY_RUN_STRATEGIES = ['none', 'client', 'server'] as const satisfies readonly DryRun[];

/** --dry-run[=none|client|server]; a bare --dry-run means client, as in kubectl. */
export function addDryRunFlag<Args extends unknown[], Opts extends OptionValues, Globals extends OptionValues>(
  cmd: Command<Args, Opts, Globals>,
  what: string,
) {
  return cmd.addOption(
    new Option(
      '--dry-run <strategy>',
      `"client" (also a bare --dry-run, or kubefedctl's --dry-run=true) only shows ${what}; "server" also sends it to the API server for validation without storing it; "none" (--dry-run=false) writes`,
    )
      .choices(DRY_RUN_STRATEGIES)
      .default('none'),
  );
}

/** -o/--output for commands that can print objects instead of (or after) writing them. */
export function addOutputFlag<
  Args extends unknown[],
  Opts extends OptionValues,
  Globals extends OptionValues,
  const Formats extends readonly OutputFormat[],
>(cmd: Command<Args, Opts, Globals>, formats: Formats) {
  return cmd.addOption(
    new Option('-o, --output <format>', 'print objects in this format instead of a summary').choices(formats),
  );
}

/** strconv.ParseBool's spellings: what kubectl's and kubefedctl's boolean flags accept after "=". */
const BOOLEAN_WORDS = new Map<string, boolean>([
  ...['1', 't', 'T', 'true', 'TRUE', 'True'].map((w) => [w, true] as const),
  ...['0', 'f', 'F', 'false', 'FALSE', 'False'].map((w) => [w, false] as const),
]);

/**
 * kubectl's --dry-run takes its value only after "=", and a bare --dry-run means "client"; the
 * boolean --dry-run of KubeFed's kubefedctl (and of old kubectl) also takes =true (client) and
 * =false (none). Rewrites argv so commander (which would swallow the next word) sees the same meaning.
 */
export function normaliseDryRunArgs(argv: string[]): string[] {
  const out: string[] = [];
  for (const arg of argv) {
    if (arg === '--') {
      out.push(...argv.slice(argv.indexOf(arg)));
      return out;
    }
    const value = arg === '--dry-run' ? 'true' : /^--dry-run=(.*)$/.exec(arg)?.[1];
    const known = value === undefined ? undefined : BOOLEAN_WORDS.get(value);
    out.push(known === undefined ? arg : `--dry-run=${known ? 'client' : 'none'}`);
  }
  return out;
}

/** A command's boolean options: for each spelling that may take "=value", what it means set and unset. */
export function booleanFlags(cmd: CommandUnknownOpts): Map<string, { on: string; off: string }> {
  const flags = new Map<string, { on: string; off: string }>();
  for (const option of cmd.options) {
    if (!option.long || !(option.isBoolean() || option.negate)) continue;
    const name = option.long.replace(/^--(no-)?/, '');
    const [on, off] = option.negate ? [`--no-${name}`, `--${name}`] : [`--${name}`, `--no-${name}`];
    for (const flag of [option.long, option.short]) if (flag) flags.set(flag, { on, off });
  }
  return flags;
}

/**
 * Flags as kubectl (pflag) parses them, where commander differs:
 * - booleans take --flag, --flag=true and --flag=false (and -f=false), with any spelling
 *   strconv.ParseBool takes; any other value is a usage error naming the flag;
 * - a short flag takes its value after "=" too (-n=web, -v=4), where commander would keep the "=".
 * The declarations stay plain switches, so their typed values and --help are unchanged: each switch
 * gets a hidden opposite (--no-flag, or --flag for a --no-flag), and the command rewrites
 * "--flag=value" into one of the two before commander reads its options, so the last spelling
 * wins. cli.ts applies this to every command: a new boolean flag is covered without more code.
 */
export function kubectlFlagSyntax(cmd: CommandUnknownOpts): void {
  for (const { off } of new Map([...booleanFlags(cmd).values()].map((s) => [s.on, s])).values())
    if (!cmd.options.some((o) => o.long === off)) cmd.addOption(new Option(off).hideHelp());
  const flags = booleanFlags(cmd);
  const parse = cmd.parseOptions.bind(cmd);
  const rewrite = (arg: string): string => {
    const eq = arg.indexOf('=');
    if (!arg.startsWith('-') || eq < 0) return arg;
    const [flag, value] = [arg.slice(0, eq), arg.slice(eq + 1)];
    const spelling = flags.get(flag);
    if (!spelling) {
      const takesValue =
        /^-[^-]$/.test(flag) && cmd.options.some((o) => o.short === flag && (o.required || o.optional));
      return takesValue ? `${flag}${value}` : arg;
    }
    const set = BOOLEAN_WORDS.get(value);
    if (set === undefined)
      cmd.error(`error: option '${flag}' argument '${value}' is invalid. It must be true or false.`, {
        code: 'commander.invalidArgument',
      });
    return set ? spelling.on : spelling.off;
  };
  cmd.parseOptions = (args) => {
    const end = args.indexOf('--');
    return parse(end < 0 ? args.map(rewrite) : [...args.slice(0, end).map(rewrite), ...args.slice(end)]);
  };
}

/** Validates a DNS-1123 subdomain (names of most objects). */
export function checkDnsSubdomain(value: string, what: string): void {
  const problem = dns1123SubdomainProblem(value);
  if (problem) throw new UsageError(`invalid ${what} "${value}": it ${problem}`);
}

/** Parses repeated `--label key=value` flags into a map. */
export function parseLabels(values: string[] | undefined, flag = '--label'): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const v of values ?? []) {
    const eq = v.indexOf('=');
    const key = eq > 0 ? v.slice(0, eq) : '';
    const value = eq > 0 ? v.slice(eq + 1) : '';
    const problem = eq > 0 ? (qualifiedNameProblem(key) ?? labelValueProblem(value)) : 'has no "="';
    if (problem) throw new UsageError(`invalid ${flag} "${v}": use key=value with a valid label key and value`);
    labels[key] = value;
  }
  return labels;
}

/** --validate=strict|warn|ignore (and kubectl's older true and false), for commands that read files. */
export function validateOption() {
  return new Option(
    '--validate <mode>',
    'how to treat unknown fields and schema problems of the input: "strict" refuses it, "warn" prints warnings and goes on, "ignore" skips these checks (true means strict, false ignore)',
  )
    .choices(VALIDATE_VALUES)
    .default('strict' as const);
}

/** Collects a repeatable flag's values. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** propagate's and diff's input flags: -f/-R, --clusters and the filters. */
export function addPropagationInputs<Args extends unknown[], Opts extends OptionValues, Globals extends OptionValues>(
  cmd: Command<Args, Opts, Globals>,
) {
  return cmd
    .addOption(validateOption())
    .option(
      '-f, --filename <path>',
      'file, folder or - (stdin) with federated resources (repeatable); file mode',
      collect,
    )
    .option('-R, --recursive', 'read folders given to -f recursively', false)
    .option(
      '--clusters <file>',
      'file mode: KubeFedCluster documents for the member clusters (spec.kubeconfigContext names a kubeconfig context)',
    )
    .option('--type <types>', 'only these federated types, e.g. deployments.apps,configmaps (repeatable)', collect)
    .option('-n, --namespace <namespace>', 'only federated resources in this namespace (default: all namespaces)')
    .option('-A, --all-namespaces', 'all namespaces (the default)', false)
    .option('-l, --selector <selector>', 'only federated resources with these labels (host mode)')
    .option(
      '--adopt',
      'take over existing objects that are not managed yet (default: KubeFedConfig adoptResources)',
      false,
    )
    .option('--concurrency <n>', 'requests in flight per cluster', '16')
    .option(
      '--collect-status',
      "copy each member object's status into the federated status (status.clusters[].remoteStatus) for every type; otherwise only for types whose FederatedTypeConfig has statusCollection: Enabled",
      false,
    )
    .option(
      '--applyset <name>',
      "file mode: record what this run manages in each member cluster as the kubectl ApplySet [RESOURCE/]NAME (a Secret, or configmaps/NAME, in -n's namespace, else default)",
    )
    .option(
      '--prune',
      'file mode: delete managed members of the ApplySet that the input no longer has (the set is named after the -f arguments unless --applyset names it)',
      false,
    )
    .option(
      '--shard <index/count>',
      `work on one shard of the member clusters, INDEX of COUNT (0-based), split by a hash of each cluster's name, so COUNT runs cover every cluster once (default: $${SHARD_INDEX_ENV} or $${JOB_INDEX_ENV} of $${SHARD_COUNT_ENV}, when the count is set; docs/scale.md)`,
    );
}

/** The environment of an Indexed Job: Kubernetes sets the index; the count is ours to set. */
export const JOB_INDEX_ENV = 'JOB_COMPLETION_INDEX';
export const SHARD_INDEX_ENV = 'KUBEFEDCTL_SHARD_INDEX';
export const SHARD_COUNT_ENV = 'KUBEFEDCTL_SHARD_COUNT';

/**
 * --shard, or else the shard the environment names: $KUBEFEDCTL_SHARD_COUNT with
 * $KUBEFEDCTL_SHARD_INDEX or (in an Indexed Job) $JOB_COMPLETION_INDEX. Without a count nothing is
 * sharded: every Indexed Job has an index, sharded or not. A malformed value is a usage error that
 * names where it came from.
 */
export function shardOf(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Shard | undefined {
  if (flag !== undefined) {
    const shard = parseShard(flag);
    if (typeof shard === 'string') throw new UsageError(`invalid --shard "${flag}": ${shard}`);
    return shard;
  }
  const count = nonEmpty(env[SHARD_COUNT_ENV]);
  const own = nonEmpty(env[SHARD_INDEX_ENV]);
  if (count === undefined) {
    if (own !== undefined)
      throw new UsageError(
        `${SHARD_INDEX_ENV} is set but ${SHARD_COUNT_ENV} is not: set both, or pass --shard INDEX/COUNT`,
      );
    return undefined;
  }
  const [name, index] = own !== undefined ? [SHARD_INDEX_ENV, own] : [JOB_INDEX_ENV, nonEmpty(env[JOB_INDEX_ENV])];
  if (index === undefined)
    throw new UsageError(
      `${SHARD_COUNT_ENV} is set but neither ${SHARD_INDEX_ENV} nor ${JOB_INDEX_ENV} is: set the index too, or pass --shard INDEX/COUNT`,
    );
  const shard = parseShard(`${index}/${count}`);
  if (typeof shard === 'string')
    throw new UsageError(
      `invalid shard from the environment (${name}="${index}", ${SHARD_COUNT_ENV}="${count}"): ${shard}`,
    );
  return shard;
}

/** An environment variable's value, with an empty one taken as unset. */
const nonEmpty = (value: string | undefined): string | undefined => (value === '' ? undefined : value);

/** --applyset and --prune as a request, or undefined when neither is given. */
export function applySetRequest(flags: PropagationFlags): ApplySetRequest | undefined {
  if (flags.applyset === undefined && !flags.prune) return undefined;
  checkApplySetFlags(flags);
  try {
    const name = flags.applyset ?? derivedApplySetName(flags.filename ?? []);
    return { ref: parseApplySetRef(name, flags.namespace ?? 'default'), prune: flags.prune };
  } catch (error) {
    if (error instanceof ApplySetError) throw new UsageError(error.message);
    throw error;
  }
}

/** File mode only, and no --type with --prune (the kinds it leaves out would look removed). */
function checkApplySetFlags(flags: PropagationFlags): void {
  const flag = flags.applyset !== undefined ? '--applyset' : '--prune';
  if ((flags.filename ?? []).length === 0)
    throw new UsageError(
      `${flag} works with -f (file mode); in host mode, deleting a federated object deletes its copies`,
    );
  if (flags.prune && (flags.type ?? []).length > 0)
    throw new UsageError('--prune with --type would prune every kind --type leaves out: run it without --type');
}

/** The flags propagate and diff share: the host flags and the inputs; --dry-run is propagate's alone. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- as above
type PropagationInputFlags = FlagsOf<ReturnType<typeof addPropagationInputs<[], {}, {}>>>;
export type PropagationFlags = HostFlags & PropagationInputFlags & { dryRun?: DryRun };

/**
 * True when `-o` only prints the objects and nothing talks to a server: any mode but a server dry
 * run, like `kubectl create --dry-run=client -o yaml`.
 */
export function printsOnly<T extends { dryRun: DryRun; output?: string | undefined }>(
  opts: T,
): opts is T & { output: NonNullable<T['output']> } {
  return opts.output !== undefined && opts.dryRun !== 'server';
}

/** Parses --concurrency. */
export function concurrencyOf(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 256)
    throw new UsageError(`invalid --concurrency "${value}": use a whole number from 1 to 256`);
  return n;
}

/** Parses the --request-timeout value. */
export function requestTimeoutMs(value: string): number {
  const ms = parseDurationMs(value);
  if (ms === undefined)
    throw new UsageError(`invalid --request-timeout "${value}": use a duration such as 30s, 2m or 0`);
  return ms;
}

/**
 * propagate's and diff's flags as an inventory request; flag combinations that make no sense are
 * refused here. `env` supplies the shard when --shard is absent.
 */
export function inventoryRequest(
  flags: PropagationFlags,
  env: Readonly<Record<string, string | undefined>> = {},
): InventoryRequest {
  const shard = shardOf(flags.shard, env);
  const filenames = flags.filename ?? [];
  if (flags.namespace && flags.allNamespaces)
    throw new UsageError('use either -n/--namespace or -A/--all-namespaces, not both');
  if (filenames.length === 0 && flags.clusters)
    throw new UsageError('--clusters goes with -f: in host mode the clusters are the KubeFedClusters of the host');
  if (filenames.length > 0 && flags.selector)
    throw new UsageError('-l/--selector selects objects in the host; with -f, pass only the files you want');
  return {
    filenames,
    recursive: flags.recursive,
    ...(flags.clusters ? { clusters: flags.clusters } : {}),
    types: (flags.type ?? [])
      .flatMap((t) => t.split(','))
      .map((t) => t.trim())
      .filter(Boolean),
    ...(flags.namespace ? { namespace: flags.namespace } : {}),
    ...(flags.selector ? { selector: flags.selector } : {}),
    adopt: flags.adopt,
    collectStatus: flags.collectStatus,
    kubefedNamespace: flags.kubefedNamespace,
    ...(flags.hostClusterContext ? { hostClusterContext: flags.hostClusterContext } : {}),
    dryRun: flags.dryRun ?? 'none',
    validate: validateModeOf(flags.validate),
    ...(shard ? { shard } : {}),
  };
}
