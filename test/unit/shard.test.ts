// --shard INDEX/COUNT (docs/scale.md): which shard owns which cluster, the flag and its environment
// variables, and the per-cluster status entries shards share.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FederatedObject, FederatedStatus } from '../../src/federation/federated-object.js';
import {
  MAX_SHARDS,
  mergeShardEntries,
  ownsCluster,
  parseShard,
  shardOfCluster,
  type Shard,
} from '../../src/federation/shard.js';
import { computeStatus } from '../../src/federation/status.js';
import { shardOf } from '../../src/commands/shared-flags.js';
import { UsageError } from '../../src/errors.js';
import { propagateCommand } from '../../src/commands/propagate/command.js';
import type { PropagateCommandOptions } from '../../src/commands/propagate/options.js';
import { diffCommand } from '../../src/commands/diff/command.js';
import type { DiffCommandOptions } from '../../src/commands/diff/options.js';
import { memoryIO } from '../../src/output/io.js';
import { normaliseDryRunArgs } from '../../src/commands/shared-flags.js';
import type { CommandUnknownOpts } from '@commander-js/extra-typings';

const names = (n: number) => Array.from({ length: n }, (_, i) => `member-${i}.eu-west-${i % 7}`);

describe('shard assignment: a stable hash of the cluster name', () => {
  it('every cluster belongs to exactly one shard, for every COUNT from 1 to 32 (no overlap, no gap)', () => {
    const clusters = names(2000);
    for (let count = 1; count <= 32; count++) {
      const owners = clusters.map((c) =>
        Array.from({ length: count }, (_, index) => index).filter((index) => ownsCluster({ index, count }, c)),
      );
      for (const [i, o] of owners.entries())
        assert.equal(o.length, 1, `${clusters[i]} with COUNT ${count}: ${o.join(',')}`);
    }
  });
  it('spreads names evenly, also names that differ only in their last character', () => {
    for (const list of [names(3000), Array.from({ length: 3000 }, (_, i) => `cluster${i + 1}`)]) {
      const perShard = [0, 0, 0];
      for (const c of list) perShard[shardOfCluster(c, 3)]!++;
      for (const n of perShard) assert.ok(n > 900 && n < 1100, perShard.join(','));
    }
  });
  it('is the same in every process: these values are part of the contract (docs/scale.md)', () => {
    assert.deepEqual(
      ['cluster1', 'cluster2', 'cluster3', 'cluster4', 'cluster5', 'cluster6'].map((c) => shardOfCluster(c, 3)),
      [0, 0, 1, 2, 1, 2],
    );
    assert.equal(shardOfCluster('arn:aws:eks:eu-west-1:1:cluster/prod', 1), 0);
  });
  it('an unsharded run owns every cluster', () => {
    assert.ok(ownsCluster(undefined, 'anything'));
  });
});

describe('parseShard: INDEX/COUNT', () => {
  for (const [text, shard] of [
    ['0/1', { index: 0, count: 1 }],
    ['2/3', { index: 2, count: 3 }],
    ['07/10', { index: 7, count: 10 }],
    [`999/${MAX_SHARDS}`, { index: 999, count: MAX_SHARDS }],
  ] as const)
    it(`reads ${text}`, () => assert.deepEqual(parseShard(text), shard));
  for (const [text, why] of [
    ['3/3', /INDEX must be from 0 to 2/],
    ['0/0', /COUNT must be from 1/],
    [`0/${MAX_SHARDS + 1}`, /COUNT must be from 1 to 1000/],
    ['1', /use INDEX\/COUNT/],
    ['-1/3', /use INDEX\/COUNT/],
    ['1/3/4', /use INDEX\/COUNT/],
    [' 1/3', /use INDEX\/COUNT/],
    ['1e0/3', /use INDEX\/COUNT/],
    ['0x1/3', /use INDEX\/COUNT/],
    ['a/b', /use INDEX\/COUNT/],
    ['', /use INDEX\/COUNT/],
  ] as const)
    it(`refuses ${JSON.stringify(text)}`, () => assert.match(JSON.stringify(parseShard(text)), why));
});

