// `kubefedctl convert`: the declaration (flags, help). The run step is loaded when it runs.
import { Command, Option } from '@commander-js/extra-typings';
import type { RunContext } from '../../output/io.js';
import { examples, runContext, type CommandContext } from '../declare.js';
import { collect, refuseClusterFlags, validateOption, type FlagsOf } from '../shared-flags.js';
import { convertOptions, type ConvertCommandOptions } from './options.js';

function declareConvert() {
  return refuseClusterFlags(new Command('convert'), 'convert works on files and contacts no cluster')
    .summary('Turn Federated<Kind> objects into plain manifests + policies, and back, offline')
    .description(
      'Move between the two ways of describing what goes where (docs/policy.md). --to policy turns each ' +
        'Federated<Kind> into its plain object and a PropagationPolicy that selects exactly it, with the same ' +
        'placement and its per-cluster overrides. --to federated turns plain manifests and the propagation ' +
        'policies that select them into Federated<Kind> objects (and ReplicaSchedulingPreferences), as propagate ' +
        'would, for the member clusters in --clusters. Other documents (type configs, ' +
        'KubeFedConfig, RSPs, PlacementPolicies) are printed as they are. Either way, rendering the output gives ' +
        'the same objects as rendering the input.',
    )
    .requiredOption('-f, --filename <path>', 'file, folder or - (stdin) to convert (repeatable)', collect)
    .option('-R, --recursive', 'read folders given to -f recursively', false)
    .addOption(
      new Option('--to <form>', 'what to turn the input into').choices(['policy', 'federated']).makeOptionMandatory(),
    )
    .option(
      '--clusters <file>',
      'KubeFedCluster documents naming the member clusters and their labels (required with --to federated)',
    )
    .addOption(new Option('-o, --output <format>', 'output format').choices(['yaml', 'json']).default('yaml'))
    .addOption(validateOption())
    .addHelpText(
      'after',
      examples(
        `
      # KubeFed objects as plain manifests and policies
      kubefedctl convert -f examples/federated --to policy

      # Plain manifests and policies as KubeFed objects, for KubeFed's own controller
      kubefedctl convert -f examples/policy --to federated --clusters examples/clusters.yaml`,
      ),
    );
}

/** convert's flags as the declaration types them. */
export type ConvertFlags = FlagsOf<ReturnType<typeof declareConvert>>;

/** The run step; tests pass a stub. */
export type ConvertRun = { runConvert: (ctx: RunContext, opts: ConvertCommandOptions) => Promise<void> };

/** `kubefedctl convert`: flags → options → run (loaded on demand). */
export function convertCommand(ctx: CommandContext, load: () => Promise<ConvertRun> = () => import('./run.js')) {
  return declareConvert().action(async (flags) => {
    const opts = convertOptions(flags);
    const { runConvert } = await load();
    await runConvert(runContext(ctx), opts);
  });
}
