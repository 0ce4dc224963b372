// Run records (ADR 0007) against three real clusters: a clean `propagate -f` is recorded, the next
// run of the same input replays it after reading only, and any change to the input, the clusters
// file or a member object (an edit, a deletion) makes the next run a full one that finds it.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { stringify } from 'yaml';
import type { KubeObject } from '../../src/api/objects.js';
import { CONFIG_MAPS, DEPLOYMENTS, NAMESPACES } from '../../src/api/resources.js';
import {
  admin,
  closeClients,
  deploymentTemplate,
  deleteNamespaces,
  editor,
  propagateJson,
  uniqueName,
  writeClustersFile,
  type PropagationReport,
} from './harness.js';

const MEMBERS = ['cluster1', 'cluster2', 'cluster3'];

function input(ns: string, opts: { currency?: string } = {}): string {
  const placement = { clusters: MEMBERS.map((name) => ({ name })) };
  return [
    {
      apiVersion: 'types.kubefed.io/v1beta1',
      kind: 'FederatedNamespace',
      metadata: { name: ns, namespace: ns },
      spec: { placement },
    },
    {
      apiVersion: 'types.kubefed.io/v1beta1',
      kind: 'FederatedConfigMap',
      metadata: { name: 'settings', namespace: ns },
      spec: {
        placement,
        template: { data: { currency: opts.currency ?? 'EUR', level: 'info' } },
        overrides: [{ clusterName: 'cluster2', clusterOverrides: [{ path: '/data/level', value: 'debug' }] }],
      },
    },
    {
      apiVersion: 'types.kubefed.io/v1beta1',
      kind: 'FederatedDeployment',
      metadata: { name: 'web', namespace: ns },
      spec: { placement, template: deploymentTemplate('web') },
    },
  ]
    .map((d) => stringify(d))
    .join('---\n');
}

/** What a report says about the members, without the requests (which a replay makes fewer of). */
function outcomes(report: PropagationReport): unknown {
  return {
    summary: report.summary,
    resources: report.resources,
    clusters: report.clusters.map(({ requests: _, ...c }) => c),
  };
}

const methods = (report: PropagationReport) => [...new Set(report.clusters.flatMap((c) => Object.keys(c.requests)))];