describe('shardOf: the flag, else the environment of an Indexed Job', () => {
  const usage = (re: RegExp) => (e: unknown) => e instanceof UsageError && re.test(e.message);
  it('the flag wins over the environment', () => {
    assert.deepEqual(shardOf('1/2', { JOB_COMPLETION_INDEX: '0', KUBEFEDCTL_SHARD_COUNT: '5' }), {
      index: 1,
      count: 2,
    });
  });
  it('a bad flag is a usage error naming --shard', () => {
    assert.throws(() => shardOf('2/2', {}), usage(/^invalid --shard "2\/2": INDEX must be from 0 to 1/));
  });
  it('JOB_COMPLETION_INDEX with KUBEFEDCTL_SHARD_COUNT', () => {
    assert.deepEqual(shardOf(undefined, { JOB_COMPLETION_INDEX: '2', KUBEFEDCTL_SHARD_COUNT: '3' }), {
      index: 2,
      count: 3,
    });
  });
  it('KUBEFEDCTL_SHARD_INDEX (e.g. a CI matrix) before JOB_COMPLETION_INDEX', () => {
    assert.deepEqual(
      shardOf(undefined, { KUBEFEDCTL_SHARD_INDEX: '1', JOB_COMPLETION_INDEX: '2', KUBEFEDCTL_SHARD_COUNT: '3' }),
      { index: 1, count: 3 },
    );
  });
  it('no count, no sharding: every Indexed Job has an index', () => {
    assert.equal(shardOf(undefined, { JOB_COMPLETION_INDEX: '4' }), undefined);
    assert.equal(shardOf(undefined, {}), undefined);
    assert.equal(shardOf(undefined, { KUBEFEDCTL_SHARD_COUNT: '' }), undefined);
  });
  it('half a shard in the environment is a usage error naming the variables', () => {
    assert.throws(() => shardOf(undefined, { KUBEFEDCTL_SHARD_COUNT: '3' }), usage(/neither KUBEFEDCTL_SHARD_INDEX/));
    assert.throws(
      () => shardOf(undefined, { KUBEFEDCTL_SHARD_INDEX: '1' }),
      usage(/KUBEFEDCTL_SHARD_INDEX is set but KUBEFEDCTL_SHARD_COUNT is not/),
    );
  });
  it('bad values from the environment name the variable they came from', () => {
    assert.throws(
      () => shardOf(undefined, { JOB_COMPLETION_INDEX: '3', KUBEFEDCTL_SHARD_COUNT: '3' }),
      usage(/JOB_COMPLETION_INDEX="3", KUBEFEDCTL_SHARD_COUNT="3"\): INDEX must be from 0 to 2/),
    );
    assert.throws(
      () => shardOf(undefined, { KUBEFEDCTL_SHARD_INDEX: 'x', KUBEFEDCTL_SHARD_COUNT: '3' }),
      usage(/KUBEFEDCTL_SHARD_INDEX="x"/),
    );
  });
});

describe('--shard wiring (propagate and diff)', () => {
  async function parse(cmd: CommandUnknownOpts, argv: string[]): Promise<void> {
    cmd.exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} });
    await cmd.parseAsync(normaliseDryRunArgs(argv), { from: 'user' });
  }
  const ctx = (env: Record<string, string> = {}) => ({ io: { ...memoryIO(), env }, verbosity: () => 0 });
  it('propagate --shard 1/3 reaches the inventory request', async () => {
    const calls: PropagateCommandOptions[] = [];
    await parse(
      propagateCommand(ctx(), async () => ({ runPropagate: async (_c, o) => void calls.push(o) })),
      ['--shard', '1/3'],
    );
    assert.deepEqual(calls[0]?.request.shard, { index: 1, count: 3 });
  });
  it("diff takes the shard from the command's environment", async () => {
    const calls: DiffCommandOptions[] = [];
    await parse(
      diffCommand(ctx({ JOB_COMPLETION_INDEX: '0', KUBEFEDCTL_SHARD_COUNT: '2' }), async () => ({
        runDiff: async (_c, o) => void calls.push(o),
      })),
      [],
    );
    assert.deepEqual(calls[0]?.request.shard, { index: 0, count: 2 });
  });
  it('no shard: the request has none', async () => {
    const calls: PropagateCommandOptions[] = [];
    await parse(
      propagateCommand(ctx({ JOB_COMPLETION_INDEX: '0' }), async () => ({
        runPropagate: async (_c, o) => void calls.push(o),
      })),
      [],
    );
    assert.equal('shard' in (calls[0]?.request ?? {}), false);
  });
  it('a malformed --shard is refused before anything is loaded', async () => {
    await assert.rejects(
      parse(
        propagateCommand(ctx(), async () => assert.fail('loaded')),
        ['--shard', '3/3'],
      ),
      (e) => e instanceof UsageError && /invalid --shard "3\/3"/.test(e.message),
    );
  });
});

