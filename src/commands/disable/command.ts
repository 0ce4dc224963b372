// `kubefedctl disable`: the declaration (flags, arguments, help). The run step is loaded when it runs.
import { Command } from '@commander-js/extra-typings';
import type { RunContext } from '../../output/io.js';
import { examples, runContext, type CommandContext } from '../declare.js';
import { addDryRunFlag, addHostFlags, type FlagsOf } from '../shared-flags.js';
import { disableOptions, type DisableCommandOptions } from './options.js';

function declareDisable() {
  return addDryRunFlag(
    addHostFlags(
      new Command('disable')
        .argument('<type>', 'the type to stop federating, as given to enable (or its FederatedTypeConfig name)')
        .summary('Disable federation of a Kubernetes type')
        .description(
          'Stop propagating a type: remove its FederatedTypeConfig. With --delete-crd also remove the Federated<Kind> CRD; ' +
            'if federated objects of the type exist, it says how many and refuses unless --force is given ' +
            '(deleting the CRD deletes them, and their member copies are left as they are).',
        ),
    ),
    'what it would delete',
  )
    .option('--delete-crd', 'also delete the federated CRD', false)
    .option('--force', 'with --delete-crd, delete the CRD even when federated objects of the type exist', false)
    .option('--version <version>', 'API version of the type (default: the preferred one)')
    .option(
      '--federated-group <group>',
      'API group of the federated type, to find its CRD when the type is not enabled',
      'types.kubefed.io',
    )
    .option('--federated-version <version>', 'API version of the federated type', 'v1beta1')
    .addHelpText(
      'after',
      examples(`
      # Stop federating Deployments, keeping the FederatedDeployment CRD
      kubefedctl disable deployments.apps

      # Remove the federated API of ConfigMaps entirely
      kubefedctl disable configmaps --delete-crd`),
    );
}

/** disable's flags as the declaration types them. */
export type DisableFlags = FlagsOf<ReturnType<typeof declareDisable>>;

/** The run step; tests pass a stub. */
export type DisableRun = { runDisable: (ctx: RunContext, opts: DisableCommandOptions) => Promise<void> };

/** `kubefedctl disable`: flags → options → run (loaded on demand). */
export function disableCommand(ctx: CommandContext, load: () => Promise<DisableRun> = () => import('./run.js')) {
  return declareDisable().action(async (type, flags) => {
    const opts = disableOptions(type, flags);
    const { runDisable } = await load();
    await runDisable(runContext(ctx), opts);
  });
}
