// Run records (ADR 0007): the digests, when a run may be recorded, the replayed report, the
// record files, and the check against fake members (every reason it gives). The check against
// real members is in test/integration/run-record.test.ts.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { summarise, type PropagateReport } from '../../src/engine/propagate.js';
import { readRecord, recordFile, removeRecord, whyRecordStale, writeRecord } from '../../src/engine/run-cache.js';
import { FakeCluster } from '../fakes/cluster-client.js';
import {
  inputDigest,
  objectsDigest,
  RECORD_FORMAT,
  recordedLists,
  replayReport,
  whyNotRecordable,
  type DigestInput,
  type RecordingRun,
  type RunRecord,
} from '../../src/engine/run-record.js';
import type { FederatedTypeConfig } from '../../src/federation/typeconfig.js';

const meta = (uid: string, resourceVersion: string) => ({ metadata: { uid, resourceVersion } });

const digestInput = (over: Partial<DigestInput> = {}): DigestInput => ({
  build: '0.1.0 1234 5678',
  options: { filenames: ['app.yaml'], types: [] },
  inputs: [{ file: 'app.yaml', content: Buffer.from('kind: FederatedConfigMap\n') }],
  clusterDocs: [{ metadata: { name: 'c1', labels: { tier: 'prod' } }, spec: { kubeconfigContext: 'c1' } }],
  known: [],
  hostSettings: {},
  ...over,
});

function cleanReport(over: Partial<PropagateReport> = {}): PropagateReport {
  const resources: PropagateReport['resources'] = [
    {
      type: 'configmaps',
      kind: 'FederatedConfigMap',
      namespace: 'shop',
      name: 'settings',
      target: 'shop/settings',
      reason: 'OK',
      clusters: [{ cluster: 'c1', action: 'none', outcome: 'unchanged', status: '' }],
      warnings: [],
    },
  ];
  return {
    mode: 'file',
    dryRun: 'none',
    clusters: [{ name: 'c1', ready: true, unreachable: false, notPropagated: 0, requests: { GET: 7 } }],
    resources,
    strays: [],
    summary: summarise(resources, []),
    hostWrites: 0,
    scheduling: [],
    dns: [],
    failed: false,
    ...over,
  };
}

const run = (over: Partial<RecordingRun> = {}): RecordingRun => ({
  persists: true,
  collectStatus: false,
  warnings: 0,
  ...over,
});

describe('run record digests', () => {
  it('objectsDigest: uid and resourceVersion, in any order', () => {
    const a = objectsDigest([meta('u1', '10'), meta('u2', '11')]);
    assert.equal(objectsDigest([meta('u2', '11'), meta('u1', '10')]), a);
    assert.notEqual(objectsDigest([meta('u1', '10'), meta('u2', '12')]), a, 'a write changes the version');
    assert.notEqual(objectsDigest([meta('u1', '10'), meta('u3', '11')]), a, 'an object made again has a new uid');
    assert.notEqual(objectsDigest([meta('u1', '10')]), a, 'an object gone');
  });

  it('inputDigest changes with every input, option, cluster and host setting, and the build', () => {
    const base = inputDigest(digestInput());
    assert.equal(inputDigest(digestInput()), base);
    const changed: Partial<DigestInput>[] = [
      { build: '0.1.0 1234 9999' },
      { options: { filenames: ['app.yaml'], types: ['configmaps'] } },
      { inputs: [{ file: 'app.yaml', content: Buffer.from('kind: FederatedConfigMap\n\n') }] },
      { inputs: [{ file: 'other.yaml', content: Buffer.from('kind: FederatedConfigMap\n') }] },
      {
        inputs: [
          { file: 'app.yaml', content: Buffer.from('kind: FederatedConfigMap\n') },
          { file: 'b.yaml', content: '' },
        ],
      },
      { clusterDocs: [{ metadata: { name: 'c1', labels: { tier: 'dev' } }, spec: { kubeconfigContext: 'c1' } }] },
      { clusterDocs: [{ metadata: { name: 'c1', labels: { tier: 'prod' } }, spec: { kubeconfigContext: 'c2' } }] },
      { known: [{ metadata: { name: 'configmaps' }, spec: {} } as unknown as FederatedTypeConfig] },
      { hostSettings: { adopt: true } },
    ];
    for (const over of changed) assert.notEqual(inputDigest(digestInput(over)), base, JSON.stringify(over));
  });

  it("inputDigest ignores a KubeFedCluster's status, which the host's health check rewrites", () => {
    const doc = { metadata: { name: 'c1', labels: { tier: 'prod' } }, spec: { kubeconfigContext: 'c1' } };
    assert.equal(
      inputDigest(digestInput({ clusterDocs: [{ ...doc, status: { conditions: [{ lastProbeTime: 'now' }] } }] })),
      inputDigest(digestInput({ clusterDocs: [doc] })),
    );
  });

  it('a file boundary is part of the digest: the same bytes split differently differ', () => {
    const one = digestInput({ inputs: [{ file: 'a', content: 'xy' }] });
    const two = digestInput({
      inputs: [
        { file: 'a', content: 'x' },
        { file: 'a', content: 'y' },
      ],
    });
    assert.notEqual(inputDigest(one), inputDigest(two));
  });

  it('recordedLists: one digest per type and cluster, with the namespaces listed', () => {
    const type = { group: '', version: 'v1', plural: 'configmaps', kind: 'ConfigMap', namespaced: true };
    const lists = recordedLists([{ cluster: 'c1', type, scopes: ['shop', undefined], objects: [meta('u1', '1')] }]);
    assert.deepEqual(lists, [
      { cluster: 'c1', type, scopes: ['shop', null], digest: objectsDigest([meta('u1', '1')]) },
    ]);
  });
});

