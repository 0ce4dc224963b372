// The run step of `kubefedctl render`: files in, per-cluster manifests out; no cluster, no kubeconfig.
import { join } from 'node:path';
import type { KubeObject } from '../../api/objects.js';
import type { FederatedObject } from '../../federation/federated-object.js';
import type { RenderCache } from '../../federation/render.js';
import { ExitError } from '../../errors.js';
import { EXIT } from '../../exit-codes.js';
import { clustersFromDocuments, loadFromDocuments, type Inventory } from '../../engine/inventory.js';
import { planScheduling } from '../../engine/scheduling.js';
import { preflightOffline } from '../../engine/preflight.js';
import { warningLogger, type RunContext } from '../../output/io.js';
import { writeJson } from '../../util/json.js';
import { printYaml } from '../../output/yaml.js';
import { readDocuments } from '../../util/documents.js';
import { renderAll } from './render.js';
import { writeOutputDir } from './output-dir.js';
import type { RenderCommandOptions } from './options.js';
import { preflightOptions } from '../preflight-options.js';

/** Characters of output gathered before one write. */
const OUT_CHUNK = 1 << 20;

export async function runRender(ctx: RunContext, flags: RenderCommandOptions): Promise<void> {
  const { io } = ctx;
  const checks = { validate: flags.validate, warn: warningLogger(ctx) };
  const clusters = clustersFromDocuments(readDocuments([flags.clusters]), undefined, undefined, {
    ...checks,
    file: flags.clusters,
  });
  const input = loadFromDocuments(
    readDocuments(flags.filename, { recursive: flags.recursive }),
    [],
    { ...checks, inputs: flags.filename },
    { clusters },
  );
  // The pre-flight renders every object for every distinct set of overrides; the plan reuses them.
  const renders = new Map<FederatedObject, RenderCache>();
  preflightOffline(
    { types: input.types, clusters, rsps: input.rsps },
    { ...preflightOptions(ctx, flags.validate), keepRenders: renders },
  );
  // ReplicaSchedulingPreferences in the input are applied in memory, from their weights alone:
  // offline there are no current replicas to keep.
  const scope = input.scope ?? 'Cluster';
  const inv: Inventory = {
    mode: 'file',
    kubefedNamespace: 'kube-federation-system',
    scope,
    adopt: false,
    clusters,
    types: input.types,
    invalid: [],
    federatedNamespaces: input.federatedNamespaces,
    hostNamespaceUids: new Map(),
    partial: true,
    rsps: input.rsps,
    placementPolicies: input.placementPolicies,
    namespaceLabels: input.namespaceLabels,
  };
  const scheduled = await planScheduling(inv, input.rsps, new Date());
  for (const s of scheduled.results)
    if (s.outcome !== 'scheduled' && s.outcome !== 'unchanged')
      io.err(
        `${io.style.yellow('warning:')} ReplicaSchedulingPreference ${s.rsp}: ${s.outcome}${s.message ? ` (${s.message})` : ''}\n`,
      );
  const result = renderAll(inv, clusters, renders);
  for (const w of result.warnings) io.err(`${io.style.yellow('warning:')} ${w}\n`);
  for (const n of result.notes) io.err(`${n}\n`);
  for (const p of result.problems)
    io.err(
      `${io.style.yellow('warning:')} ${p.object}${p.cluster ? ` in ${p.cluster}` : ''}: ${p.status}${p.message ? ` (${p.message})` : ''}\n`,
    );
  if (flags.outputDir) {
    const format = flags.output === 'json' ? 'json' : 'yaml';
    for (const [cluster, count] of writeOutputDir(flags.outputDir, result.clusters, format))
      io.err(`${cluster}: ${count} object(s) written to ${join(flags.outputDir, cluster)}\n`);
  } else if (flags.output === 'json') {
    writeJson({ clusters: [...result.clusters].map(([name, objects]) => ({ name, objects })) }, 2, io.out);
  } else {
    // Clusters with the same overrides share one rendered object: it is printed once. Output goes
    // out in large pieces, not one write per object.
    const printed = new Map<KubeObject, string>();
    let chunk = '';
    for (const [cluster, objects] of result.clusters)
      for (const o of objects) {
        let text = printed.get(o);
        if (text === undefined) printed.set(o, (text = printYaml(o)));
        chunk += `---\n# cluster: ${cluster}\n${text}`;
        if (chunk.length >= OUT_CHUNK) {
          io.out(chunk);
          chunk = '';
        }
      }
    if (chunk !== '') io.out(chunk);
  }
  // Objects that could not be rendered are a failed run, as in propagate.
  if (result.problems.length > 0 || scheduled.results.some((s) => s.outcome === 'invalid' || s.outcome === 'failed'))
    throw new ExitError(EXIT.partial);
}
