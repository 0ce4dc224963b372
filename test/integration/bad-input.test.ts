// Bad input to join / unjoin / init: a clear one-line error, exit 1, and nothing created.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { KUBEFED_CLUSTERS, SECRETS, SERVICE_ACCOUNTS } from '../../src/api/resources.js';
import { admin, closeClients, kubeconfigWithDeadCluster, kubefedctl, writeKubeconfig } from './harness.js';

const NS = 'kube-federation-system';
const HOST = 'cluster1';

/** Host Secrets and KubeFedClusters, to prove a failed command left nothing behind. */
async function hostState(): Promise<string[]> {
  const host = admin(HOST);
  const clusters = await host.list(KUBEFED_CLUSTERS, { namespace: NS });
  const secrets = await host.list(SECRETS, { namespace: NS });
  return [
    ...clusters.items.map((c) => `kfc/${c.metadata.name}`),
    ...secrets.items.map((s) => `secret/${s.metadata.name}`),
  ].sort();
}

describe('bad input is refused clearly and creates nothing', () => {
  let state: string[];
  before(async () => {
    assert.equal((await kubefedctl(['init', '--host-cluster-context', HOST])).code, 0);
    state = await hostState();
  });
  after(() => closeClients());

  it('an unknown member context', async () => {
    const r = await kubefedctl(['join', 'cluster2', '--cluster-context', 'nope', '--host-cluster-context', HOST]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: context "nope" not found in kubeconfig/m);
    assert.match(r.stderr, /known contexts: cluster1, cluster2, cluster3/);
    assert.deepEqual(await hostState(), state);
  });

  it('an unknown host context', async () => {
    const r = await kubefedctl(['join', 'cluster2', '--host-cluster-context', 'nope']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /context "nope" not found/);
  });

  it('a malformed kubeconfig names the file and the line', async () => {
    const path = writeKubeconfig({});
    writeFileSync(path, 'apiVersion: v1\nclusters:\n  - name: a\n    cluster: {server: [unclosed\n');
    const r = await kubefedctl(['join', 'cluster2', '--kubeconfig', path]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`error: kubeconfig ${path}:\\d+ is not valid YAML`));
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  });

  it('a kubeconfig with a wrongly typed field names the field', async () => {
    const path = writeKubeconfig({
      clusters: [{ name: 'a', cluster: { server: 6443 } }],
      contexts: [{ name: 'a', context: { cluster: 'a' } }],
    });
    const r = await kubefedctl(['init', '--kubeconfig', path]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /clusters\[0\]\.cluster\.server: must be a non-empty string/);
  });

  it('an unreachable member fails before anything is written', async () => {
    const r = await kubefedctl(
      ['join', 'dead', '--cluster-context', 'dead', '--host-cluster-context', HOST, '--request-timeout', '5s'],
      { env: { KUBECONFIG: kubeconfigWithDeadCluster() } },
    );
    assert.equal(r.code, 1);
    assert.match(r.stderr, /error: dead: cannot reach https:\/\/127\.0\.0\.1:1/);
    assert.match(r.stderr, /hint: is the cluster running/);
    assert.deepEqual(await hostState(), state);
  });

  it('a host without the KubeFed API points to kubefedctl init', async () => {
    const r = await kubefedctl(['join', 'cluster3', '--host-cluster-context', 'cluster2']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /the KubeFed API is not installed there/);
    assert.match(r.stderr, /hint: run 'kubefedctl init --host-cluster-context cluster2' first/);
    assert.equal(await admin('cluster3').get(SERVICE_ACCOUNTS, 'cluster3-cluster2', NS), undefined);
  });

  it('invalid names are refused before any request', async () => {
    for (const args of [
      ['join', 'Bad_Name'],
      ['join', 'cluster2', '--secret-name', 'UPPER'],
      ['unjoin', 'x.'],
    ]) {
      const r = await kubefedctl([...args, '--host-cluster-context', HOST]);
      assert.equal(r.code, 1, args.join(' '));
      assert.match(r.stderr, /^error: invalid .* it must be a lower-case RFC 1123 subdomain/m);
      assert.match(r.stderr, /See 'kubefedctl .*--help' for usage/);
    }
    const label = await kubefedctl(['join', 'cluster2', '--label', 'no-equals-sign', '--host-cluster-context', HOST]);
    assert.equal(label.code, 1);
    assert.match(label.stderr, /invalid --label "no-equals-sign"/);
    assert.deepEqual(await hostState(), state);
  });

  it('a host context name that cannot appear in object names asks for --host-cluster-name', async () => {
    const r = await kubefedctl(['join', 'cluster2', '--host-cluster-context', 'arn:aws:eks:eu-west-1:1:cluster/host'], {
      env: { KUBECONFIG: kubeconfigWithDeadCluster() },
    });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /contains ':' or '\/'.*--host-cluster-name/);
  });

  it('unknown flags, bad flag values and missing arguments exit 1', async () => {
    for (const [args, message] of [
      [['join'], /missing required argument 'cluster-name'/],
      [['join', 'x', '--bogus'], /unknown option '--bogus'/],
      [['init', '--scope', 'Global'], /argument 'Global' is invalid/],
      [['init', '--request-timeout', 'soon'], /invalid --request-timeout "soon"/],
      [['init', '--dry-run=maybe'], /argument 'maybe' is invalid/],
    ] as [string[], RegExp][]) {
      const r = await kubefedctl(args);
      assert.equal(r.code, 1, args.join(' '));
      assert.match(r.stderr, message);
    }
  });
});
