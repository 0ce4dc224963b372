// The run step of `kubefedctl convert`: Federated<Kind> objects <-> plain manifests + policies.
import type { KubeObject } from '../../api/objects.js';
import { isPolicyKind, PLACEMENT_POLICY_KIND } from '../../api/policy.js';
import { clustersFromDocuments, loadFromDocuments, type FileDocuments } from '../../engine/inventory.js';
import type { FederatedObject } from '../../federation/federated-object.js';
import type { FederatedTypeConfig } from '../../federation/typeconfig.js';
import { toPlainAndPolicy } from '../../policy/propagation.js';
import { warningLogger, type RunContext } from '../../output/io.js';
import { writeJson } from '../../util/json.js';
import { readDocuments, type SourcedDocument } from '../../util/documents.js';
import type { ConvertCommandOptions } from './options.js';
import { yamlPackage } from '../../util/yaml-package.js';

export function runConvert(ctx: RunContext, flags: ConvertCommandOptions): Promise<void> {
  const checks = { validate: flags.validate, warn: warningLogger(ctx) };
  const docs = readDocuments(flags.filename, { recursive: flags.recursive });
  const clusters = flags.clusters
    ? clustersFromDocuments(readDocuments([flags.clusters]), undefined, undefined, { ...checks, file: flags.clusters })
    : [];
  // The same checks as render and propagate: invalid input is refused before anything is printed.
  const input = loadFromDocuments(docs, [], { ...checks, inputs: flags.filename }, { clusters });
  const out = flags.to === 'policy' ? toPolicies(docs, input) : toFederated(docs, input);
  if (flags.output === 'json') writeJson({ apiVersion: 'v1', kind: 'List', items: out }, 2, ctx.io.out);
  else for (const o of out) ctx.io.out(`---\n${yamlPackage().stringify(o, { lineWidth: 0 })}`);
  return Promise.resolve();
}

/** Each Federated<Kind> becomes its plain object and a policy; every other document stays, in input order. */
function toPolicies(docs: SourcedDocument[], input: FileDocuments): unknown[] {
  const ftcOf = new Map<object, FederatedTypeConfig>(
    input.types.flatMap((t) => t.objects.map((o) => [o as object, t.ftc] as const)),
  );
  return docs.flatMap(({ doc }) => {
    const ftc = ftcOf.get(doc as object);
    if (!ftc) return [doc];
    const { object, policy } = toPlainAndPolicy(doc as FederatedObject, ftc);
    return [object, policy];
  });
}

/**
 * The documents that are not plain manifests or propagation policies, as they were, then the
 * Federated<Kind> objects and RSPs the policies made, in the order propagate plans them.
 */
function toFederated(docs: SourcedDocument[], input: FileDocuments): unknown[] {
  const given = new Set(docs.map((d) => d.doc));
  const kept = docs.map((d) => d.doc as KubeObject).filter(isKept);
  const made = input.types.flatMap((t) => t.objects).filter((o) => !given.has(o));
  return [...kept, ...made, ...input.rsps.filter((r) => !given.has(r))];
}

/** Kept by --to federated: KubeFed's own documents and PlacementPolicies, which still apply. */
function isKept(doc: KubeObject): boolean {
  const kind = doc.kind ?? '';
  if (isPolicyKind(kind)) return kind === PLACEMENT_POLICY_KIND;
  return kind.startsWith('Federated') || (doc.apiVersion ?? '').includes('kubefed.io/');
}
