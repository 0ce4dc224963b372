// Wiring for `kubefedctl join`: flags -> options -> checks -> plan -> write -> print.
import { UsageError } from '../../errors.js';
import { accessFromContext } from '../../kube/cluster-access.js';
import { progressLogger, requestLogger, type RunContext } from '../../output/io.js';
import { printObjects, printResults } from '../../output/printers.js';
import { clientFactory } from '../connect.js';
import { checkDnsSubdomain, dryRunOf, outputOf, parseLabels, type HostFlags } from '../shared-flags.js';
import { prepareJoin, runJoin, type JoinOptions } from './join.js';
import { hostClusterName } from '../../federation/join-names.js';

interface JoinFlags extends HostFlags {
  clusterContext?: string;
  hostClusterName?: string;
  secretName?: string;
  errorOnExisting: boolean;
  label?: string[];
  region?: string;
  zone?: string[];
  dryRun?: string;
  output?: string;
}


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

export async function joinCommand(ctx: RunContext, args: unknown[]): Promise<void> {
  const { io } = ctx;
  const clusterName = args[0] as string;
  const flags = args[1] as JoinFlags;
  checkDnsSubdomain(clusterName, 'cluster name');
  if (flags.secretName !== undefined) checkDnsSubdomain(flags.secretName, '--secret-name');
  const labels = parseLabels(flags.label);
  for (const value of [flags.region, ...(flags.zone ?? [])]) {
    if (value !== undefined && !/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(value)) throw new UsageError(`invalid region or zone "${value}": use letters, digits, '-', '_' and '.'`, 'join');
  }
  const factory = clientFactory(flags, requestLogger(ctx));
  try {
    const hostCtx = factory.context(flags.hostClusterContext, '--host-cluster-context');
    const memberCtx = factory.context(flags.clusterContext ?? clusterName, '--cluster-context');
    const hostName = hostClusterName(flags.hostClusterName, hostCtx.contextName);
    checkDnsSubdomain(`${clusterName}-${hostName}`, 'service account name <cluster>-<host>');
    const opts: JoinOptions = {
      clusterName,
      hostClusterName: hostName,
      namespace: flags.kubefedNamespace,
      ...(flags.secretName ? { secretName: flags.secretName } : {}),
      errorOnExisting: flags.errorOnExisting,
      labels,
      ...(flags.region ? { region: flags.region } : {}),
      ...(flags.zone ? { zones: flags.zone } : {}),
      dryRun: dryRunOf(flags.dryRun),
      tokenTimeoutMs: 60_000,
    };
    const access = accessFromContext(memberCtx);
    const server = withoutUserinfo(access.server);
    if (server !== access.server) io.err(`${io.style.yellow('warning:')} the server address of context "${memberCtx.contextName}" has a user name or password in it; the KubeFedCluster gets the address without them (it is readable by anyone who may read KubeFedClusters, and the member is reached with the service account token)\n`);
    const deps = {
      host: factory.forAccess(accessFromContext(hostCtx)),
      member: factory.forAccess(access),
      memberAccess: { server, insecureSkipTLSVerify: access.insecureSkipTLSVerify, ...(access.caData ? { caData: access.caData } : {}), ...(access.proxyUrl ? { proxyUrl: access.proxyUrl } : {}) },
      progress: progressLogger(ctx),
    };
    const plan = await prepareJoin(opts, deps);
    const output = outputOf(flags.output);
    if (output && opts.dryRun === 'client') {
      printObjects([...plan.member.map((p) => p.object), plan.hostSecret, plan.kubefedCluster], output, io.out);
      return;
    }
    const outcome = await runJoin(plan, opts, deps);
    if (output) printObjects([...plan.member.map((p) => p.object), ...outcome.hostObjects], output, io.out);
    else printResults(outcome.results, io.out, opts.dryRun);
  } finally {
    factory.closeAll();
  }
}
