// Wiring for `kubefedctl render`: files in, per-cluster manifests out; no cluster, no kubeconfig.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ExitError } from '../../errors.js';
import { clustersFromDocuments, loadFromDocuments } from '../../engine/inventory.js';
import type { RunContext } from '../../output/io.js';
import { readDocuments } from '../../util/documents.js';
import { fileNameFor, renderAll } from './render.js';

interface RenderFlags {
  filename: string[];
  recursive: boolean;
  clusters: string;
  outputDir?: string;
  output: 'yaml' | 'json';
}

export async function renderCommand(ctx: RunContext, args: unknown[]): Promise<void> {
  const { io } = ctx;
  const flags = args[0] as RenderFlags;
  const input = loadFromDocuments(readDocuments(flags.filename, { recursive: flags.recursive }), []);
  const clusters = clustersFromDocuments(readDocuments([flags.clusters]), undefined);
  const result = renderAll(input.types, clusters, input.federatedNamespaces, input.scope ?? 'Cluster');
  for (const w of result.warnings) io.err(`${io.style.yellow('warning:')} ${w}\n`);
  for (const p of result.problems) io.err(`${io.style.yellow('warning:')} ${p.object}${p.cluster ? ` in ${p.cluster}` : ''}: ${p.status}${p.message ? ` (${p.message})` : ''}\n`);
  if (flags.outputDir) {
    for (const [cluster, objects] of result.clusters) {
      const dir = join(flags.outputDir, cluster);
      mkdirSync(dir, { recursive: true });
      for (const o of objects) writeFileSync(join(dir, fileNameFor(o)), flags.output === 'json' ? `${JSON.stringify(o, null, 2)}\n` : stringify(o, { lineWidth: 0 }));
      io.err(`${cluster}: ${objects.length} object(s) written to ${dir}\n`);
    }
  } else if (flags.output === 'json') {
    io.out(`${JSON.stringify({ clusters: [...result.clusters].map(([name, objects]) => ({ name, objects })) }, null, 2)}\n`);
  } else {
    for (const [cluster, objects] of result.clusters) for (const o of objects) io.out(`---\n# cluster: ${cluster}\n${stringify(o, { lineWidth: 0 })}`);
  }
  // Objects that could not be rendered are a failed run, as in propagate.
  if (result.problems.length > 0) throw new ExitError(2);
}
