// `kubefedctl init`: the declaration (flags, help). The run step is loaded when it runs.
import { Command, Option } from '@commander-js/extra-typings';
import { OUTPUT_FORMATS } from '../../output/formats.js';
import type { RunContext } from '../../output/io.js';
import { examples, runContext, type CommandContext } from '../declare.js';
import { addDryRunFlag, addHostFlags, addOutputFlag, type FlagsOf } from '../shared-flags.js';
import { initOptions, type InitCommandOptions } from './options.js';

function declareInit() {
  return addDryRunFlag(
    addOutputFlag(
      addHostFlags(
        new Command('init')
          .summary('Install the KubeFed API into the host cluster')
          .description(
            'Install the KubeFed API into the host cluster: the CustomResourceDefinitions of core.kubefed.io, ' +
              'scheduling.kubefed.io, multiclusterdns.kubefed.io and policy.kubefed.io, the KubeFed system namespace and the KubeFedConfig "kubefed". ' +
              'Waits until the CRDs are established. Running it again changes nothing; an existing KubeFedConfig is never overwritten.\n\n' +
              'Unlike KubeFed, the KubeFedConfig written here has syncController.adoptResources: Disabled, so objects that ' +
              'already exist in member clusters are left alone unless adoption is asked for.',
          ),
      )
        .addOption(
          new Option('--scope <scope>', 'whether KubeFed manages the whole cluster or only its own namespace')
            .choices(['Cluster', 'Namespaced'] as const)
            .default('Cluster'),
        )
        .option(
          '--enable-default-types',
          "also enable KubeFed's default set of federated types (configmaps, deployments.apps, secrets, services, ...)",
          false,
        ),
      OUTPUT_FORMATS,
    ),
    'the objects it would install',
  ).addHelpText(
    'after',
    examples(`
      # Install the KubeFed API into the current context's cluster
      kubefedctl init

      # Install into the cluster of context "host", limited to the KubeFed namespace
      kubefedctl init --host-cluster-context host --scope Namespaced

      # Install the API and federate KubeFed's default types
      kubefedctl init --enable-default-types

      # Print what would be installed
      kubefedctl init -o yaml`),
  );
}

/** init's flags as the declaration types them. */
export type InitFlags = FlagsOf<ReturnType<typeof declareInit>>;

/** The run step; tests pass a stub. */
export type InitRun = { runInit: (ctx: RunContext, opts: InitCommandOptions) => Promise<void> };

/** `kubefedctl init`: flags → options → run (loaded on demand). */
export function initCommand(ctx: CommandContext, load: () => Promise<InitRun> = () => import('./run.js')) {
  return declareInit().action(async (flags) => {
    const opts = initOptions(flags);
    const { runInit } = await load();
    await runInit(runContext(ctx), opts);
  });
}
