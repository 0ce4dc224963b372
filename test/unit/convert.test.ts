// `kubefedctl convert` both ways, through the real CLI: the KubeFed examples as plain manifests and
// policies render exactly as the Federated<Kind> objects do, and so does converting them back; the
// plain-manifest example turned into Federated<Kind> objects renders as the plain one.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli } from '../cli.js';
import { parseAllDocuments } from 'yaml';

const CLUSTERS = ['--clusters', 'examples/clusters.yaml'];

const run = (args: string[], stdin = '') => runCli(args, { stdin });

async function render(args: string[], stdin?: string): Promise<unknown> {
  const r = await run(['render', ...args, ...CLUSTERS, '-o', 'json'], stdin);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

const kinds = (yaml: string) => parseAllDocuments(yaml).map((d) => (d.toJS() as { kind: string }).kind);

describe('convert', () => {
  it('--to policy: plain objects and PropagationPolicies that render as the Federated<Kind> objects did', async () => {
    const plain = await run(['convert', '-f', 'examples/federated', '--to', 'policy']);
    assert.equal(plain.code, 0, plain.stderr);
    const found = kinds(plain.stdout);
    assert.ok(!found.some((k) => k.startsWith('Federated')), found.join(', '));
    assert.ok(found.includes('PropagationPolicy') && found.includes('ClusterPropagationPolicy'), found.join(', '));
    assert.deepEqual(await render(['-f', '-'], plain.stdout), await render(['-f', 'examples/federated']));

    const back = await run(['convert', '-f', '-', '--to', 'federated', ...CLUSTERS], plain.stdout);
    assert.equal(back.code, 0, back.stderr);
    assert.ok(
      kinds(back.stdout).every((k) => k.startsWith('Federated')),
      kinds(back.stdout).join(', '),
    );
    assert.deepEqual(await render(['-f', '-'], back.stdout), await render(['-f', 'examples/federated']));
  });

  it('--to federated: the plain-manifest example as Federated<Kind> objects renders the same', async () => {
    const fed = await run(['convert', '-f', 'examples/policy', '--to', 'federated', ...CLUSTERS]);
    assert.equal(fed.code, 0, fed.stderr);
    const found = kinds(fed.stdout);
    assert.ok(found.includes('FederatedDeployment') && found.includes('FederatedNamespace'), found.join(', '));
    assert.ok(found.includes('PlacementPolicy'), 'PlacementPolicies are kept: they still apply');
    assert.deepEqual(await render(['-f', '-'], fed.stdout), await render(['-f', 'examples/policy']));
  });

  it('--to federated needs --clusters', async () => {
    const r = await run(['convert', '-f', 'examples/policy', '--to', 'federated']);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /--to federated needs --clusters/);
  });

  it('invalid input is refused before anything is printed', async () => {
    const r = await run(
      ['convert', '-f', '-', '--to', 'federated', ...CLUSTERS],
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n',
    );
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /ConfigMap default\/x: no PropagationPolicy or ClusterPropagationPolicy selects it/);
  });
});