describe('which runs are recorded', () => {
  it('a clean run is', () => {
    assert.equal(whyNotRecordable(cleanReport(), run()), undefined);
  });

  it('a run that wrote, failed, warned or left something out is not', () => {
    const cases: [PropagateReport, RecordingRun, RegExp][] = [
      [cleanReport(), run({ persists: false }), /dry run/],
      [cleanReport(), run({ waitMs: 0 }), /--wait/],
      [cleanReport(), run({ applySet: {} }), /ApplySet/],
      [cleanReport(), run({ collectStatus: true }), /--collect-status/],
      [cleanReport(), run({ warnings: 1 }), /warnings were printed/],
      [cleanReport({ failed: true }), run(), /failed/],
      [
        cleanReport({ summary: { ...cleanReport().summary, unchanged: 0, created: 2 } }),
        run(),
        /did not find every object unchanged \(2 created\)/,
      ],
      [
        cleanReport({ strays: [{ type: 'configmaps', cluster: 'c1', name: 'x', outcome: 'deleted' }] }),
        run(),
        /managed objects/,
      ],
      [cleanReport({ hostWrites: 1 }), run(), /host/],
      [cleanReport({ scheduling: [{ rsp: 'x' } as never] }), run(), /replica scheduling/],
      [cleanReport({ dns: [{ record: 'x' } as never] }), run(), /DNS/],
      [
        cleanReport({
          clusters: [{ name: 'c1', ready: false, unreachable: false, notPropagated: 0, requests: {} }],
        }),
        run(),
        /not ready/,
      ],
      [cleanReport({ resources: [{ ...cleanReport().resources[0]!, warnings: ['careful'] }] }), run(), /warnings/],
    ];
    for (const [report, r, why] of cases) assert.match(whyNotRecordable(report, r) ?? '', why);
  });
});

describe('replaying a record', () => {
  it("is the recorded report with this run's dry-run mode and request counts", () => {
    const report = cleanReport();
    const record: RunRecord = {
      format: RECORD_FORMAT,
      input: 'x',
      clusters: ['c1'],
      openapi: {},
      lists: [],
      refs: { configmaps: 'configmap' },
      report,
    };
    const replayed = replayReport(record, { dryRun: 'server', requests: new Map([['c1', { GET: 3 }]]) });
    assert.deepEqual(replayed, {
      ...report,
      dryRun: 'server',
      clusters: [{ ...report.clusters[0]!, requests: { GET: 3 } }],
    });
    assert.deepEqual(report.clusters[0]!.requests, { GET: 7 }, 'the record is not changed');
  });
});

describe('record files', () => {
  const record: RunRecord = {
    format: RECORD_FORMAT,
    input: 'abc',
    clusters: ['c1'],
    openapi: { c1: { v1: '/openapi/v3/api/v1?hash=1' } },
    lists: [],
    refs: {},
    report: cleanReport(),
  };

  it('one file per invocation, owner-only, replaced whole, and removed', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'kf-records-')), 'kubefedctl');
    const file = recordFile(dir, { cwd: '/a', request: { filenames: ['x.yaml'] } });
    assert.equal(recordFile(dir, { cwd: '/a', request: { filenames: ['x.yaml'] } }), file);
    assert.notEqual(recordFile(dir, { cwd: '/b', request: { filenames: ['x.yaml'] } }), file);
    assert.equal(readRecord(file), undefined, 'none yet');
    assert.equal(writeRecord(file, record), undefined);
    assert.deepEqual(readRecord(file), record);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.equal(writeRecord(file, { ...record, input: 'def' }), undefined);
    assert.equal(readRecord(file)?.input, 'def');
    assert.deepEqual(readdirSync(dir), [file.slice(dir.length + 1)], 'no temporary file left');
    removeRecord(file);
    assert.equal(readRecord(file), undefined);
    removeRecord(file);
  });

  it('an unreadable record, or one of another format, is no record', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kf-records-'));
    const file = join(dir, 'r.json');
    writeFileSync(file, '{"format": 1, "input": ');
    assert.equal(readRecord(file), undefined);
    writeFileSync(file, JSON.stringify({ ...record, format: RECORD_FORMAT + 1 }));
    assert.equal(readRecord(file), undefined);
  });

  it('a record that cannot be written is reported, not thrown', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kf-records-'));
    const blocker = join(dir, 'file');
    writeFileSync(blocker, '');
    const problem = writeRecord(join(blocker, 'kubefedctl', 'r.json'), record);
    assert.match(problem ?? '', /cannot write .*r\.json/);
  });
});

