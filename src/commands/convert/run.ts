// The run step of `kubefedctl convert`: Federated<Kind> objects <-> plain manifests + policies.
import { stringify } from 'yaml';
import type { KubeObject } from '../../api/objects.js';
import { clustersFromDocuments, loadFromDocuments } from '../../engine/inventory.js';
import { toPlainAndPolicy } from '../../policy/propagation.js';
import { warningLogger, type RunContext } from '../../output/io.js';
import { readDocuments } from '../../util/documents.js';
import type { ConvertCommandOptions } from './options.js';

export async function runConvert(ctx: RunContext, flags: ConvertCommandOptions): Promise<void> {
  const checks = { validate: flags.validate, warn: warningLogger(ctx) };
  const docs = readDocuments(flags.filename, { recursive: flags.recursive });
  const clusters = flags.clusters
    ? clustersFromDocuments(readDocuments([flags.clusters]), undefined, undefined, { ...checks, file: flags.clusters })
    : [];
  // The same checks as render and propagate: invalid input is refused before anything is printed.
  const input = loadFromDocuments(docs, [], { ...checks, inputs: flags.filename }, { clusters });
  const federated = new Map(input.types.flatMap((t) => t.objects.map((o) => [o as object, t.ftc] as const)));
  const out: unknown[] = [];
  if (flags.to === 'policy') {
    for (const { doc } of docs) {
      const ftc = federated.get(doc as object);
      if (!ftc) out.push(doc);
      else {
        const { object, policy } = toPlainAndPolicy(doc as Parameters<typeof toPlainAndPolicy>[0], ftc);
        out.push(object, policy);
      }
    }
  } else {
    const made = new Set(federated.keys());
    // Documents that are not plain objects stay as they were; the federated objects come in input order.
    for (const { doc } of docs) if (isKept(doc as KubeObject)) out.push(doc);
    for (const t of input.types)
      for (const o of t.objects) if (made.has(o) && !docs.some((d) => d.doc === o)) out.push(o);
    for (const r of input.rsps) if (!docs.some((d) => d.doc === r)) out.push(r);
  }
  if (flags.output === 'json')
    ctx.io.out(`${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: out }, null, 2)}\n`);
  else for (const o of out) ctx.io.out(`---\n${stringify(o, { lineWidth: 0 })}`);
}

/** In --to federated, everything but plain manifests and propagation policies is printed as it is. */
function isKept(doc: KubeObject): boolean {
  const kind = doc.kind ?? '';
  if (kind === 'PropagationPolicy' || kind === 'ClusterPropagationPolicy') return false;
  return (
    kind.startsWith('Federated') ||
    (doc.apiVersion ?? '').includes('kubefed.io/') ||
    kind === 'ReplicaSchedulingPreference'
  );
}
