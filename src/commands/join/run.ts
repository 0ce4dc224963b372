// The run step of `kubefedctl join`: resolve the contexts, check, plan, write, print.
import { accessFromContext } from '../../kube/cluster-access.js';
import { requestLogger, type RunContext } from '../../output/io.js';
import { dryRunSuffix, printObjects, printResults } from '../../output/printers.js';
import { countWords, startProgress } from '../../output/progress.js';
import { clientFactory } from '../connect.js';
import { checkDnsSubdomain } from '../shared-flags.js';
import { prepareJoin, runJoin as joinCluster, type JoinOptions } from './join.js';
import { hostClusterName } from '../../federation/join-names.js';
import type { JoinCommandOptions } from './options.js';
import { writerFor } from '../../kube/writer.js';

/** A server address without `user:password@`, which must not be copied into a KubeFedCluster. */
export function withoutUserinfo(server: string): string {
  try {
    const url = new URL(server);
    if (!url.username && !url.password) return server;
    url.username = '';
    url.password = '';
    return url.href.replace(/\/$/, '');
  } catch {
    return server;
  }
}

export async function runJoin(ctx: RunContext, cmd: JoinCommandOptions): Promise<void> {
  const { io } = ctx;
  const { clusterName } = cmd;
  const factory = clientFactory(cmd.host, requestLogger(ctx));
  const progress = await startProgress(ctx, undefined, { output: cmd.output });
  try {
    const hostCtx = factory.context(cmd.host.hostClusterContext, '--host-cluster-context');
    const memberCtx = factory.context(cmd.clusterContext ?? clusterName, '--cluster-context');
    const hostName = hostClusterName(cmd.hostClusterName, hostCtx.contextName);
    checkDnsSubdomain(`${clusterName}-${hostName}`, 'service account name <cluster>-<host>');
    const opts: JoinOptions = {
      clusterName,
      hostClusterName: hostName,
      namespace: cmd.host.kubefedNamespace,
      ...(cmd.secretName ? { secretName: cmd.secretName } : {}),
      errorOnExisting: cmd.errorOnExisting,
      labels: cmd.labels,
      ...(cmd.region ? { region: cmd.region } : {}),
      ...(cmd.zones ? { zones: cmd.zones } : {}),
      tokenTimeoutMs: 60_000,
    };
    const access = accessFromContext(memberCtx);
    const server = withoutUserinfo(access.server);
    if (server !== access.server)
      io.err(
        `${io.style.yellow('warning:')} the server address of context "${memberCtx.contextName}" has a user name or password in it; the KubeFedCluster gets the address without them (it is readable by anyone who may read KubeFedClusters, and the member is reached with the service account token)\n`,
      );
    const deps = {
      host: factory.forAccess(accessFromContext(hostCtx)),
      member: factory.forAccess(access),
      writer: writerFor(cmd.dryRun),
      memberAccess: {
        server,
        insecureSkipTLSVerify: access.insecureSkipTLSVerify,
        ...(access.caData ? { caData: access.caData } : {}),
        ...(access.proxyUrl ? { proxyUrl: access.proxyUrl } : {}),
      },
      progress: progress.update,
    };
    progress.update(`joining cluster ${clusterName} to host ${hostName}`);
    const plan = await prepareJoin(opts, deps);
    const output = cmd.output;
    if (output && cmd.dryRun === 'client') {
      printObjects([...plan.member.map((p) => p.object), plan.hostSecret, plan.kubefedCluster], output, io.out);
      return;
    }
    const outcome = await joinCluster(plan, opts, deps);
    progress.succeed(
      `joined cluster ${clusterName}: ${countWords(outcome.results.map((r) => r.verb))}${dryRunSuffix(cmd.dryRun)}`,
    );
    if (output) printObjects([...plan.member.map((p) => p.object), ...outcome.hostObjects], output, io.out);
    else printResults(outcome.results, io.out, cmd.dryRun);
  } finally {
    progress.stop();
    factory.closeAll();
  }
}
