// `kubefedctl status`: the declaration (flags, arguments, help). The run step is loaded when it runs.
import { Command, Option } from '@commander-js/extra-typings';
import type { RunContext } from '../../output/io.js';
import { examples, runContext, type CommandContext } from '../declare.js';
import { addHostFlags, type FlagsOf } from '../shared-flags.js';
import { statusOptions, type StatusCommandOptions } from './options.js';

function declareStatus() {
  return addHostFlags(
    new Command('status')
      .argument('[type]', 'a federated type (e.g. deployments.apps), or "clusters" for cluster health')
      .argument('[name]', 'one federated object of that type')
      .summary('Show federated resources across clusters, or cluster health')
      .description(
        "Show one table of federated resources by member cluster: the Propagation condition, each cluster's status word " +
          '(ok, or the KubeFed reason such as ClusterNotReady or AlreadyExists, "-" where the object is not placed) and ' +
          'ready/desired replicas for workloads. "status clusters" shows each KubeFedCluster\'s health. Reads only: the ' +
          'status propagate wrote, plus one read per workload type per cluster for replica counts.',
      ),
  )
    .option('-n, --namespace <namespace>', 'only this namespace (default: all)')
    .option('-A, --all-namespaces', 'all namespaces (the default)', false)
    .addOption(new Option('-o, --output <format>', 'output format').choices(['wide', 'json', 'yaml']))
    .addHelpText(
      'after',
      examples(`
      # Every federated resource, by cluster
      kubefedctl status

      # Deployments in one namespace, with generations
      kubefedctl status deployments.apps -n shop -o wide

      # Cluster health
      kubefedctl status clusters`),
    );
}

/** status's flags as the declaration types them. */
export type StatusFlags = FlagsOf<ReturnType<typeof declareStatus>>;

/** The run step; tests pass a stub. */
export type StatusRun = { runStatus: (ctx: RunContext, opts: StatusCommandOptions) => Promise<void> };

/** `kubefedctl status`: flags → options → run (loaded on demand). */
export function statusCommand(ctx: CommandContext, load: () => Promise<StatusRun> = () => import('./run.js')) {
  return declareStatus().action(async (type, name, flags) => {
    const opts = statusOptions(type, name, flags);
    const { runStatus } = await load();
    await runStatus(runContext(ctx), opts);
  });
}
