// The run step of `kubefedctl federate`: plan (live object or manifests) -> write -> print.
import type { IO, RunContext } from '../../output/io.js';
import { progressLogger, requestLogger } from '../../output/io.js';
import { printObjects, printResults } from '../../output/printers.js';
import { readDocuments } from '../../util/documents.js';
import { clientFactory } from '../connect.js';
import {
  applyFederation,
  planFromManifests,
  planFromManifestsOnHost,
  planFromServer,
  type FederationPlan,
} from './federate.js';
import type { FederateOptions } from './options.js';
import type { FederatedTypeConfig } from '../../federation/typeconfig.js';
import { defaultTypeConfigForKind } from '../../engine/builtin-types.js';
import { printsOnly } from '../shared-flags.js';
import { writerFor } from '../../kube/writer.js';

/** federate prints manifests to apply, so Secret values are kept, as `kubectl get secret -o yaml` does (ADR 0004). */
const MANIFEST = { showSecretValues: true };

function warn(io: IO, lines: string[]): void {
  for (const line of lines) io.err(`${io.style.yellow('warning:')} ${line}\n`);
}

/**
 * The FederatedTypeConfigs of the types kubefedctl does not know by itself, printed before the
 * objects, so `federate -f … -o yaml | render -f -` needs nothing else: render guesses no type.
 */
function typeConfigsToPrint(plan: FederationPlan): FederatedTypeConfig[] {
  const out = new Map<string, FederatedTypeConfig>();
  for (const { typeConfig, object } of plan.items)
    if (!defaultTypeConfigForKind(object)) out.set(typeConfig.metadata.name, typeConfig);
  return [...out.values()];
}

export async function runFederate(ctx: RunContext, opts: FederateOptions): Promise<void> {
  const { io } = ctx;
  const docs =
    opts.source.kind === 'files' ? readDocuments(opts.source.paths, { recursive: opts.source.recursive }) : [];

  // Manifests that are only printed need no kubeconfig and no cluster.
  if (opts.source.kind === 'files' && printsOnly(opts)) {
    const plan = planFromManifests(docs, opts);
    warn(io, plan.warnings);
    printObjects(
      [...typeConfigsToPrint(plan), ...plan.items.map((i) => i.object)],
      opts.output ?? 'yaml',
      io.out,
      MANIFEST,
    );
    return;
  }

  const factory = clientFactory(opts.host, requestLogger(ctx));
  try {
    const hostContext = factory.context(opts.host.hostClusterContext, '--host-cluster-context');
    const host = factory.forContext(opts.host.hostClusterContext, '--host-cluster-context');
    const progress = progressLogger(ctx);
    const input = { host, namespace: opts.namespace ?? hostContext.namespace ?? 'default', progress };
    const plan: FederationPlan =
      opts.source.kind === 'files'
        ? await planFromManifestsOnHost(docs, opts, input)
        : await planFromServer(opts, input);
    warn(io, plan.warnings);
    if (printsOnly(opts)) {
      printObjects(
        plan.items.map((i) => i.object),
        opts.output ?? 'yaml',
        io.out,
        MANIFEST,
      );
      return;
    }
    const outcome = await applyFederation(plan, opts, { host, writer: writerFor(opts.dryRun), progress });
    if (opts.output) {
      // stdout holds only the objects; what enabling did goes to stderr.
      printResults(outcome.enabled, io.err, opts.dryRun);
      printObjects(outcome.objects, opts.output, io.out, MANIFEST);
    } else {
      printResults([...outcome.enabled, ...outcome.results], io.out, opts.dryRun);
    }
  } finally {
    factory.closeAll();
  }
}
