// `kubefedctl unjoin`: the declaration (flags, arguments, help). The run step is loaded when it runs.
import { Command } from '@commander-js/extra-typings';
import type { RunContext } from '../../output/io.js';
import { examples, runContext, type CommandContext } from '../declare.js';
import { addDryRunFlag, addHostFlags, type FlagsOf } from '../shared-flags.js';
import { unjoinOptions, type UnjoinCommandOptions } from './options.js';

function declareUnjoin() {
  return addDryRunFlag(
    addHostFlags(
      new Command('unjoin')
        .argument('<cluster-name>', 'name of the KubeFedCluster to remove')
        .summary('Remove a cluster from the KubeFed control plane')
        .description(
          'Remove what join created: in the member, the RBAC objects, the service account and its token Secret, and the ' +
            'KubeFed namespace (unless the member is the host itself); in the host, the token Secret and the KubeFedCluster. ' +
            'Objects already gone are skipped. With --force, unjoin goes on when the member cannot be reached or an object ' +
            'cannot be deleted, and lists what it left behind.',
        ),
    ),
    'what it would delete',
  )
    .option('--cluster-context <context>', 'kubeconfig context of the cluster to remove (default: the cluster name)')
    .option('--host-cluster-name <name>', 'name of the host cluster used when joining (default: the host context name)')
    .option('--force', 'go on past an unreachable member or failed deletions, and report what was left behind', false)
    .addHelpText(
      'after',
      examples(`
      # Remove cluster2 from the federation hosted in context "cluster1"
      kubefedctl unjoin cluster2 --host-cluster-context cluster1

      # Remove a cluster that no longer answers
      kubefedctl unjoin lost-cluster --force`),
    );
}

/** unjoin's flags as the declaration types them. */
export type UnjoinFlags = FlagsOf<ReturnType<typeof declareUnjoin>>;

/** The run step; tests pass a stub. */
export type UnjoinRun = { runUnjoin: (ctx: RunContext, opts: UnjoinCommandOptions) => Promise<void> };

/** `kubefedctl unjoin`: flags → options → run (loaded on demand). */
export function unjoinCommand(ctx: CommandContext, load: () => Promise<UnjoinRun> = () => import('./run.js')) {
  return declareUnjoin().action(async (clusterName, flags) => {
    const opts = unjoinOptions(clusterName, flags);
    const { runUnjoin } = await load();
    await runUnjoin(runContext(ctx), opts);
  });
}