describe('mergeShardEntries: shards share status.clusters', () => {
  const NOW = new Date('2024-05-01T10:20:30Z');
  const fed = (status?: FederatedStatus): FederatedObject => ({
    apiVersion: 'types.kubefed.io/v1beta1',
    kind: 'FederatedConfigMap',
    metadata: { name: 'cm', namespace: 'ns', generation: 2 },
    spec: {},
    ...(status ? { status } : {}),
  });
  // cluster1, cluster2 -> shard 0; cluster3, cluster5 -> shard 1; cluster4, cluster6 -> shard 2 (of 3).
  const all = new Map([
    ['cluster1', ''],
    ['cluster2', 'CreationFailed'],
    ['cluster3', ''],
    ['cluster4', ''],
    ['cluster5', 'ClusterNotReady'],
    ['cluster6', ''],
  ]);
  const remote = new Map<string, unknown>([['cluster4', { replicas: 2 }]]);
  const ownPart = (shard: Shard) => ({
    clusters: new Map([...all].filter(([c]) => ownsCluster(shard, c))),
    remote: new Map([...remote].filter(([c]) => ownsCluster(shard, c))),
  });

  it("replaces the shard's own entries and keeps the others' as stored", () => {
    const stored = [
      { name: 'cluster1', status: 'UpdateFailed' },
      { name: 'cluster3', status: 'CreationFailed', remoteStatus: { a: 1 } },
      { name: 'cluster4' },
    ];
    const merged = mergeShardEntries(
      stored,
      { clusters: new Map([['cluster1', '']]), remote: new Map() },
      { index: 0, count: 3 },
    );
    assert.deepEqual(
      [...merged.clusters],
      [
        ['cluster3', 'CreationFailed'],
        ['cluster4', ''],
        ['cluster1', ''],
      ],
    );
    assert.deepEqual([...merged.remote], [['cluster3', { a: 1 }]]);
  });
  it('an own entry without a result this run is dropped (also a cluster that left the fleet)', () => {
    const merged = mergeShardEntries(
      [{ name: 'cluster2', status: 'CreationFailed' }, { name: 'cluster3' }],
      { clusters: new Map(), remote: new Map() },
      { index: 0, count: 3 },
    );
    assert.deepEqual([...merged.clusters.keys()], ['cluster3']);
  });
  it("never writes another shard's cluster, even if it has a result for it", () => {
    const merged = mergeShardEntries(
      [{ name: 'cluster3', status: 'CreationFailed' }],
      { clusters: new Map([['cluster3', '']]), remote: new Map() },
      { index: 0, count: 3 },
    );
    assert.deepEqual([...merged.clusters], [['cluster3', 'CreationFailed']]);
  });
  it('three shards writing in any order end with the status of one unsharded run', () => {
    const unsharded = computeStatus(fed(), '', all, NOW, remote).status;
    const orders = [
      [0, 1, 2],
      [2, 0, 1],
      [1, 2, 0],
    ];
    for (const order of orders) {
      // Start from an older status, as a later run would find it.
      let current = fed({ clusters: [{ name: 'cluster1', status: 'CreationFailed' }, { name: 'gone' }] });
      for (const index of order) {
        const shard = { index, count: 3 };
        const merged = mergeShardEntries(current.status?.clusters ?? [], ownPart(shard), shard);
        current = fed(computeStatus(current, '', merged.clusters, NOW, merged.remote).status);
      }
      assert.deepEqual(current.status, unsharded, `order ${order.join(',')}`);
      assert.equal(current.status?.conditions?.[0]?.reason, 'CheckClusters');
    }
  });
  it('a status already merged is unchanged: no write', () => {
    const stored = computeStatus(fed(), '', all, NOW, remote).status;
    const shard = { index: 1, count: 3 };
    const merged = mergeShardEntries(stored.clusters ?? [], ownPart(shard), shard);
    assert.equal(computeStatus(fed(stored), '', merged.clusters, NOW, merged.remote).changed, false);
  });
});
