// The record of a clean `propagate -f` run, which lets the next run with the same input skip
// everything but reading (ADR 0007). A run is clean when it changed nothing and found nothing wrong;
// its record holds a digest of everything the outcome depends on outside the members (the build,
// the options, the input's bytes, the clusters, the host's type configs and settings) and, per
// member, what its lists saw: each managed object's uid and resourceVersion, which change on every
// write by anyone. When the digest and every list are as recorded, the members hold exactly what
// they held after the clean run, so a full run would again change nothing. Pure;
// engine/run-cache.ts reads, checks and writes records.
import { createHash } from 'node:crypto';
import type { DryRun, HasMetadata, ResourceType } from '../api/objects.js';
import type { FederatedTypeConfig } from '../federation/typeconfig.js';
import type { InputFile } from '../util/documents.js';
import type { PropagateReport } from './propagate.js';

/** Bumped whenever what a record holds, or what the digest covers, changes. */
export const RECORD_FORMAT = 1;

/** What the check lists again: a type's managed objects in one cluster, in each of `scopes`. */
export interface RecordedList {
  cluster: string;
  type: ResourceType;
  /** Namespaces, or null for all (and for cluster-scoped types). */
  scopes: (string | null)[];
  /** objectsDigest of what the lists returned. */
  digest: string;
}

/** The record's lists, from what a run listed. */
export function recordedLists(
  lists: readonly {
    cluster: string;
    type: ResourceType;
    scopes: readonly (string | undefined)[];
    objects: Iterable<HasMetadata>;
  }[],
): RecordedList[] {
  return lists.map((l) => ({
    cluster: l.cluster,
    type: l.type,
    scopes: l.scopes.map((s) => s ?? null),
    digest: objectsDigest(l.objects),
  }));
}

export interface RunRecord {
  format: number;
  /** inputDigest of the run. */
  input: string;
  /** The member clusters the run covered, every one ready. */
  clusters: string[];
  /**
   * Per cluster, the URL of the OpenAPI document each group-version's templates were checked
   * against. The API server puts the document's hash in it, so a changed schema (a CRD updated)
   * changes the URL.
   */
  openapi: Record<string, Record<string, string>>;
  lists: RecordedList[];
  /** `kind.group` of each type, for the report's lines. */
  refs: Record<string, string>;
  /** The run's report; its request counts are replaced by the replaying run's own. */
  report: PropagateReport;
}

/** A digest of objects' identities and versions: uid and resourceVersion, in any order. */
export function objectsDigest(objects: Iterable<HasMetadata>): string {
  const lines: string[] = [];
  for (const o of objects) lines.push(`${o.metadata.uid ?? ''} ${o.metadata.resourceVersion ?? ''}`);
  lines.sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

/** Everything a file-mode run's outcome depends on besides the members' objects and schemas. */
export interface DigestInput {
  /** Which build of kubefedctl: a record is never trusted by another build. */
  build: string;
  /** The options that change what a run does (not how it prints). */
  options: unknown;
  inputs: readonly InputFile[];
  /** The KubeFedCluster documents (from --clusters or the host). */
  clusterDocs: readonly unknown[];
  known: readonly FederatedTypeConfig[];
  hostSettings: unknown;
}

/** What of a KubeFedCluster decides placement and access: not its status, which the host updates. */
function clusterIdentity(doc: unknown): unknown {
  const c = doc as { metadata?: { name?: unknown; labels?: unknown }; spec?: unknown };
  return { name: c?.metadata?.name, labels: c?.metadata?.labels, spec: c?.spec };
}

export function inputDigest(d: DigestInput): string {
  const hash = createHash('sha256');
  hash.update(
    JSON.stringify({
      format: RECORD_FORMAT,
      build: d.build,
      options: d.options,
      hostSettings: d.hostSettings,
      clusters: d.clusterDocs.map(clusterIdentity),
      known: d.known.map((f) => ({ name: f.metadata.name, spec: f.spec })),
    }),
  );
  for (const input of d.inputs) {
    hash.update(`\0${input.file}\0${Buffer.byteLength(input.content)}\0`);
    hash.update(input.content);
  }
  return hash.digest('hex');
}

/** How the run was asked to behave, as far as recording goes. */
export interface RecordingRun {
  /** Whether the run's writes were stored (not a dry run). */
  persists: boolean;
  waitMs?: number;
  applySet?: unknown;
  collectStatus: boolean;
  /** Warnings printed while loading or checking the input: a replay would not print them again. */
  warnings: number;
}

/**
 * Why a finished run's report may not be recorded, or undefined when it may: it changed nothing,
 * found nothing wrong, covered every cluster, and printed no warning a replay would leave out.
 */
export function whyNotRecordable(report: PropagateReport, run: RecordingRun): string | undefined {
  const changed = Object.entries(report.summary).filter(([outcome, n]) => outcome !== 'unchanged' && n > 0);
  const reasons: [boolean, string][] = [
    [!run.persists, 'a dry run'],
    [run.waitMs !== undefined, '--wait reads readiness, which metadata does not show'],
    [run.applySet !== undefined, 'an ApplySet run'],
    [run.collectStatus, '--collect-status reads status, which metadata does not show'],
    [run.warnings > 0, 'warnings were printed'],
    [report.failed, 'the run failed'],
    [changed.length > 0, `it did not find every object unchanged (${changed.map(([o, n]) => `${n} ${o}`).join(', ')})`],
    [report.strays.length > 0, 'managed objects without a federated object were found'],
    [report.hostWrites > 0, 'the run wrote to the host'],
    [report.scheduling.length > 0, 'replica scheduling depends on more than the lists show'],
    [report.dns.length > 0, 'DNS records depend on more than the lists show'],
    [
      report.clusters.some((c) => !c.ready || c.unreachable || c.notPropagated > 0),
      'a cluster was not ready or not reached',
    ],
    [report.resources.some((r) => r.warnings.length > 0), 'the report has warnings'],
  ];
  return reasons.find(([applies]) => applies)?.[1];
}

/** The recorded report, as this run's: its own dry-run mode and request counts. */
export function replayReport(
  record: RunRecord,
  run: { dryRun: DryRun; requests: ReadonlyMap<string, Readonly<Record<string, number>>> },
): PropagateReport {
  return {
    ...record.report,
    dryRun: run.dryRun,
    clusters: record.report.clusters.map((c) => ({ ...c, requests: { ...(run.requests.get(c.name) ?? {}) } })),
  };
}