describe('run records', () => {
  const namespaces: string[] = [];
  after(async () => {
    await deleteNamespaces(MEMBERS, namespaces);
    closeClients();
  });

  it('a clean run is recorded and replayed; edits, deletions and input changes are found', async () => {
    const ns = uniqueName('rr');
    namespaces.push(ns);
    const dir = mkdtempSync(join(tmpdir(), 'kf-rr-'));
    const cache = join(dir, 'cache');
    const file = join(dir, 'app.yaml');
    writeFileSync(file, input(ns));
    const clusters = writeClustersFile(MEMBERS, { cluster2: { tier: 'staging' } });
    const env = { KUBECACHEDIR: cache };
    const run = (extra: string[] = []) =>
      propagateJson(['-f', file, '--clusters', clusters, '-v=1', ...extra], { env });
    const replayed = (r: { stderr: string }) => /nothing to do/.test(r.stderr);
    const records = () => (existsSync(join(cache, 'kubefedctl')) ? readdirSync(join(cache, 'kubefedctl')) : []);

    // 1. Creates: not recorded (the next run may see controllers' changes).
    const created = await run();
    assert.equal(created.code, 0, created.stderr);
    assert.equal(created.report.summary['created'], 9);
    assert.match(created.stderr, /not recorded: it did not find every object unchanged \(9 created\)/);
    assert.deepEqual(records(), []);

    // 2. A full no-op: recorded. 3. The same input again: replayed, with reads only, and fewer.
    const full = await run();
    assert.equal(full.code, 0, full.stderr);
    assert.equal(full.report.summary['unchanged'], 9);
    assert.ok(!replayed(full), full.stderr);
    assert.equal(records().length, 1);
    const replay = await run();
    assert.equal(replay.code, 0, replay.stderr);
    assert.ok(replayed(replay), replay.stderr);
    assert.deepEqual(outcomes(replay.report), outcomes(full.report));
    assert.deepEqual(methods(replay.report), ['GET']);
    const gets = (r: PropagationReport) => r.clusters.reduce((n, c) => n + (c.requests['GET'] ?? 0), 0);
    assert.ok(gets(replay.report) < gets(full.report), `${gets(replay.report)} GETs against ${gets(full.report)}`);
    // A dry run may replay too, and leaves the record as it is.
    const dry = await run(['--dry-run=server']);
    assert.ok(replayed(dry), dry.stderr);
    assert.equal(records().length, 1);

    // The check's lists (protobuf) say what the JSON metadata lists say.
    for (const type of [CONFIG_MAPS, DEPLOYMENTS, NAMESPACES]) {
      const query = { ...(type.namespaced ? { namespace: ns } : {}), labelSelector: 'kubefed.io/managed' };
      const [versions, metadata] = await Promise.all([
        admin('cluster2').listVersions(type, query),
        admin('cluster2').listMetadata(type, query),
      ]);
      const fromJson = metadata.items.map(({ metadata: m }) => ({
        uid: m.uid,
        resourceVersion: m.resourceVersion,
      }));
      assert.ok(versions.items.length > 0, type.plural);
      assert.deepEqual(versions.items, fromJson, type.plural);
    }

    // 4. A hand edit of a field we set, in one member: found and undone, then recorded again.
    await editor('cluster2').mergePatch(CONFIG_MAPS, 'settings', ns, { data: { currency: 'USD' } });
    const afterEdit = await run();
    assert.ok(!replayed(afterEdit), afterEdit.stderr);
    assert.match(afterEdit.stderr, /no longer holds \(cluster2: configmaps changed\)/);
    assert.equal(afterEdit.report.summary['updated'], 1);
    const cm = await admin('cluster2').get<KubeObject>(CONFIG_MAPS, 'settings', ns);
    assert.deepEqual(cm?.['data'], { currency: 'EUR', level: 'debug' });
    assert.deepEqual(records(), [], 'a run that wrote removes the stale record');
    assert.ok(!replayed(await run()));
    assert.ok(replayed(await run()));

    // 5. A member object deleted: found and created again.
    await admin('cluster3').delete(CONFIG_MAPS, 'settings', ns);
    const afterDelete = await run();
    assert.ok(!replayed(afterDelete), afterDelete.stderr);
    assert.equal(afterDelete.report.summary['created'], 1);
    assert.ok(await admin('cluster3').get(CONFIG_MAPS, 'settings', ns));
    assert.ok(!replayed(await run()));
    assert.ok(replayed(await run()));

    // 6. The input changed: a full run, whose record is then of the new input.
    writeFileSync(file, input(ns, { currency: 'CHF' }));
    const changed = await run();
    assert.ok(!replayed(changed), changed.stderr);
    assert.equal(changed.report.summary['updated'], 3);
    assert.ok(!replayed(await run()));
    assert.ok(replayed(await run()));

    // 7. The clusters file changed (a label): a full run, not a replay.
    writeFileSync(
      clusters,
      MEMBERS.map((name) =>
        stringify({
          apiVersion: 'core.kubefed.io/v1beta1',
          kind: 'KubeFedCluster',
          metadata: { name, labels: { tier: name === 'cluster2' ? 'dev' : 'prod' } },
          spec: { kubeconfigContext: name },
        }),
      ).join('---\n'),
    );
    const relabelled = await run();
    assert.ok(!replayed(relabelled), relabelled.stderr);
    assert.equal(relabelled.report.summary['unchanged'], 9);

    // 8. --cache-dir "" keeps no record and replays none.
    const off = join(dir, 'off');
    const noRecords = await propagateJson(['-f', file, '--clusters', clusters, '-v=1', '--cache-dir', ''], {
      env: { KUBECACHEDIR: off },
    });
    assert.ok(!replayed(noRecords), noRecords.stderr);
    assert.equal(existsSync(off), false);
  });
});
