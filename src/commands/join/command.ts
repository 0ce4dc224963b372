// `kubefedctl join`: the declaration (flags, arguments, help). The run step is loaded when it runs.
import { Command } from '@commander-js/extra-typings';
import { examples, runContext, type CommandContext } from '../declare.js';
import { addDryRunFlag, addHostFlags, addOutputFlag, collect, type FlagsOf } from '../shared-flags.js';
import { joinOptions, type JoinCommandOptions } from './options.js';
import type { RunContext } from '../../output/io.js';

function declareJoin() {
  return addDryRunFlag(
    addOutputFlag(
      addHostFlags(
        new Command('join')
          .argument('<cluster-name>', 'name of the KubeFedCluster to create (an RFC 1123 subdomain)')
          .summary('Register a cluster with the KubeFed control plane')
          .description(
            'Register a member cluster with the KubeFed control plane, as kubefedctl does: in the member, a namespace, ' +
              'the service account <cluster>-<host>, its RBAC (ClusterRole and ClusterRoleBinding, or Role and RoleBinding ' +
              'when the KubeFedConfig scope is Namespaced) and a service-account token Secret; in the host, a Secret with ' +
              'that token and the KubeFedCluster. Joining again updates what changed and reports the rest unchanged; ' +
              'with --error-on-existing an existing object is an error instead. If a step fails, the objects this run ' +
              'created are removed again.',
          ),
      ),
      ['yaml', 'json', 'name'],
    ),
    'the objects it would create',
  )
    .option('--cluster-context <context>', 'kubeconfig context of the cluster to join (default: the cluster name)')
    .option(
      '--host-cluster-name <name>',
      'name of the host cluster, used in the member-side object names (default: the host context name)',
    )
    .option(
      '--secret-name <name>',
      'name of the Secret in the host that holds the member token (default: reuse the current one, else generated)',
    )
    .option('--error-on-existing', 'fail if any object of the join already exists', false)
    .option(
      '--label <key=value>',
      'label for the KubeFedCluster, for placement by cluster selector (repeatable)',
      collect,
    )
    .option(
      '--region <region>',
      'region of the cluster: label topology.kubernetes.io/region, reported in status when its nodes have none',
    )
    .option('--zone <zone>', 'zone of the cluster (repeatable), reported in status when its nodes have none', collect)
    .addHelpText(
      'after',
      examples(`
      # Join the cluster of context "cluster2" to the host of context "cluster1"
      kubefedctl join cluster2 --cluster-context cluster2 --host-cluster-context cluster1

      # Join with labels for clusterSelector placement
      kubefedctl join eu-1 --cluster-context eu-1 --label region=eu --label tier=prod

      # Show the objects a join would create, without changing any cluster
      kubefedctl join cluster2 --dry-run -o yaml`),
    );
}

/** join's flags as the declaration types them. */
export type JoinFlags = FlagsOf<ReturnType<typeof declareJoin>>;

/** The run step; tests pass a stub. */
export type JoinRun = { runJoin: (ctx: RunContext, opts: JoinCommandOptions) => Promise<void> };

/** `kubefedctl join`: flags → options → run (loaded on demand). */
export function joinCommand(ctx: CommandContext, load: () => Promise<JoinRun> = () => import('./run.js')) {
  return declareJoin().action(async (clusterName, flags) => {
    const opts = joinOptions(clusterName, flags);
    const { runJoin } = await load();
    await runJoin(runContext(ctx), opts);
  });
}
