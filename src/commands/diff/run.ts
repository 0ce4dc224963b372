// The run step of `kubefedctl diff`: what propagate would change, per cluster, as unified diffs.
// Exit codes follow kubectl diff: 0 no differences, 1 differences, >1 error (exit-codes.ts).
import { ExitError, UserError } from '../../errors.js';
import { EXIT } from '../../exit-codes.js';
import { planPass, startReadingLive } from '../../engine/propagate.js';
import type { ApplySetPlan } from '../../engine/applyset.js';
import { qualifiedName, type FederatedObject } from '../../federation/federated-object.js';
import type { RenderCache } from '../../federation/render.js';
import type { ClusterAction } from '../../federation/plan.js';
import { targetResourceType } from '../../federation/typeconfig.js';
import type { KubeObject } from '../../api/objects.js';
import { progressLogger, requestLogger, warningLogger, type RunContext } from '../../output/io.js';
import { maskSecrets, projectOnto, unifiedDiff, yamlOf } from '../../output/diff.js';
import { clientFactory } from '../connect.js';
import { shardLine } from '../../output/report.js';
import { loadInventory } from '../../engine/inventory.js';
import { preflightOnline } from '../../engine/preflight.js';
import { preflightOptions } from '../preflight-options.js';
import type { DiffCommandOptions } from './options.js';

function label(cluster: string, o: KubeObject | undefined, side: string): string {
  const m = o?.metadata;
  return `${cluster}/${(o?.kind ?? '').toLowerCase()}/${m?.namespace ? `${m.namespace}/` : ''}${m?.name ?? ''} (${side})`;
}

/** The diff text of one action; empty when it changes nothing. */
export function diffOf(action: ClusterAction): string {
  const live = action.live ? structuredClone(action.live) : undefined;
  if (live) delete (live.metadata as { managedFields?: unknown }).managedFields;
  switch (action.kind) {
    case 'create':
    case 'update': {
      const before = live ? (projectOnto(live, action.desired) as Record<string, unknown>) : undefined;
      const [b, a] = maskSecrets(before, action.desired);
      return unifiedDiff(
        yamlOf(b),
        yamlOf(a),
        label(action.cluster, action.live ?? action.desired, 'live'),
        label(action.cluster, action.desired, 'propagated'),
      );
    }
    case 'delete': {
      const [b] = maskSecrets(live, undefined);
      return unifiedDiff(
        yamlOf(b),
        '',
        label(action.cluster, action.live, 'live'),
        label(action.cluster, action.live, 'deleted'),
      );
    }
    case 'unlabel': {
      const after = structuredClone(live);
      if (after?.metadata.labels) delete after.metadata.labels['kubefed.io/managed'];
      if (after?.metadata.annotations) delete after.metadata.annotations['kubefed.io/applied-hash'];
      return unifiedDiff(
        yamlOf({ metadata: { labels: live?.metadata.labels } }),
        yamlOf({ metadata: { labels: after?.metadata.labels } }),
        label(action.cluster, action.live, 'live'),
        label(action.cluster, action.live, 'unmanaged'),
      );
    }
    default:
      return '';
  }
}

/** What a prune would delete, as diffs; a cluster whose set cannot be read is a problem. */
function printPrunes(io: RunContext['io'], applySet: ApplySetPlan): { changes: number; problems: number } {
  let changes = 0;
  let problems = 0;
  for (const c of applySet.clusters) {
    if (c.failed) {
      io.err(`${c.cluster}: ApplySet ${applySet.ref.name}: ${c.skipped ?? ''}\n`);
      problems++;
    }
    for (const { decision } of c.prunes) {
      const name = `${decision.groupKind} ${qualifiedName(decision.object.metadata)}`;
      if (!decision.prune) {
        io.err(`${c.cluster}: ${name} would not be pruned: ${decision.reason ?? ''}\n`);
        continue;
      }
      changes++;
      io.out(diffOf({ cluster: c.cluster, kind: 'delete', status: '', live: decision.object }));
    }
  }
  return { changes, problems };
}

