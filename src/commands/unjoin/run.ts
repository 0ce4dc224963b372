// Wiring for `kubefedctl unjoin`.
import { messageOf } from '../../errors.js';
import { ClusterUnreachableError } from '../../kube/api-error.js';
import type { KubeClient } from '../../kube/client.js';
import { requestLogger, type RunContext } from '../../output/io.js';
import { printResults } from '../../output/printers.js';
import { clientFactory } from '../connect.js';
import { hostClusterName } from '../../federation/join-names.js';
import { checkDnsSubdomain, dryRunOf, type HostFlags } from '../shared-flags.js';
import { runUnjoin } from './unjoin.js';

interface UnjoinFlags extends HostFlags {
  clusterContext?: string;
  hostClusterName?: string;
  force: boolean;
  dryRun?: string;
}

export async function unjoinCommand(ctx: RunContext, args: unknown[]): Promise<void> {
  const { io } = ctx;
  const clusterName = args[0] as string;
  const flags = args[1] as UnjoinFlags;
  checkDnsSubdomain(clusterName, 'cluster name');
  const factory = clientFactory(flags, requestLogger(ctx));
  try {
    const hostCtx = factory.context(flags.hostClusterContext, '--host-cluster-context');
    const hostName = hostClusterName(flags.hostClusterName, hostCtx.contextName);
    const host = factory.forContext(hostCtx.contextName);
    let member: KubeClient | undefined;
    let memberProblem: string | undefined;
    try {
      member = factory.forContext(flags.clusterContext ?? clusterName, '--cluster-context');
      // Probe once, so that with --force an unreachable member is skipped instead of failing each deletion.
      if (flags.force) await member.raw('/version');
    } catch (error) {
      if (!flags.force) throw error;
      member = undefined;
      memberProblem = error instanceof ClusterUnreachableError ? `cannot reach ${error.server}: ${error.detail}` : messageOf(error);
    }
    const outcome = await runUnjoin(
      { clusterName, hostClusterName: hostName, namespace: flags.kubefedNamespace, force: flags.force, dryRun: dryRunOf(flags.dryRun) },
      { host, member, ...(memberProblem ? { memberProblem } : {}) },
    );
    printResults(outcome.results.filter((r) => r.verb !== 'not found'), io.out, dryRunOf(flags.dryRun));
    for (const item of outcome.leftBehind) io.err(`${io.style.yellow('warning:')} left behind: ${item}\n`);
  } finally {
    factory.closeAll();
  }
}
