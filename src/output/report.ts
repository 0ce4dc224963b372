// Printing a propagation report: kubectl-style lines for humans, the whole report for machines.
import { writeJson } from '../util/json.js';
import type { ClusterResult, Outcome, PropagateReport, ResourceResult } from '../engine/propagate.js';
import type { WaitReport } from '../engine/wait.js';
import type { IO } from './io.js';
import { kindGroup } from '../api/resources.js';
import { dryRunSuffix } from './printers.js';
import { yamlPackage } from '../util/yaml-package.js';

const QUIET: Outcome[] = ['unchanged'];

/** `configmap/ns/name` (kind.group of the target) for a resource result. */
function refOf(r: ResourceResult, targetRef: string): string {
  return `${targetRef}/${r.target}`;
}

/** A result that only says its cluster could not be reached: told once per cluster, not per object. */
function cutOff(c: ClusterResult): boolean {
  return c.unreachable === true || (c.outcome === 'skipped' && c.status === 'ClusterNotReady');
}

/** What a user can do to keep a field another writer set. */
export function keepFieldHint(field: string, federatedKind: string): string {
  if (field === '.spec.replicas')
    return `set spec.retainReplicas: true in the ${federatedKind} to leave replicas to other writers`;
  return 'to leave it to that writer, take the field out of the template and overrides (or label the member object kubefed.io/managed=false to leave all of it)';
}

/**
 * One line per change or problem, then a summary line; unchanged objects are only counted. A
 * cluster that was not ready or became unreachable gets one line; with `verbose` (-v=2) its
 * objects are listed as well.
 */
export function printReportHuman(
  report: PropagateReport,
  io: IO,
  targetRefs: Map<string, string>,
  opts: { verbose?: boolean } = {},
): void {
  const suffix = dryRunSuffix(report.dryRun);
  const { style } = io;
  if (report.shard) io.err(`${shardLine(report.shard)}\n`);
  for (const s of report.scheduling) {
    const replicas = s.replicas
      ? Object.entries(s.replicas)
          .map(([c, n]) => `${c}=${n}`)
          .join(' ')
      : '';
    if (s.outcome !== 'unchanged')
      io.out(
        `replicaschedulingpreference.scheduling.kubefed.io/${s.rsp} ${s.outcome}${suffix}${replicas ? `: ${replicas}` : ''}${s.message ? ` (${s.message})` : ''}\n`,
      );
  }
  for (const c of report.clusters) {
    const missed = c.notPropagated > 0 ? `; ${c.notPropagated} change(s) not made there` : '';
    if (!c.ready)
      io.err(
        `${style.yellow('warning:')} cluster ${c.name} is not ready and gets no writes: ${c.reason ?? 'unknown reason'}${missed}\n`,
      );
    else if (c.unreachable)
      io.err(
        `${style.red('error:')} cluster ${c.name} ${c.reason ?? 'became unreachable during the run'}${missed}; nothing more was sent to it (run again once it is back)\n`,
      );
  }
  for (const r of report.resources) {
    const ref = refOf(r, targetRefs.get(r.type) ?? r.type);
    if (r.reason === 'Invalid') {
      io.out(`${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name} invalid: ${r.message ?? ''}\n`);
      continue;
    }
    if (r.reason && r.reason !== 'CheckClusters') io.out(`${ref} ${r.reason}${r.message ? `: ${r.message}` : ''}\n`);
    for (const w of r.warnings) io.err(`${style.yellow('warning:')} ${ref}: ${w}\n`);
    for (const c of r.clusters) {
      if (QUIET.includes(c.outcome) || (cutOff(c) && !opts.verbose)) continue;
      for (const t of c.takenFields ?? [])
        io.err(
          `${style.yellow('warning:')} ${c.cluster}: ${ref}: took ${t.field} from field manager "${t.manager}"${suffix}; ${keepFieldHint(t.field, r.kind)}\n`,
        );
      const detail =
        c.status && !['created', 'updated', 'adopted', 'unlabelled', 'deleted', 'waiting'].includes(c.outcome)
          ? ` ${c.status}`
          : '';
      io.out(
        `${c.cluster}: ${ref} ${c.outcome}${detail}${suffix}${c.message && c.outcome !== 'deleted' ? ` (${c.message})` : ''}\n`,
      );
    }
  }
  for (const d of report.dns) {
    if (d.outcome === 'unchanged' && (d.endpoint ?? 'unchanged') === 'unchanged') continue;
    const kind = d.kind === 'ServiceDNSRecord' ? 'servicednsrecord' : 'ingressdnsrecord';
    io.out(
      `${kind}.multiclusterdns.kubefed.io/${d.record} ${d.outcome}${d.endpoint && d.endpoint !== 'unchanged' ? `, dnsendpoint ${d.endpoint}` : ''}${suffix}${d.message ? ` (${d.message})` : ''}\n`,
    );
  }
  for (const s of report.strays)
    io.out(
      `${s.cluster}: ${targetRefs.get(s.type) ?? s.type}/${s.name} ${s.outcome}${suffix} (no federated object manages it any more)\n`,
    );
  printApplySet(report, io, suffix);
  const parts = Object.entries(report.summary)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`);
  const requests = report.clusters.reduce((n, c) => n + Object.values(c.requests).reduce((a, b) => a + b, 0), 0);
  io.out(
    `${report.resources.length} federated object(s), ${report.clusters.length} cluster(s): ${parts.join(', ') || 'nothing to do'}${suffix} (${requests} member requests)\n`,
  );
  if (report.wait) printWait(report.wait, io, targetRefs);
}

/** --wait: one line of totals, then each object that is not ready, with its own conditions indented below it. */
function printWait(wait: WaitReport, io: IO, targetRefs: Map<string, string>): void {
  const seconds = `${(wait.elapsedMs / 1000).toFixed(1)}s`;
  const how = wait.timeoutMs > 0 ? `waited ${seconds}` : 'checked once';
  io.out(`${how}: ${wait.ready} of ${wait.objects} member object(s) ready\n`);
  for (const o of wait.notReady) {
    const ref = `${targetRefs.get(o.type) ?? o.type}/${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
    const word = o.state === 'failed' ? 'failed' : 'not ready';
    io.out(`${o.cluster}: ${ref} ${word}: ${o.reason}${o.message ? ` (${o.message})` : ''}\n`);
    for (const c of o.conditions)
      io.out(`    ${c.type}=${c.status}${c.reason ? ` ${c.reason}` : ''}${c.message ? `: ${c.message}` : ''}\n`);
  }
}

