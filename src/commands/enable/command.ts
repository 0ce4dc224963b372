// `kubefedctl enable`: the declaration (flags, arguments, help). The run step is loaded when it runs.
import { Command } from '@commander-js/extra-typings';
import type { RunContext } from '../../output/io.js';
import { examples, runContext, type CommandContext } from '../declare.js';
import { addDryRunFlag, addHostFlags, addOutputFlag, type FlagsOf } from '../shared-flags.js';
import { enableOptions, type EnableCommandOptions } from './options.js';

function declareEnable() {
  return addDryRunFlag(
    addOutputFlag(
      addHostFlags(
        new Command('enable')
          .argument(
            '[type]',
            'the type to federate: plural, singular, kind, short name or plural.group, as kubectl accepts',
          )
          .summary('Enable federation of a Kubernetes type')
          .description(
            'Generate and install the federated API of a type: the FederatedTypeConfig and the Federated<Kind> CRD ' +
              '(spec.template, spec.placement, spec.overrides and the KubeFed status). The type is looked up in the host ' +
              "cluster's discovery, or read from a CRD file with -f (then no cluster is needed to print it with -o). " +
              'Waits until the CRD is established. Enabling again updates in place.',
          ),
      ),
      ['yaml', 'json'],
    ),
    'the objects it would install',
  )
    .option('--version <version>', 'API version of the type to federate (default: the preferred one)')
    .option('--federated-group <group>', 'API group of the generated federated type', 'types.kubefed.io')
    .option('--federated-version <version>', 'API version of the generated federated type', 'v1beta1')
    .option(
      '-f, --filename <file>',
      'read the type from a CustomResourceDefinition or an EnableTypeDirective file instead',
    )
    .addHelpText(
      'after',
      examples(`
      # Federate Deployments
      kubefedctl enable deployments.apps

      # Federate a custom resource type from its CRD file, printing what would be installed
      kubefedctl enable -f crd.yaml -o yaml

      # Federate ConfigMaps into a group of your own
      kubefedctl enable configmaps --federated-group federation.example.com`),
    );
}

/** enable's flags as the declaration types them. */
export type EnableFlags = FlagsOf<ReturnType<typeof declareEnable>>;

/** The run step; tests pass a stub. */
export type EnableRun = { runEnable: (ctx: RunContext, opts: EnableCommandOptions) => Promise<void> };

/** `kubefedctl enable`: flags → options → run (loaded on demand). */
export function enableCommand(ctx: CommandContext, load: () => Promise<EnableRun> = () => import('./run.js')) {
  return declareEnable().action(async (type, flags) => {
    const opts = enableOptions(type, flags);
    const { runEnable } = await load();
    await runEnable(runContext(ctx), opts);
  });
}
