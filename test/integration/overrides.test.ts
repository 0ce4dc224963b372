// Overrides with evanphx/json-patch v4's rules, against real clusters (file mode): a `replace` of a
// member the template does not have sets it, and the managed label is still added afterwards.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { stringify } from 'yaml';
import type { KubeObject } from '../../src/api/objects.js';
import { CONFIG_MAPS } from '../../src/api/resources.js';
import { admin, closeClients, deleteNamespaces, propagateJson, uniqueName, writeClustersFile } from './harness.js';

const MEMBERS = ['cluster1', 'cluster2'];
const TYPES_API = 'types.kubefed.io/v1beta1';

const namespaces: string[] = [];
after(async () => {
  await deleteNamespaces(MEMBERS, namespaces);
  closeClients();
});

describe('overrides against real clusters', () => {
  it('replace of /metadata/labels and /data/extra on a template without them propagates, managed label kept', async () => {
    const ns = uniqueName('overrides');
    namespaces.push(ns);
    const dir = mkdtempSync(join(tmpdir(), 'kf-overrides-'));
    const objects = join(dir, 'objects.yaml');
    const docs = [
      {
        apiVersion: TYPES_API,
        kind: 'FederatedNamespace',
        metadata: { name: ns, namespace: ns },
        spec: { placement: { clusterSelector: {} } },
      },
      {
        apiVersion: TYPES_API,
        kind: 'FederatedConfigMap',
        metadata: { name: 'settings', namespace: ns },
        spec: {
          template: { data: { a: '1' } },
          placement: { clusterSelector: {} },
          overrides: [
            {
              clusterName: 'cluster2',
              clusterOverrides: [
                { path: '/metadata/labels', value: { tier: 'edge' } },
                { op: 'replace', path: '/data/extra', value: '2' },
              ],
            },
          ],
        },
      },
    ];
    writeFileSync(objects, docs.map((d) => stringify(d)).join('---\n'));
    const clusters = writeClustersFile(MEMBERS);

    const run = await propagateJson(['-f', objects, '--clusters', clusters]);
    assert.equal(run.code, 0, JSON.stringify(run.report.resources));
    const plain = await admin('cluster1').get<KubeObject>(CONFIG_MAPS, 'settings', ns);
    assert.deepEqual(plain?.metadata.labels, { 'kubefed.io/managed': 'true' });
    assert.deepEqual(plain?.['data'], { a: '1' });
    const overridden = await admin('cluster2').get<KubeObject>(CONFIG_MAPS, 'settings', ns);
    assert.deepEqual(overridden?.metadata.labels, { tier: 'edge', 'kubefed.io/managed': 'true' });
    assert.deepEqual(overridden?.['data'], { a: '1', extra: '2' });

    const again = await propagateJson(['-f', objects, '--clusters', clusters]);
    assert.equal(again.code, 0, JSON.stringify(again.report.resources));
    const writes = again.report.clusters.flatMap((c) => Object.entries(c.requests).filter(([m]) => m !== 'GET'));
    assert.deepEqual(writes, [], 'a second run writes nothing');
  });
});
