// `kubefedctl propagate`: the declaration (flags, arguments, help). The run step is loaded when it runs.
import { Command, Option } from '@commander-js/extra-typings';
import type { RunContext } from '../../output/io.js';
import { examples, runContext, type CommandContext } from '../declare.js';
import { addDryRunFlag, addHostFlags, addPropagationInputs, type FlagsOf } from '../shared-flags.js';
import { DEFAULT_WAIT, propagateOptions, type PropagateCommandOptions } from './options.js';

function declarePropagate() {
  return addPropagationInputs(
    addDryRunFlag(
      addHostFlags(
        new Command('propagate')
          .summary('Push federated resources to the member clusters, once')
          .description(
            "Do once what KubeFed's sync controller did forever: for every federated resource, compute the object each " +
              'member cluster should have (template + placement + overrides), create, update or delete it there, and write ' +
              'the Propagation status back. Reads each type once per cluster, writes only what changed, and works on all ' +
              'clusters in parallel; a cluster that is down is reported and never loses anything.\n\n' +
              'Host mode (the default) reads FederatedTypeConfigs, KubeFedClusters and federated resources from the host. ' +
              'File mode (-f) reads federated resources (and optionally FederatedTypeConfigs) from files, with clusters from ' +
              '--clusters FILE or from the host. Objects without the kubefed.io/managed=true label are never changed unless ' +
              'adoption is on (--adopt, or adoptResources: Enabled). Deleting a federated resource is completed by the next run.\n\n' +
              'With --wait, the run then watches every member object it placed (written now or already as desired) until ' +
              'it is ready or the deadline passes, and the report names each object that is not ready, with its conditions.',
          ),
      ),
      'the changes it would make',
    ),
  )
    .addOption(new Option('-o, --output <format>', 'print the full report as json or yaml').choices(['json', 'yaml']))
    .addOption(
      new Option(
        '--cache-dir <dir>',
        'file mode: where to keep the record of the last clean run of each input, which lets an unchanged run only ' +
          'read (default $KUBECACHEDIR, else ~/.kube/cache; "" keeps none)',
      ),
    )
    .addOption(
      new Option(
        '--wait [duration]',
        'after writing, wait until every member object is ready (rolled out, complete, established, ' +
          `given an address, or its Ready/Available condition True), at most DURATION (bare --wait: ${DEFAULT_WAIT}; 0: check once)`,
      ),
    )
    .addHelpText(
      'after',
      examples(
        `
      # Propagate everything federated in the host of the current context
      kubefedctl propagate

      # Only Deployments in one namespace, showing what would change
      kubefedctl propagate --type deployments.apps -n shop --dry-run

      # From files, to the clusters listed in clusters.yaml, with a JSON report for CI
      kubefedctl propagate -f federated/ -R --clusters clusters.yaml -o json

      # Then wait up to 10 minutes for every copy to be rolled out (exit 3 if some are not)
      kubefedctl propagate -f federated/ --clusters clusters.yaml --wait=10m

      # One of three runners, each working on the clusters that hash to its shard (docs/scale.md)
      kubefedctl propagate --shard 1/3 -o json`,
        'propagate',
      ),
    );
}

/** propagate's flags as the declaration types them. */
export type PropagateFlags = FlagsOf<ReturnType<typeof declarePropagate>>;

/** The run step; tests pass a stub. */
export type PropagateRun = { runPropagate: (ctx: RunContext, opts: PropagateCommandOptions) => Promise<void> };

/** `kubefedctl propagate`: flags → options → run (loaded on demand). */
export function propagateCommand(ctx: CommandContext, load: () => Promise<PropagateRun> = () => import('./run.js')) {
  return declarePropagate().action(async (flags) => {
    const opts = propagateOptions(flags, ctx.io.env ?? {});
    const { runPropagate } = await load();
    await runPropagate(runContext(ctx), opts);
  });
}
