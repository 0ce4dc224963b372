// Splitting the member clusters between N runners (--shard INDEX/COUNT, docs/scale.md). Pure.
import { createHash } from 'node:crypto';
import type { ClusterPropagationStatus } from './federated-object.js';

/** One runner's part of the fleet: INDEX of COUNT, 0-based. */
export interface Shard {
  index: number;
  count: number;
}

/** The largest COUNT accepted: far more runners than any fleet needs, and small enough to type. */
export const MAX_SHARDS = 1000;

/**
 * The shard (0..count-1) that owns a cluster: the first 32 bits of the SHA-256 of its name, mod
 * COUNT. Stable across processes, machines and Node versions, so every runner assigns every cluster
 * the same way without talking to the others. SHA-256 rather than FNV: names that differ in one
 * trailing character (cluster1, cluster2, ...) spread evenly, where FNV-1a mod 3 left a shard empty.
 */
export function shardOfCluster(cluster: string, count: number): number {
  return createHash('sha256').update(cluster, 'utf8').digest().readUInt32BE(0) % count;
}

/** True when this run owns the cluster; every cluster is owned when the run is not sharded. */
export function ownsCluster(shard: Shard | undefined, cluster: string): boolean {
  return shard === undefined || shardOfCluster(cluster, shard.count) === shard.index;
}

/** `INDEX/COUNT`, as --shard takes it and the report prints it. */
export function shardLabel(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}

/**
 * Parses `INDEX/COUNT` (0 <= INDEX < COUNT <= MAX_SHARDS); returns why it is not one otherwise.
 * Decimal digits only, so "1e1/3", " 1/3" and "0x1/3" are refused rather than read loosely.
 */
export function parseShard(value: string): Shard | string {
  const m = /^(\d{1,6})\/(\d{1,6})$/.exec(value);
  if (!m) return 'use INDEX/COUNT, e.g. 0/3 (INDEX from 0 to COUNT-1)';
  const [index, count] = [Number(m[1]), Number(m[2])];
  if (count < 1 || count > MAX_SHARDS) return `COUNT must be from 1 to ${MAX_SHARDS}`;
  if (index >= count) return `INDEX must be from 0 to ${count - 1} (COUNT-1)`;
  return { index, count };
}

/**
 * The per-cluster entries a sharded run writes: this run's entries for the clusters its shard owns
 * (an owned cluster without a result this run loses its entry, as in an unsharded run), and every
 * other stored entry as it is, since another shard wrote it. Ownership is by hash, not by "was in
 * this run", so an entry of a cluster that left the fleet is removed by exactly one shard.
 */
export function mergeShardEntries(
  stored: readonly ClusterPropagationStatus[],
  own: { clusters: ReadonlyMap<string, string>; remote: ReadonlyMap<string, unknown> },
  shard: Shard,
): { clusters: Map<string, string>; remote: Map<string, unknown> } {
  const clusters = new Map<string, string>();
  const remote = new Map<string, unknown>();
  for (const entry of stored) {
    if (ownsCluster(shard, entry.name)) continue;
    clusters.set(entry.name, entry.status ?? '');
    if (entry.remoteStatus !== undefined) remote.set(entry.name, entry.remoteStatus);
  }
  for (const [name, status] of own.clusters) {
    if (!ownsCluster(shard, name)) continue;
    clusters.set(name, status);
    if (own.remote.has(name)) remote.set(name, own.remote.get(name));
  }
  return { clusters, remote };
}
