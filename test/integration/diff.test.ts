// kubefedctl diff against real clusters: kubectl diff's exit codes, and Secret values never shown.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { SECRETS } from '../../src/api/resources.js';
import { admin, closeClients, kubefedctl, testClusters, uniqueName } from './harness.js';

describe('diff', () => {
  after(() => closeClients());
  const ns = uniqueName('diff');
  const dir = mkdtempSync(join(tmpdir(), 'kf-diff-'));
  const objects = join(dir, 'objects.yaml');
  const clusters = join(dir, 'clusters.yaml');
  writeFileSync(
    clusters,
    ['cluster2', 'cluster3']
      .map((c) =>
        stringify({
          apiVersion: 'core.kubefed.io/v1beta1',
          kind: 'KubeFedCluster',
          metadata: { name: c },
          spec: { kubeconfigContext: c },
        }),
      )
      .join('---\n'),
  );
  const write = (password: string) =>
    writeFileSync(
      objects,
      [
        {
          apiVersion: 'types.kubefed.io/v1beta1',
          kind: 'FederatedNamespace',
          metadata: { name: ns, namespace: ns },
          spec: { placement: { clusterSelector: {} } },
        },
        {
          apiVersion: 'types.kubefed.io/v1beta1',
          kind: 'FederatedSecret',
          metadata: { name: 'db', namespace: ns },
          spec: {
            template: { data: { password: Buffer.from(password).toString('base64') } },
            placement: { clusterSelector: {} },
          },
        },
      ]
        .map((d) => stringify(d))
        .join('---\n'),
    );
  const diff = () => kubefedctl(['diff', '-f', objects, '--clusters', clusters]);

  it('exit 1 with the changes before the first propagate, 0 after it', async () => {
    write('first-password');
    const before = await diff();
    assert.equal(before.code, 1, before.stderr);
    assert.match(before.stdout, new RegExp(`^\\+\\+\\+ cluster2/secret/${ns}/db \\(propagated\\)$`, 'm'));
    assert.doesNotMatch(before.stdout, new RegExp(Buffer.from('first-password').toString('base64')));
    assert.equal(await admin('cluster2').get(SECRETS, 'db', ns), undefined, 'diff writes nothing');
    assert.equal((await kubefedctl(['propagate', '-f', objects, '--clusters', clusters])).code, 0);
    const after = await diff();
    assert.equal(after.code, 0, after.stdout + after.stderr);
    assert.equal(after.stdout, '');
  });

  it('a changed Secret shows which key changed, not its values', async () => {
    write('second-password');
    const r = await diff();
    assert.equal(r.code, 1);
    assert.match(r.stdout, /-  password: "\*\*\* \(before\)"\n\+  password: "\*\*\* \(after\)"/);
    for (const secret of ['first-password', 'second-password'])
      assert.doesNotMatch(r.stdout, new RegExp(Buffer.from(secret).toString('base64')));
  });

  it('a member that cannot be compared makes exit 2, never "no differences"', async () => {
    const deadConfig = join(dir, 'dead-kubeconfig.yaml');
    writeFileSync(
      deadConfig,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'dead', cluster: { server: 'https://127.0.0.1:1', 'insecure-skip-tls-verify': true } }],
        users: [{ name: 'dead', user: { token: 'unused' } }],
        contexts: [{ name: 'dead', context: { cluster: 'dead', user: 'dead' } }],
      }),
    );
    const withDead = join(dir, 'clusters-with-dead.yaml');
    writeFileSync(
      withDead,
      `${stringify({ apiVersion: 'core.kubefed.io/v1beta1', kind: 'KubeFedCluster', metadata: { name: 'dead' }, spec: { kubeconfigContext: 'dead' } })}---\n${stringify({ apiVersion: 'core.kubefed.io/v1beta1', kind: 'KubeFedCluster', metadata: { name: 'cluster2' }, spec: { kubeconfigContext: 'cluster2' } })}`,
    );
    const r = await kubefedctl(['diff', '-f', objects, '--clusters', withDead], {
      env: { KUBECONFIG: `${testClusters().kubeconfig}:${deadConfig}` },
    });
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /dead: not ready, 2 object\(s\) not compared/);
    assert.match(r.stderr, /not everything in scope could be compared/);
    // What could be compared is still shown: the password changed by the test above, in cluster2 only.
    assert.match(r.stdout, new RegExp(`^\\+\\+\\+ cluster2/secret/${ns}/db \\(propagated\\)$`, 'm'));
    assert.doesNotMatch(r.stdout, /dead\//);
  });

  it('an error exits 2, as kubectl diff does', async () => {
    const r = await kubefedctl(['diff', '-f', join(dir, 'missing.yaml'), '--clusters', clusters]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /missing\.yaml: no such file or directory/);
  });
});
