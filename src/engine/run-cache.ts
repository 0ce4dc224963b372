// Reading and writing run records, and the check that one still holds (engine/run-record.ts, ADR 0007).
// Records are kept under kubectl's cache folder: --cache-dir, else $KUBECACHEDIR, else
// ~/.kube/cache; an empty --cache-dir keeps none. A record is only ever a reason to skip work: a
// missing, unreadable or stale one costs a full run, never a wrong answer.
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MANAGED_LABEL } from '../api/kubefed.js';
import type { ClusterClient } from '../kube/cluster-client.js';
import { messageOf } from '../errors.js';
import { VERSION } from '../version.js';
import { writeJson } from '../util/json.js';
import { forEachLimited } from '../util/pool.js';
import { objectsDigest, RECORD_FORMAT, type RecordedList, type RunRecord } from './run-record.js';
import { openApiUrl, type OpenApiIndex } from '../kube/openapi-index.js';

/**
 * The file of the record for one way of running propagate (same folder, arguments and flags): a
 * changed input replaces its record rather than adding one.
 */
export function recordFile(dir: string, invocation: unknown): string {
  const slot = createHash('sha256').update(JSON.stringify(invocation)).digest('hex').slice(0, 32);
  return join(dir, `propagate-${slot}.json`);
}

/** This build: its version and when its code was written, so no other build trusts its records. */
export function buildId(): string {
  try {
    const s = statSync(fileURLToPath(import.meta.url));
    return `${VERSION} ${s.size} ${s.mtimeMs}`;
  } catch {
    return VERSION;
  }
}

/** The record in `file`, or undefined when there is none or it is unreadable or of another format. */
export function readRecord(file: string): RunRecord | undefined {
  try {
    const record = JSON.parse(readFileSync(file, 'utf8')) as RunRecord;
    return record?.format === RECORD_FORMAT ? record : undefined;
  } catch {
    return undefined;
  }
}

/** Writes a record (owner-only, replaced whole); a failure is returned as a message, not thrown. */
export function writeRecord(file: string, record: RunRecord): string | undefined {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
    // In pieces: the record of a fleet's run holds its report, megabytes of JSON.
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeJson(record, 0, (text) => writeSync(fd, text));
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
    return undefined;
  } catch (error) {
    return `cannot write ${file}: ${messageOf(error)}`;
  }
}

/** Removes a record that no longer holds, so the next run does not check it in vain. */
export function removeRecord(file: string): void {
  rmSync(file, { force: true });
}

/** A member as the check needs it: probed, with its client. */
export interface CheckedCluster {
  name: string;
  ready: boolean;
  client?: ClusterClient;
}

/**
 * Why the members no longer hold what `record` saw, or undefined when they do: the same clusters,
 * all ready; the same OpenAPI documents; and every list's objects with the same uid and
 * resourceVersion. Reads only: one /openapi/v3 and one LIST of uids and versions per type (and
 * namespace) per cluster.
 */
export async function whyRecordStale(
  record: RunRecord,
  clusters: readonly CheckedCluster[],
): Promise<string | undefined> {
  const names = clusters.map((c) => c.name);
  if (names.join('\n') !== record.clusters.join('\n')) return 'the member clusters differ';
  const notReady = clusters.find((c) => !c.ready || !c.client);
  if (notReady) return `cluster ${notReady.name} is not ready`;
  const client = new Map(clusters.map((c) => [c.name, c.client!]));
  // Each member's checks, run a few at a time; the members side by side. (A cluster the record
  // names that is not a member gets checks too: they fail, so the record does not hold.)
  const checks = new Map<string, (() => Promise<string | undefined>)[]>();
  const checksOf = (cluster: string) => checks.get(cluster) ?? checks.set(cluster, []).get(cluster)!;
  for (const [cluster, urls] of Object.entries(record.openapi))
    checksOf(cluster).push(() => openApiChanged(client.get(cluster), cluster, urls));
  for (const l of record.lists) checksOf(l.cluster).push(() => listChanged(client.get(l.cluster), l));
  const reasons: (string | undefined)[] = [];
  await Promise.all(
    [...checks.values()].map((ofMember) =>
      forEachLimited(ofMember, CHECKS_IN_FLIGHT, async (check) => void reasons.push(await check())),
    ),
  );
  return reasons.find((r) => r !== undefined);
}

/**
 * Requests in flight per member while checking a record. Each more opens a connection of its own,
 * and a TLS handshake costs more CPU than the small answers it would wait for: two connections
 * carry a check (an OpenAPI index and a few lists) about as fast as four did.
 */
const CHECKS_IN_FLIGHT = 2;

async function openApiChanged(
  client: ClusterClient | undefined,
  cluster: string,
  urls: Record<string, string>,
): Promise<string | undefined> {
  if (!client) return `cluster ${cluster} is not a member any more`;
  try {
    const res = await client.raw('/openapi/v3');
    if (res.statusCode !== 200) return `${cluster}: /openapi/v3 answered ${res.statusCode}`;
    const index = JSON.parse(res.body) as OpenApiIndex;
    const changed = Object.entries(urls).find(([gv, url]) => (openApiUrl(index, gv) ?? '') !== url);
    return changed ? `${cluster}: the OpenAPI schema of ${changed[0]} changed` : undefined;
  } catch (error) {
    return `${cluster}: cannot read /openapi/v3 (${messageOf(error)})`;
  }
}

async function listChanged(client: ClusterClient | undefined, list: RecordedList): Promise<string | undefined> {
  if (!client) return `cluster ${list.cluster} is not a member any more`;
  try {
    const pages = await Promise.all(
      list.scopes.map((namespace) =>
        client.listVersions(list.type, { ...(namespace !== null ? { namespace } : {}), labelSelector: MANAGED_LABEL }),
      ),
    );
    // A namespace listed twice (never, but cheap to rule out) would count its objects twice.
    const seen = new Map(pages.flatMap((p) => p.items).map((o) => [o.uid, { metadata: o }]));
    return objectsDigest(seen.values()) === list.digest ? undefined : `${list.cluster}: ${list.type.plural} changed`;
  } catch (error) {
    return `${list.cluster}: cannot list ${list.type.plural} (${messageOf(error)})`;
  }
}
