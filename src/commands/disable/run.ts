// The run step of `kubefedctl disable`: find the type's FederatedTypeConfig, delete, print.
import { typeConfigFor } from '../../federation/typeconfig.js';
import { groupQualifiedName } from '../../federation/type-lookup.js';
import { progressLogger, requestLogger, type RunContext } from '../../output/io.js';
import { printResults } from '../../output/printers.js';
import { clientFactory } from '../connect.js';
import { resolveTarget } from '../../engine/type-configs.js';
import { runDisable as disableType } from './disable.js';
import type { ApiResource } from '../../kube/discovery.js';
import type { DisableCommandOptions } from './options.js';
import { writerFor } from '../../kube/writer.js';

export async function runDisable(ctx: RunContext, opts: DisableCommandOptions): Promise<void> {
  const { io } = ctx;
  const typeArg = opts.type;
  const dryRun = opts.dryRun;
  const factory = clientFactory(opts.host, requestLogger(ctx));
  try {
    const host = factory.forContext(opts.host.hostClusterContext, '--host-cluster-context');
    // A name with a dot is taken as the FederatedTypeConfig name as it is, so a type whose API is
    // gone from the server can still be disabled.
    const target: ApiResource | undefined = typeArg.includes('.')
      ? await resolveTarget(host, typeArg, opts.version).catch(() => undefined)
      : await resolveTarget(host, typeArg, opts.version);
    const name = target ? groupQualifiedName(target) : typeArg;
    const fallback = target
      ? typeConfigFor(target, { federatedGroup: opts.federatedGroup, federatedVersion: opts.federatedVersion })
      : undefined;
    progressLogger(ctx)(`disabling federation of ${name}`);
    const outcome = await disableType(
      host,
      writerFor(dryRun),
      { name, namespace: opts.host.kubefedNamespace, deleteCrd: opts.deleteCrd, force: opts.force },
      fallback,
    );
    for (const n of outcome.notices) io.err(`${n}\n`);
    printResults(outcome.results, io.out, dryRun);
  } finally {
    factory.closeAll();
  }
}
