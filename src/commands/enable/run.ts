// The run step of `kubefedctl enable`: read -f or look the type up, plan, print or install.
import { ValidationError } from '../../errors.js';
import { targetFromCrd } from '../../federation/crd-target.js';
import type { FederatedTypeOptions } from '../../federation/typeconfig.js';
import type { KubeClient } from '../../kube/client.js';
import type { ApiResource } from '../../kube/discovery.js';
import { progressLogger, requestLogger, type RunContext } from '../../output/io.js';
import { printObjects, printResults } from '../../output/printers.js';
import { describeSource, readDocuments } from '../../util/documents.js';
import { clientFactory } from '../connect.js';
import { planEnable, runEnable as enableType } from '../../engine/enable-type.js';
import { resolveTarget } from '../../engine/type-configs.js';
import type { EnableCommandOptions } from './options.js';
import { printsOnly } from '../shared-flags.js';
import { writerFor } from '../../kube/writer.js';

/** What to enable: a type to look up on the server, or a target fully described by a CRD file. */
type EnableRequest =
  | { key: string; version?: string; options: FederatedTypeOptions }
  | { target: ApiResource; options: FederatedTypeOptions };

/** Reads -f: a CustomResourceDefinition (no server needed) or an EnableTypeDirective (looked up on the server). */
export function requestFromFile(
  path: string,
  version: string | undefined,
  options: FederatedTypeOptions,
): EnableRequest {
  const docs = readDocuments([path]);
  if (docs.length !== 1)
    throw new ValidationError(
      `${path} must hold exactly one document (a CustomResourceDefinition or an EnableTypeDirective), found ${docs.length}`,
    );
  const d = docs[0]!;
  const doc = d.doc as {
    kind?: unknown;
    metadata?: { name?: unknown };
    spec?: { targetVersion?: unknown; federatedGroup?: unknown; federatedVersion?: unknown };
  };
  if (doc.kind === 'EnableTypeDirective') {
    const where = describeSource(d);
    if (typeof doc.metadata?.name !== 'string' || doc.metadata.name === '')
      throw new ValidationError(`${where}: metadata.name must name the type to enable`);
    const str = (v: unknown, field: string): string | undefined => {
      if (v === undefined || v === null || v === '') return undefined;
      if (typeof v !== 'string') throw new ValidationError(`${where}: ${field} must be a string`);
      return v;
    };
    const targetVersion = str(doc.spec?.targetVersion, 'spec.targetVersion');
    return {
      key: doc.metadata.name,
      ...(targetVersion ? { version: targetVersion } : {}),
      options: {
        federatedGroup: str(doc.spec?.federatedGroup, 'spec.federatedGroup') ?? options.federatedGroup,
        federatedVersion: str(doc.spec?.federatedVersion, 'spec.federatedVersion') ?? options.federatedVersion,
      },
    };
  }
  return { target: targetFromCrd(doc, describeSource(d), version), options };
}

export async function runEnable(ctx: RunContext, opts: EnableCommandOptions): Promise<void> {
  const { io } = ctx;
  const { options, dryRun, output } = opts;
  const request: EnableRequest =
    opts.source.kind === 'file'
      ? requestFromFile(opts.source.path, opts.version, options)
      : { key: opts.source.type, ...(opts.version ? { version: opts.version } : {}), options };
  const factory = clientFactory(opts.host, requestLogger(ctx));
  try {
    const host = (): KubeClient => factory.forContext(opts.host.hostClusterContext, '--host-cluster-context');
    const target = 'target' in request ? request.target : await resolveTarget(host(), request.key, request.version);
    const plan = planEnable(target, request.options, opts.host.kubefedNamespace);
    if (printsOnly(opts)) {
      printObjects([plan.typeConfig, plan.crd], opts.output, io.out);
      return;
    }
    const results = await enableType(plan, opts.host.kubefedNamespace, {
      host: host(),
      writer: writerFor(dryRun),
      progress: progressLogger(ctx),
    });
    if (output) printObjects([plan.typeConfig, plan.crd], output, io.out);
    else
      printResults(
        results.map(({ cluster: _c, ...r }) => r),
        io.out,
        dryRun,
      );
  } finally {
    factory.closeAll();
  }
}