/** `deployment.apps` for `Deployment.apps`: how kubectl names a kind in its lines. */
function kindRef(groupKind: string): string {
  const dot = groupKind.indexOf('.');
  return dot < 0
    ? kindGroup({ kind: groupKind, group: '' })
    : kindGroup({ kind: groupKind.slice(0, dot), group: groupKind.slice(dot + 1) });
}

const PRUNE_WORDS = { deleted: 'pruned', skipped: 'not pruned', failed: 'prune failed' } as const;

/** The ApplySet's lines: a parent that could not be used, then each pruned (or kept) member, as kubectl prints prunes. */
function printApplySet(report: PropagateReport, io: IO, suffix: string): void {
  const set = report.applySet;
  if (!set) return;
  const notReady = new Set(report.clusters.filter((c) => !c.ready).map((c) => c.name));
  for (const c of set.clusters.filter((x) => !notReady.has(x.cluster))) {
    if (c.parent === 'failed')
      io.err(
        `${io.style.red('error:')} ${c.cluster}: ApplySet ${set.name}: ${c.message ?? 'failed'}; nothing was pruned there\n`,
      );
    else if (c.message && set.prune)
      io.err(`${io.style.yellow('warning:')} ${c.cluster}: ApplySet ${set.name}: ${c.message}\n`);
  }
  for (const p of set.pruned)
    io.out(
      `${p.cluster}: ${kindRef(p.kind)}/${p.name} ${PRUNE_WORDS[p.outcome]}${suffix}${p.message ? ` (${p.message})` : ''}\n`,
    );
}

/** The whole report as JSON or YAML. */
export function printReportData(report: PropagateReport, format: 'json' | 'yaml', out: (t: string) => void): void {
  const doc = { kind: 'PropagationReport', apiVersion: 'kubefedctl.kubefed.io/v1alpha1', ...report };
  if (format === 'json') writeJson(doc, 2, out);
  else out(yamlPackage().stringify(doc, { lineWidth: 0 }));
}

/**
 * The line that ends propagate's progress: `12 created, 3 updated in 3 cluster(s)`, what did not
 * change left out (`no changes in 3 cluster(s)` when that is all), and the dry-run suffix.
 */
export function reportSummaryLine(report: PropagateReport): string {
  const parts = Object.entries(report.summary)
    .filter(([k, n]) => n > 0 && k !== 'unchanged')
    .map(([k, n]) => `${n} ${k}`);
  const shard = report.shard ? ` of shard ${report.shard.index}/${report.shard.count}` : '';
  return `${parts.join(', ') || 'no changes'} in ${report.clusters.length} cluster(s)${shard}${dryRunSuffix(report.dryRun)}`;
}

/** Which shard ran and the clusters it owned, for stderr: `shard 1/3: 2 cluster(s): cluster3, cluster5`. */
export function shardLine(shard: { index: number; count: number; clusters: string[] }): string {
  const owned = shard.clusters.length > 0 ? `: ${shard.clusters.join(', ')}` : ' (no member cluster hashes to it)';
  return `shard ${shard.index}/${shard.count}: ${shard.clusters.length} cluster(s)${owned}`;
}