describe('checking a record against the members (whyRecordStale, with fake members)', () => {
  const CM = { group: '', version: 'v1', plural: 'configmaps', kind: 'ConfigMap', namespaced: true };
  const managed = (name: string, uid: string, resourceVersion: string) => ({
    type: CM,
    object: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace: 'shop', uid, resourceVersion, labels: { 'kubefed.io/managed': 'true' } },
    },
  });
  const index = (hash: string) =>
    JSON.stringify({ paths: { 'api/v1': { serverRelativeURL: `/openapi/v3/api/v1?hash=${hash}` } } });
  const member = (objects = [managed('a', 'u1', '10'), managed('b', 'u2', '11')], hash = 'H1') => {
    const fake = new FakeCluster('c1', ['listVersions', 'raw'], objects);
    fake.rawAnswers.set('/openapi/v3', { statusCode: 200, body: index(hash) });
    return fake;
  };
  const record: RunRecord = {
    format: RECORD_FORMAT,
    input: 'x',
    clusters: ['c1'],
    openapi: { c1: { v1: '/openapi/v3/api/v1?hash=H1' } },
    lists: [
      {
        cluster: 'c1',
        type: CM,
        scopes: ['shop'],
        digest: objectsDigest([meta('u1', '10'), meta('u2', '11')]),
      },
    ],
    refs: {},
    report: cleanReport(),
  };
  const check = (client: FakeCluster | undefined, opts: { name?: string; ready?: boolean } = {}) =>
    whyRecordStale(record, [{ name: opts.name ?? 'c1', ready: opts.ready ?? true, ...(client ? { client } : {}) }]);

  it('holds when the clusters, the OpenAPI documents and every list are as recorded', async () => {
    const fake = member();
    assert.equal(await check(fake), undefined);
    assert.deepEqual(fake.targets('listVersions'), ['configmaps/shop']);
    assert.deepEqual(fake.targets('raw'), ['/openapi/v3']);
  });

  it('says why it no longer holds', async () => {
    assert.equal(await check(member(), { name: 'c2' }), 'the member clusters differ');
    assert.equal(await check(member(), { ready: false }), 'cluster c1 is not ready');
    assert.equal(await check(member([managed('a', 'u1', '10'), managed('b', 'u2', '12')])), 'c1: configmaps changed');
    assert.equal(await check(member([managed('a', 'u1', '10'), managed('b', 'u3', '11')])), 'c1: configmaps changed');
    assert.equal(await check(member([managed('a', 'u1', '10')])), 'c1: configmaps changed');
    assert.equal(
      await check(member([managed('a', 'u1', '10'), managed('b', 'u2', '11'), managed('c', 'u4', '13')])),
      'c1: configmaps changed',
    );
    assert.equal(await check(member(undefined, 'H2')), 'c1: the OpenAPI schema of v1 changed');
    const broken = member();
    broken.rawAnswers.set('/openapi/v3', { statusCode: 503, body: '' });
    assert.equal(await check(broken), 'c1: /openapi/v3 answered 503');
    const unlistable = new FakeCluster('c1', ['raw'], []);
    unlistable.rawAnswers.set('/openapi/v3', { statusCode: 200, body: index('H1') });
    assert.match((await check(unlistable)) ?? '', /^c1: cannot list configmaps \(c1: unexpected listVersions/);
    const elsewhere = { ...record, lists: [...record.lists, { ...record.lists[0]!, cluster: 'c9' }] };
    assert.equal(
      await whyRecordStale(elsewhere, [{ name: 'c1', ready: true, client: member() }]),
      'cluster c9 is not a member any more',
    );
  });

  it('asks each member at most two things at a time: each more would open a TLS connection', async () => {
    const fake = member();
    let inFlight = 0;
    let most = 0;
    const slowly =
      <A extends unknown[], T>(f: (...args: A) => Promise<T>) =>
      async (...args: A): Promise<T> => {
        most = Math.max(most, ++inFlight);
        await new Promise((r) => setTimeout(r, 5));
        try {
          return await f(...args);
        } finally {
          inFlight--;
        }
      };
    fake.listVersions = slowly(fake.listVersions.bind(fake));
    fake.raw = slowly(fake.raw.bind(fake));
    const empty = objectsDigest([]);
    const more = ['cart', 'pay', 'ship'].map((ns) => ({ cluster: 'c1', type: CM, scopes: [ns], digest: empty }));
    assert.equal(
      await whyRecordStale({ ...record, lists: [...record.lists, ...more] }, [
        { name: 'c1', ready: true, client: fake },
      ]),
      undefined,
    );
    assert.equal(fake.targets('listVersions').length, 4);
    assert.equal(most, 2);
  });
});
