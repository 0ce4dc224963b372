// A propagation report for GitHub Actions: its problems as annotations, and a Markdown summary for
// $GITHUB_STEP_SUMMARY (the workflow commands themselves are in github.ts).
import type { ClusterResult, Outcome, PropagateReport, ResourceResult } from '../engine/propagate.js';
import { redact } from '../util/secrets.js';
import type { Annotation } from './github.js';
import { dryRunSuffix } from './printers.js';

/** Where a federated object of the report was read from (file mode), when known. */
export type Locator = (r: ResourceResult) => { file: string; line: number } | undefined;

/** `Kind namespace/name`, as the annotations name an object. */
function objectOf(r: ResourceResult): string {
  return `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
}

const FAILED: Outcome[] = ['failed', 'conflict'];

/**
 * A propagation report's annotations: an error for each invalid object and each failed or
 * conflicting write, a warning for each object warning (PlacementPolicy Audit, …), each policy
 * outranked, each field taken from another writer and each cluster not ready. With `locate`, an
 * object's annotations sit on the line of the file it was read from.
 */
export function reportAnnotations(report: PropagateReport, locate: Locator = () => undefined): Annotation[] {
  const suffix = dryRunSuffix(report.dryRun);
  return [
    ...report.clusters.flatMap(clusterStateAnnotations),
    ...report.resources.flatMap((r) => {
      const at = locate(r);
      return resourceAnnotations(r, suffix).map((a) => (at ? { ...a, file: at.file, line: at.line } : a));
    }),
    ...applySetAnnotations(report.applySet, suffix),
    ...report.strays
      .filter((s) => s.outcome === 'failed')
      .map((s): Annotation => ({
        level: 'error',
        title: `${s.outcome}${suffix}`,
        message: `cluster ${s.cluster}: ${s.type} ${s.name}: ${s.message ?? ''}`,
      })),
  ];
}

/** The ApplySet (--applyset, --prune): a parent that could not be used, a member that could not be pruned. */
function applySetAnnotations(set: PropagateReport['applySet'], suffix: string): Annotation[] {
  if (!set) return [];
  return [
    ...set.clusters
      .filter((c) => c.parent === 'failed')
      .map((c): Annotation => ({
        level: 'error',
        title: 'ApplySet failed',
        message: `cluster ${c.cluster}: ApplySet ${set.name}: ${c.message ?? 'failed'}; nothing was pruned there`,
      })),
    ...set.pruned
      .filter((p) => p.outcome === 'failed')
      .map((p): Annotation => ({
        level: 'error',
        title: `prune failed${suffix}`,
        message: `cluster ${p.cluster}: ${p.kind} ${p.name}: ${p.message ?? 'failed'}`,
      })),
  ];
}

/** A cluster that was not ready (a warning: nothing was sent to it) or became unreachable (an error). */
function clusterStateAnnotations(c: PropagateReport['clusters'][number]): Annotation[] {
  const reason = c.reason ?? '';
  if (!c.ready) return [{ level: 'warning', title: 'cluster not ready', message: `cluster ${c.name}: ${reason}` }];
  if (c.unreachable) return [{ level: 'error', title: 'cluster unreachable', message: `cluster ${c.name}: ${reason}` }];
  return [];
}

/** One federated object's annotations: invalid, its warnings, a policy outranked, its clusters' results. */
function resourceAnnotations(r: ResourceResult, suffix: string): Annotation[] {
  const what = objectOf(r);
  const out: Annotation[] = [];
  if (r.reason === 'Invalid')
    out.push({ level: 'error', title: 'invalid federated object', message: `${what}: ${r.message ?? ''}` });
  for (const w of r.warnings) out.push({ level: 'warning', title: 'propagation warning', message: `${what}: ${w}` });
  const { placedBy = 'another policy', outranked = [] } = r.policies ?? {};
  if (outranked.length > 0)
    out.push({
      level: 'warning',
      title: 'policy outranked',
      message: `${what}: placed by ${placedBy}; ${outranked.join(', ')} selected it too and lost`,
    });
  for (const c of r.clusters) out.push(...clusterAnnotations(c, what, suffix));
  return out;
}

function clusterAnnotations(c: ClusterResult, what: string, suffix: string): Annotation[] {
  const out: Annotation[] = [];
  if (FAILED.includes(c.outcome) && !c.unreachable)
    out.push({
      level: 'error',
      title: `${outcomeWords(c)}${suffix}`,
      message: `cluster ${c.cluster}: ${what}: ${c.message ?? c.outcome}`,
    });
  for (const t of c.takenFields ?? [])
    out.push({
      level: 'warning',
      title: 'field taken from another writer',
      message: `cluster ${c.cluster}: ${what}: took ${t.field} from field manager "${t.manager}"${suffix}`,
    });
  return out;
}

// ---- the step summary ----

/** A table cell: one line, pipes escaped, no HTML. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const COLUMNS: { title: string; outcomes: Outcome[] }[] = [
  { title: 'created', outcomes: ['created'] },
  { title: 'updated', outcomes: ['updated', 'adopted'] },
  { title: 'deleted', outcomes: ['deleted', 'unlabelled'] }, // pruned members too
  { title: 'unchanged', outcomes: ['unchanged'] },
  { title: 'failed', outcomes: ['failed'] },
  { title: 'conflict', outcomes: ['conflict'] },
  { title: 'skipped', outcomes: ['skipped', 'waiting'] },
];

const DRY_RUN_WORDS = {
  none: 'no: the changes were made',
  client: 'client: nothing was sent to the clusters',
  server: 'server: every write was sent with dryRun=All; nothing was stored',
} as const;

/** At most this many failed objects are listed in the summary; the rest are counted. */
const MAX_LISTED = 100;

/**
 * A propagation report as Markdown for $GITHUB_STEP_SUMMARY: the dry-run mode, a table of counts
 * per cluster with its readiness, and the failed objects with their messages. `refs` gives each
 * type's `kind.group` for object names. Credentials are redacted.
 */
export function reportMarkdown(report: PropagateReport, command: string, refs = new Map<string, string>()): string {
  const mode = report.mode === 'file' ? 'files (-f)' : 'host';
  const lines = [
    `### ${command}${dryRunSuffix(report.dryRun)}`,
    '',
    `Dry run: ${DRY_RUN_WORDS[report.dryRun]}. Mode: ${mode}.`,
    '',
    ...clusterTable(report),
    '',
    ...failedTable(report, refs),
  ];
  return `${redact(lines.join('\n'))}\n\n`;
}

