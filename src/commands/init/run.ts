// Wiring for `kubefedctl init`: flags -> options -> plan -> print or apply.
import type { KubeFedScope } from '../../api/kubefed.js';
import { loadKubefedCrds } from '../../federation/schema-files.js';
import { progressLogger, requestLogger, type RunContext } from '../../output/io.js';
import { printObjects, printResults } from '../../output/printers.js';
import { clientFactory } from '../connect.js';
import { dryRunOf, outputOf, type HostFlags } from '../shared-flags.js';
import { planInit, planObjects, runInit, type InitOptions } from './init.js';
import { DEFAULT_FEDERATED_TYPE } from '../../federation/typeconfig.js';
import { lookupResource } from '../../federation/type-lookup.js';
import type { KubeClient } from '../../kube/client.js';
import { discoverResources } from '../../kube/discovery.js';
import type { ObjectResult } from '../../api/results.js';
import { planEnable, runEnable } from '../../engine/enable-type.js';

/** The types KubeFed ships enable directives for. */
export const DEFAULT_TYPES = ['clusterroles.rbac.authorization.k8s.io', 'configmaps', 'deployments.apps', 'ingresses.networking.k8s.io', 'jobs.batch', 'namespaces', 'replicasets.apps', 'secrets', 'serviceaccounts', 'services'];

async function enableDefaultTypes(host: KubeClient, opts: InitOptions, progress: (line: string) => void): Promise<ObjectResult[]> {
  if (opts.dryRun !== 'none') return []; // the types' FederatedTypeConfigs need the CRDs of a real init
  const resources = await discoverResources(host);
  const results: ObjectResult[] = [];
  for (const key of DEFAULT_TYPES) {
    const plan = planEnable(lookupResource(resources, key), DEFAULT_FEDERATED_TYPE, opts.namespace);
    results.push(...(await runEnable(plan, opts.namespace, opts.dryRun, { host, progress })));
  }
  return results;
}

interface InitFlags extends HostFlags {
  scope: KubeFedScope;
  enableDefaultTypes: boolean;
  dryRun?: string;
  output?: string;
}

export async function initCommand(ctx: RunContext, args: unknown[]): Promise<void> {
  const { io } = ctx;
  const flags = args[0] as InitFlags;
  const opts: InitOptions = { namespace: flags.kubefedNamespace, scope: flags.scope, dryRun: dryRunOf(flags.dryRun), establishTimeoutMs: 60_000 };
  const plan = planInit(opts, loadKubefedCrds());
  const output = outputOf(flags.output);
  // -o without a server dry run prints the plan and needs no cluster, like `kubectl create --dry-run=client -o yaml`.
  if (output && opts.dryRun !== 'server') {
    printObjects(planObjects(plan), output, io.out);
    return;
  }
  const factory = clientFactory(flags, requestLogger(ctx));
  try {
    const host = factory.forContext(flags.hostClusterContext, '--host-cluster-context');
    const results = await runInit(plan, opts, { host, progress: progressLogger(ctx) });
    if (flags.enableDefaultTypes) results.push(...(await enableDefaultTypes(host, opts, progressLogger(ctx))));
    if (output) printObjects(planObjects(plan), output, io.out);
    else printResults(results.map(({ cluster: _c, ...r }) => r), io.out, opts.dryRun);
  } finally {
    factory.closeAll();
  }
}
