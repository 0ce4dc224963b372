// propagate -f as a GitHub Actions step against the real clusters: the -o json report stays the
// only thing on stdout, a conflict becomes an ::error annotation on the line of the input it came
// from, and the Markdown summary is appended to $GITHUB_STEP_SUMMARY.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { MANAGED_LABEL } from '../../src/api/kubefed.js';
import { CONFIG_MAPS, NAMESPACES } from '../../src/api/resources.js';
import { EXIT } from '../../src/exit-codes.js';
import { admin, closeClients, deleteNamespaces, propagateJson, uniqueName, writeClustersFile } from './harness.js';

const MEMBERS = ['cluster1', 'cluster2'];

describe('propagate under GitHub Actions', () => {
  const ns = uniqueName('gha');
  after(async () => {
    await deleteNamespaces(MEMBERS, [ns]);
    closeClients();
  });

  it('a conflict is an ::error on its input line, and the step summary is appended', async () => {
    // cluster2 already has an unmanaged ConfigMap of the same name: a conflict there, a create in cluster1.
    // The namespace carries the managed label, so that only the ConfigMap conflicts.
    await admin('cluster2').create(NAMESPACES, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: ns, labels: { [MANAGED_LABEL]: 'true' } },
    });
    await admin('cluster2').create(CONFIG_MAPS, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: ns },
      data: { owner: 'someone else' },
    });
    const dir = mkdtempSync(join(tmpdir(), 'kf-gha-'));
    const namespaceDoc = stringify({
      apiVersion: 'types.kubefed.io/v1beta1',
      kind: 'FederatedNamespace',
      metadata: { name: ns, namespace: ns },
      spec: { placement: { clusterSelector: {} } },
    });
    const configMapDoc = stringify({
      apiVersion: 'types.kubefed.io/v1beta1',
      kind: 'FederatedConfigMap',
      metadata: { name: 'settings', namespace: ns },
      spec: { template: { data: { a: 'b' } }, placement: { clusterSelector: {} } },
    });
    writeFileSync(join(dir, 'objects.yaml'), `${namespaceDoc}---\n${configMapDoc}`);
    const configMapLine = namespaceDoc.split('\n').length + 1; // after the namespace's lines and the ---
    const summary = join(dir, 'summary.md');
    writeFileSync(summary, '## an earlier step\n\n');

    const run = await propagateJson(['-f', join(dir, 'objects.yaml'), '--clusters', writeClustersFile(MEMBERS)], {
      env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary, GITHUB_WORKSPACE: dir },
    });
    assert.equal(run.code, EXIT.partial, run.stderr);
    const annotations = run.stderr.split('\n').filter((l) => l.startsWith('::'));
    assert.deepEqual(annotations, [
      `::error file=objects.yaml,line=${configMapLine},title=conflict (AlreadyExists)::cluster cluster2: FederatedConfigMap ${ns}/settings: an object of this name exists and is not managed by KubeFed; it was left untouched (adopt it with --adopt or adoptResources: Enabled)`,
    ]);

    const md = readFileSync(summary, 'utf8');
    assert.ok(md.startsWith('## an earlier step\n\n### kubefedctl propagate\n'), 'appended, not truncated');
    const lines = md.split('\n');
    assert.ok(lines.includes('Dry run: no: the changes were made. Mode: files (-f).'), md);
    assert.ok(lines.includes('| cluster1 | ready | 2 | 0 | 0 | 0 | 0 | 0 | 0 |'), md);
    // cluster2: the namespace is taken over as it is found, so only the conflict and skipped counts are pinned.
    const row2 = lines.find((l) => l.startsWith('| cluster2 | ready |'));
    assert.ok(row2?.endsWith('| 1 | 0 |'), md);
    assert.ok(
      lines.includes(
        `| cluster2 | configmap/${ns}/settings | conflict (AlreadyExists) | an object of this name exists and is not managed by KubeFed; it was left untouched (adopt it with --adopt or adoptResources: Enabled) |`,
      ),
      md,
    );
  });
});