/** One row per cluster: its state and how many results of each column's outcomes it had. */
function clusterTable(report: PropagateReport): string[] {
  const perCluster = new Map<string, Outcome[]>(report.clusters.map((c) => [c.name, []]));
  for (const r of report.resources) for (const c of r.clusters) perCluster.get(c.cluster)?.push(c.outcome);
  for (const s of [...report.strays, ...(report.applySet?.pruned ?? [])]) perCluster.get(s.cluster)?.push(s.outcome);
  const stateOf = (c: PropagateReport['clusters'][number]) => {
    if (!c.ready) return `not ready: ${c.reason ?? ''}`;
    return c.unreachable ? `unreachable: ${c.reason ?? ''}` : 'ready';
  };
  return [
    `| cluster | state | ${COLUMNS.map((c) => c.title).join(' | ')} |`,
    `| --- | --- | ${COLUMNS.map(() => '---:').join(' | ')} |`,
    ...report.clusters.map((c) => {
      const outcomes = perCluster.get(c.name) ?? [];
      const counts = COLUMNS.map((col) => String(outcomes.filter((o) => col.outcomes.includes(o)).length));
      return `| ${cell(c.name)} | ${cell(stateOf(c))} | ${counts.join(' | ')} |`;
    }),
  ];
}

/** The failed objects, at most MAX_LISTED of them, or a line saying there are none. */
function failedTable(report: PropagateReport, refs: Map<string, string>): string[] {
  const failed = failedRows(report, refs);
  if (failed.length === 0) return [report.failed ? 'Failed: see the log.' : 'Nothing failed.'];
  return [
    `**Failed (${failed.length})**`,
    '',
    '| cluster | object | outcome | message |',
    '| --- | --- | --- | --- |',
    ...failed
      .slice(0, MAX_LISTED)
      .map((f) => `| ${cell(f.cluster)} | ${cell(f.object)} | ${cell(f.outcome)} | ${cell(f.message)} |`),
    ...(failed.length > MAX_LISTED ? ['', `and ${failed.length - MAX_LISTED} more; see the log.`] : []),
  ];
}

interface FailedRow {
  cluster: string;
  object: string;
  outcome: string;
  message: string;
}

/** The failed rows: invalid objects and failed or conflicting writes, failed prunes, failed stray deletions. */
function failedRows(report: PropagateReport, refs: Map<string, string>): FailedRow[] {
  const failed = <T extends { outcome: string }>(xs: readonly T[]) => xs.filter((x) => x.outcome === 'failed');
  return [
    ...report.resources.flatMap((r) => resourceRows(r, `${refs.get(r.type) ?? r.type}/${r.target}`)),
    ...failed(report.applySet?.pruned ?? []).map((p) => ({
      cluster: p.cluster,
      object: `${p.kind}/${p.name}`,
      outcome: 'prune failed',
      message: p.message ?? '',
    })),
    ...failed(report.strays).map((s) => ({
      cluster: s.cluster,
      object: `${refs.get(s.type) ?? s.type}/${s.name}`,
      outcome: s.outcome,
      message: s.message ?? '',
    })),
  ];
}

/** One object's failed rows: the object itself when invalid, then each failed or conflicting write. */
function resourceRows(r: ResourceResult, object: string): FailedRow[] {
  const invalid: FailedRow[] =
    r.reason === 'Invalid' ? [{ cluster: '', object: objectOf(r), outcome: 'invalid', message: r.message ?? '' }] : [];
  return [
    ...invalid,
    ...r.clusters
      .filter((c) => FAILED.includes(c.outcome))
      .map((c) => ({ cluster: c.cluster, object, outcome: outcomeWords(c), message: c.message ?? '' })),
  ];
}

/** `conflict (AlreadyExists)`: the outcome and KubeFed's status word, when there is one. */
function outcomeWords(c: ClusterResult): string {
  return `${c.outcome}${c.status ? ` (${c.status})` : ''}`;
}
