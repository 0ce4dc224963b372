// The run step of `kubefedctl unjoin`: reach the host and (unless --force gives up on it) the member, delete, print.
import { messageOf } from '../../errors.js';
import { ClusterUnreachableError } from '../../kube/api-error.js';
import { accessFromContext } from '../../kube/cluster-access.js';
import type { KubeClient } from '../../kube/client.js';
import { requestLogger, type RunContext } from '../../output/io.js';
import { printResults } from '../../output/printers.js';
import { clientFactory } from '../connect.js';
import { hostClusterName } from '../../federation/join-names.js';
import { runUnjoin as unjoinCluster } from './unjoin.js';
import type { UnjoinCommandOptions } from './options.js';
import { writerFor } from '../../kube/writer.js';

export async function runUnjoin(ctx: RunContext, opts: UnjoinCommandOptions): Promise<void> {
  const { io } = ctx;
  const { clusterName } = opts;
  const factory = clientFactory(opts.host, requestLogger(ctx));
  try {
    const hostCtx = factory.context(opts.host.hostClusterContext, '--host-cluster-context');
    const hostName = hostClusterName(opts.hostClusterName, hostCtx.contextName);
    const host = factory.forAccess(accessFromContext(hostCtx));
    let member: KubeClient | undefined;
    let memberProblem: string | undefined;
    try {
      member = factory.forContext(opts.clusterContext ?? clusterName, '--cluster-context');
      // Probe once, so that with --force an unreachable member is skipped instead of failing each deletion.
      if (opts.force) await member.raw('/version');
    } catch (error) {
      if (!opts.force) throw error;
      member = undefined;
      memberProblem =
        error instanceof ClusterUnreachableError ? `cannot reach ${error.server}: ${error.detail}` : messageOf(error);
    }
    const outcome = await unjoinCluster(
      {
        clusterName,
        hostClusterName: hostName,
        namespace: opts.host.kubefedNamespace,
        force: opts.force,
      },
      { host, writer: writerFor(opts.dryRun), member, ...(memberProblem ? { memberProblem } : {}) },
    );
    printResults(
      outcome.results.filter((r) => r.verb !== 'not found'),
      io.out,
      opts.dryRun,
    );
    for (const item of outcome.leftBehind) io.err(`${io.style.yellow('warning:')} left behind: ${item}\n`);
  } finally {
    factory.closeAll();
  }
}
