// Wiring for `kubefedctl init`: flags -> options -> plan -> print or apply.
import type { Command } from 'commander';
import type { KubeFedScope } from '../../federation/kubefed-config.js';
import { loadKubefedCrds } from '../../federation/schema-files.js';
import { progressLogger, requestLogger, type RunContext } from '../../output/io.js';
import { printObjects, printResults } from '../../output/printers.js';
import { clientFactory } from '../connect.js';
import { dryRunOf, outputOf, type HostFlags } from '../shared-flags.js';
import { planInit, planObjects, runInit, type InitOptions } from './init.js';

interface InitFlags extends HostFlags {
  scope: KubeFedScope;
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
    if (output) printObjects(planObjects(plan), output, io.out);
    else printResults(results.map(({ cluster: _c, ...r }) => r), io.out, opts.dryRun);
  } finally {
    factory.closeAll();
  }
}
