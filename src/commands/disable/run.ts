// Wiring for `kubefedctl disable`.
import { typeConfigFor } from '../../federation/typeconfig.js';
import { groupQualifiedName } from '../../federation/type-lookup.js';
import { progressLogger, requestLogger, type RunContext } from '../../output/io.js';
import { printResults } from '../../output/printers.js';
import { clientFactory } from '../connect.js';
import { resolveTarget } from '../../engine/type-configs.js';
import { dryRunOf, type HostFlags } from '../shared-flags.js';
import { runDisable } from './disable.js';
import type { ApiResource } from '../../kube/discovery.js';

interface DisableFlags extends HostFlags {
  deleteCrd: boolean;
  force: boolean;
  version?: string;
  federatedGroup: string;
  federatedVersion: string;
  dryRun?: string;
}

export async function disableCommand(ctx: RunContext, args: unknown[]): Promise<void> {
  const { io } = ctx;
  const typeArg = args[0] as string;
  const flags = args[1] as DisableFlags;
  const dryRun = dryRunOf(flags.dryRun);
  const factory = clientFactory(flags, requestLogger(ctx));
  try {
    const host = factory.forContext(flags.hostClusterContext, '--host-cluster-context');
    // A name with a dot is taken as the FederatedTypeConfig name as it is, so a type whose API is
    // gone from the server can still be disabled.
    const target: ApiResource | undefined = typeArg.includes('.') ? await resolveTarget(host, typeArg, flags.version).catch(() => undefined) : await resolveTarget(host, typeArg, flags.version);
    const name = target ? groupQualifiedName(target) : typeArg;
    const fallback = target ? typeConfigFor(target, { federatedGroup: flags.federatedGroup, federatedVersion: flags.federatedVersion }) : undefined;
    progressLogger(ctx)(`disabling federation of ${name}`);
    const outcome = await runDisable(host, { name, namespace: flags.kubefedNamespace, deleteCrd: flags.deleteCrd, force: flags.force, dryRun }, fallback);
    for (const n of outcome.notices) io.err(`${n}\n`);
    printResults(outcome.results, io.out, dryRun);
  } finally {
    factory.closeAll();
  }
}