export async function runDiff(ctx: RunContext, opts: DiffCommandOptions): Promise<void> {
  const { io } = ctx;
  const factory = clientFactory(opts.host, requestLogger(ctx), opts.concurrency);
  try {
    const inv = await loadInventory(opts.request, factory, progressLogger(ctx), warningLogger(ctx));
    // As propagate: the members' objects are listed while the pre-flight checks the input.
    const live = startReadingLive(inv);
    const renders = new Map<FederatedObject, RenderCache>();
    if (inv.mode === 'file')
      await preflightOnline(inv, { ...preflightOptions(ctx, opts.request.validate), keepRenders: renders });
    if (inv.shard)
      io.err(
        `${shardLine({ index: inv.shard.index, count: inv.shard.count, clusters: inv.clusters.map((c) => c.name) })}\n`,
      );
    const { plans, strays, applySet } = await planPass(inv, {
      progress: progressLogger(ctx),
      ...(opts.applySet ? { applySet: opts.applySet } : {}),
      wholeLiveOfChanges: true,
      live,
      renders,
    });
    const notReady = new Map<string, { reason: string; count: number }>();
    let changes = 0;
    let problems = 0;
    const actions = [
      ...plans.flatMap((p) =>
        p.actions.map((a) => ({
          a,
          type: targetResourceType(inv.types.find((t) => t.ftc.metadata.name === p.typeName)!.ftc),
        })),
      ),
      ...strays.map((s) => ({ a: s.action, type: undefined })),
    ];
    for (const { a, type } of actions) {
      if (a.kind === 'conflict') {
        // Found by the plan's bulk list of unlabelled objects: propagate will not touch it.
        const m = a.live?.metadata;
        io.err(
          `${a.cluster}: ${type?.kind.toLowerCase() ?? 'object'}/${m?.namespace ? `${m.namespace}/` : ''}${m?.name ?? ''} exists and is not managed by KubeFed; propagate would leave it alone\n`,
        );
        problems++;
        continue;
      }
      if (a.kind === 'skip' && a.status === 'ClusterNotReady') {
        // Said once per cluster below, not once per object.
        const seen = notReady.get(a.cluster);
        notReady.set(a.cluster, { reason: seen?.reason ?? a.message ?? 'not ready', count: (seen?.count ?? 0) + 1 });
        problems++;
        continue;
      }
      if (a.kind === 'skip') {
        io.err(`${a.cluster}: ${a.status}${a.message ? `: ${a.message}` : ''}\n`);
        problems++;
        continue;
      }
      const text = diffOf(a);
      if (text) {
        changes++;
        io.out(text);
      }
    }
    if (applySet) {
      const pruning = printPrunes(io, applySet);
      changes += pruning.changes;
      problems += pruning.problems;
    }
    for (const [cluster, { reason, count }] of notReady)
      io.err(`${cluster}: not ready, ${count} object(s) not compared: ${reason}\n`);
    for (const p of plans)
      if (p.aggregate) {
        io.err(
          `${p.federated.kind ?? ''} ${p.federated.metadata.namespace ? `${p.federated.metadata.namespace}/` : ''}${p.federated.metadata.name ?? ''}: ${p.aggregate}${p.aggregateMessage ? ` (${p.aggregateMessage})` : ''}\n`,
        );
        problems++;
      }
    for (const bad of inv.invalid) {
      io.err(`${bad.object.kind ?? ''} ${qualifiedName(bad.object.metadata)}: invalid: ${bad.issues.join('; ')}\n`);
      problems++;
    }
    // As kubectl diff: "no differences" (0) only when everything in scope was compared.
    if (problems > 0)
      throw new UserError(
        `${problems} problem(s) above: not everything in scope could be compared, so there may be differences not shown`,
        'fix them (or wait for the clusters that are not ready) and run diff again',
      );
    if (changes > 0) throw new ExitError(EXIT.differences);
  } catch (error) {
    // kubectl diff: any error is an exit code above 1.
    if (error instanceof ExitError) throw error;
    if (error instanceof Error) throw new ExitError(EXIT.diffError, error);
    throw error;
  } finally {
    factory.closeAll();
  }
}
