// `kubefedctl orphaning-deletion enable|disable|status`: the declarations (flags, arguments, help).
// The run step is loaded when a subcommand runs.
import { Command } from '@commander-js/extra-typings';
import type { RunContext } from '../../output/io.js';
import { examples, runContext, type CommandContext } from '../declare.js';
import { addDryRunFlag, addHostFlags, type FlagsOf } from '../shared-flags.js';
import { orphaningOptions, type OrphaningOptions } from './options.js';

type Verb = 'enable' | 'disable' | 'status';

/** TYPE NAME, the host flags and -n: what the three subcommands share. */
function declareVerb(verb: Verb, summary: string, description: string) {
  return addHostFlags(
    new Command(verb)
      .argument('<type>', 'the federated type: plural, singular, kind, short name or plural.group')
      .argument('<name>', 'name of the federated object')
      .summary(summary)
      .description(description),
  ).option(
    '-n, --namespace <namespace>',
    'namespace of the object (default: the host context namespace, else "default")',
  );
}

/** enable and disable also take --dry-run. */
function declareChange(verb: 'enable' | 'disable', summary: string, description: string) {
  return addDryRunFlag(declareVerb(verb, summary, description), 'the change it would make');
}

/** The flags of orphaning-deletion status, as the declaration types them. */
export type OrphaningStatusFlags = FlagsOf<ReturnType<typeof declareVerb>>;
/** The flags of orphaning-deletion enable and disable. */
export type OrphaningChangeFlags = FlagsOf<ReturnType<typeof declareChange>>;

/** The run step; tests pass a stub. */
export type OrphaningRun = { runOrphaning: (ctx: RunContext, opts: OrphaningOptions) => Promise<void> };

/** `kubefedctl orphaning-deletion` and its subcommands: flags → options → run (loaded on demand). */
export function orphaningDeletionCommand(
  ctx: CommandContext,
  load: () => Promise<OrphaningRun> = () => import('./run.js'),
) {
  const run = async (verb: Verb, type: string, name: string, flags: OrphaningStatusFlags | OrphaningChangeFlags) => {
    const opts = orphaningOptions(verb, type, name, flags);
    const { runOrphaning } = await load();
    await runOrphaning(runContext(ctx), opts);
  };
  const enable = declareChange(
    'enable',
    'Keep member copies when the federated object is deleted',
    'Set the annotation kubefed.io/orphan: "true" on a federated object, so that deleting it leaves its member copies in place. An object that has it already is not written.',
  )
    .addHelpText(
      'after',
      examples(`
      # Keep the copies of FederatedConfigMap "settings"
      kubefedctl orphaning-deletion enable federatedconfigmaps settings -n web

      # Show what would change, without writing
      kubefedctl orphaning-deletion enable FederatedConfigMap settings -n web --dry-run`),
    )
    .action((type, name, flags) => run('enable', type, name, flags));
  const disable = declareChange(
    'disable',
    'Delete member copies with the federated object again',
    'Remove the annotation kubefed.io/orphan from a federated object, so that deleting it deletes its member copies too. An object without it is not written.',
  )
    .addHelpText(
      'after',
      examples(`
      # Delete the copies together with FederatedConfigMap "settings"
      kubefedctl orphaning-deletion disable federatedconfigmaps settings -n web`),
    )
    .action((type, name, flags) => run('disable', type, name, flags));
  const status = declareVerb(
    'status',
    'Print whether member copies are kept on deletion',
    'Print "Enabled" when the federated object carries kubefed.io/orphan: "true" (member copies are kept when it is deleted), else "Disabled".',
  )
    .addHelpText(
      'after',
      examples(`
      # Check FederatedClusterRole "viewer"
      kubefedctl orphaning-deletion status federatedclusterroles viewer`),
    )
    .action((type, name, flags) => run('status', type, name, flags));
  return new Command('orphaning-deletion')
    .summary('Keep or delete member copies when a federated object is deleted')
    .description(
      'Turn orphaning on or off for one federated object. With orphaning enabled (the annotation kubefed.io/orphan: "true"), ' +
        'deleting the federated object leaves its copies in the member clusters in place; otherwise they are deleted with it. ' +
        'Use one of the subcommands enable, disable or status.',
    )
    .addHelpText(
      'after',
      examples(`
      # Keep the member copies of FederatedDeployment "web" when it is deleted
      kubefedctl orphaning-deletion enable federateddeployments web -n prod

      # Show whether they would be kept
      kubefedctl orphaning-deletion status fdeploy web -n prod`),
    )
    .addCommand(enable)
    .addCommand(disable)
    .addCommand(status);
}
