// The run step of `kubefedctl init`: plan -> print or apply.
import { loadKubefedCrds } from '../../federation/schema-files.js';
import { requestLogger, type RunContext } from '../../output/io.js';
import { dryRunSuffix, printObjects, printResults } from '../../output/printers.js';
import { countWords, startProgress } from '../../output/progress.js';
import { clientFactory } from '../connect.js';
import { planInit, planObjects, runInit as installApi, type InitOptions } from './init.js';
import type { InitCommandOptions } from './options.js';
import { printsOnly } from '../shared-flags.js';
import { writerFor, type Writer } from '../../kube/writer.js';
import { DEFAULT_FEDERATED_TYPE } from '../../federation/typeconfig.js';
import { lookupResource } from '../../federation/type-lookup.js';
import type { KubeClient } from '../../kube/client.js';
import { discoverResources } from '../../kube/discovery.js';
import type { ObjectResult } from '../../api/results.js';
import { planEnable, runEnable } from '../../engine/enable-type.js';

/** The types KubeFed ships enable directives for. */
export const DEFAULT_TYPES = [
  'clusterroles.rbac.authorization.k8s.io',
  'configmaps',
  'deployments.apps',
  'ingresses.networking.k8s.io',
  'jobs.batch',
  'namespaces',
  'replicasets.apps',
  'secrets',
  'serviceaccounts',
  'services',
];

async function enableDefaultTypes(
  host: KubeClient,
  writer: Writer,
  opts: InitOptions,
  progress: (line: string) => void,
): Promise<ObjectResult[]> {
  if (!writer.persists) return []; // the types' FederatedTypeConfigs need the CRDs of a real init
  const resources = await discoverResources(host);
  const results: ObjectResult[] = [];
  for (const key of DEFAULT_TYPES) {
    const plan = planEnable(lookupResource(resources, key), DEFAULT_FEDERATED_TYPE, opts.namespace);
    results.push(...(await runEnable(plan, opts.namespace, { host, writer, progress })));
  }
  return results;
}

export async function runInit(ctx: RunContext, cmd: InitCommandOptions): Promise<void> {
  const { io } = ctx;
  const opts: InitOptions = {
    namespace: cmd.host.kubefedNamespace,
    scope: cmd.scope,
    establishTimeoutMs: 60_000,
  };
  const plan = planInit(opts, loadKubefedCrds());
  const output = cmd.output;
  // -o without a server dry run prints the plan and needs no cluster, like `kubectl create --dry-run=client -o yaml`.
  if (printsOnly(cmd)) {
    printObjects(planObjects(plan), cmd.output, io.out);
    return;
  }
  const factory = clientFactory(cmd.host, requestLogger(ctx));
  const progress = await startProgress(ctx, undefined, { output });
  try {
    const host = factory.forContext(cmd.host.hostClusterContext, '--host-cluster-context');
    const writer = writerFor(cmd.dryRun);
    progress.update(`installing the KubeFed API in namespace ${opts.namespace}`);
    const results = await installApi(plan, opts, { host, writer, progress: progress.update });
    if (cmd.enableDefaultTypes) results.push(...(await enableDefaultTypes(host, writer, opts, progress.update)));
    progress.succeed(`KubeFed API: ${countWords(results.map((r) => r.verb))}${dryRunSuffix(cmd.dryRun)}`);
    if (output) printObjects(planObjects(plan), output, io.out);
    else
      printResults(
        results.map(({ cluster: _c, ...r }) => r),
        io.out,
        cmd.dryRun,
      );
  } finally {
    progress.stop();
    factory.closeAll();
  }
}
