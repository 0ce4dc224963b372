// How propagate writes, against real clusters: Secrets with stringData converge, and a field taken
// back from another field manager is reported with the setting that would keep it.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { stringify } from 'yaml';
import type { KubeObject } from '../../src/api/objects.js';
import { CONFIG_MAPS, DEPLOYMENTS, SECRETS } from '../../src/api/resources.js';
import {
  admin,
  closeClients,
  deleteNamespaces,
  kubefedctl,
  propagateJson,
  uniqueName,
  writeClustersFile,
} from './harness.js';

const MEMBERS = ['cluster2', 'cluster3'];
const TYPES_API = 'types.kubefed.io/v1beta1';

/** A folder with objects.yaml (rewritten by `write`) and clusters.yaml for file mode. */
function workspace(prefix: string) {
  const dir = mkdtempSync(join(tmpdir(), `kf-${prefix}-`));
  const objects = join(dir, 'objects.yaml');
  const clusters = writeClustersFile(MEMBERS);
  const write = (docs: object[]) => writeFileSync(objects, docs.map((d) => stringify(d)).join('---\n'));
  return { objects, clusters, write };
}

function federatedNamespace(ns: string): object {
  return {
    apiVersion: TYPES_API,
    kind: 'FederatedNamespace',
    metadata: { name: ns, namespace: ns },
    spec: { placement: { clusterSelector: {} } },
  };
}

function writesOf(report: { clusters: { requests: Record<string, number> }[] }): number {
  return report.clusters.reduce(
    (n, c) =>
      n +
      Object.entries(c.requests)
        .filter(([m]) => m !== 'GET')
        .reduce((a, [, k]) => a + k, 0),
    0,
  );
}

const namespaces: string[] = [];
after(async () => {
  await deleteNamespaces(MEMBERS, namespaces);
  closeClients();
});

describe('Secrets with stringData', () => {
  const ns = uniqueName('strdata');
  namespaces.push(ns);
  const { objects, clusters, write } = workspace('strdata');
  const secret = (password: string) => ({
    apiVersion: TYPES_API,
    kind: 'FederatedSecret',
    metadata: { name: 'db', namespace: ns },
    spec: {
      template: { type: 'Opaque', data: { user: Buffer.from('admin').toString('base64') }, stringData: { password } },
      placement: { clusterSelector: {} },
    },
  });

  it('converge: the second run writes nothing and diff exits 0', async () => {
    write([federatedNamespace(ns), secret('s3cret-one')]);
    const first = await propagateJson(['-f', objects, '--clusters', clusters]);
    assert.equal(first.code, 0, first.stderr);
    for (const c of MEMBERS) {
      const live = await admin(c).get<KubeObject>(SECRETS, 'db', ns);
      assert.deepEqual(
        live?.['data'],
        { user: Buffer.from('admin').toString('base64'), password: Buffer.from('s3cret-one').toString('base64') },
        c,
      );
    }
    const second = await propagateJson(['-f', objects, '--clusters', clusters]);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(writesOf(second.report), 0, JSON.stringify(second.report.clusters));
    assert.equal(second.report.summary['unchanged'], 4);
    const diff = await kubefedctl(['diff', '-f', objects, '--clusters', clusters]);
    assert.equal(diff.code, 0, diff.stdout + diff.stderr);
    assert.equal(diff.stdout, '');
  });

  it('a changed stringData value is a change, applied once', async () => {
    write([federatedNamespace(ns), secret('s3cret-two')]);
    const diff = await kubefedctl(['diff', '-f', objects, '--clusters', clusters]);
    assert.equal(diff.code, 1, diff.stderr);
    assert.doesNotMatch(diff.stdout, /s3cret-two/);
    const run = await propagateJson(['-f', objects, '--clusters', clusters]);
    assert.equal(run.report.summary['updated'], 2);
    const live = await admin('cluster2').get<KubeObject>(SECRETS, 'db', ns);
    assert.equal((live?.['data'] as Record<string, string>)['password'], Buffer.from('s3cret-two').toString('base64'));
    assert.equal(writesOf((await propagateJson(['-f', objects, '--clusters', clusters])).report), 0);
  });
});

describe('fields taken back from other field managers', () => {
  const ns = uniqueName('taken');
  namespaces.push(ns);
  const { objects, clusters, write } = workspace('taken');
  const deployment = (retainReplicas: boolean) => ({
    apiVersion: TYPES_API,
    kind: 'FederatedDeployment',
    metadata: { name: 'web', namespace: ns },
    spec: {
      template: {
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
          },
        },
      },
      placement: { clusters: [{ name: 'cluster2' }] },
      ...(retainReplicas ? { retainReplicas: true } : {}),
    },
  });
  const replicas = async () =>
    ((await admin('cluster2').get<KubeObject>(DEPLOYMENTS, 'web', ns))?.['spec'] as { replicas?: number } | undefined)
      ?.replicas;
  const configMap = {
    apiVersion: TYPES_API,
    kind: 'FederatedConfigMap',
    metadata: { name: 'settings', namespace: ns },
    spec: { template: { data: { color: 'blue', size: 'L' } }, placement: { clusters: [{ name: 'cluster2' }] } },
  };

  it('spec.replicas scaled by another manager is taken back and reported with retainReplicas as the way to keep it', async () => {
    write([federatedNamespace(ns), deployment(false), configMap]);
    assert.equal((await propagateJson(['-f', objects, '--clusters', clusters])).code, 0);
    // `kubectl scale` in effect: a merge patch by another field manager.
    const member = admin('cluster2');
    await member.call({
      method: 'PATCH',
      path: `/apis/apps/v1/namespaces/${ns}/deployments/web`,
      query: { fieldManager: 'kubectl-scale' },
      body: JSON.stringify({ spec: { replicas: 5 } }),
      contentType: 'application/merge-patch+json',
      intent: { verb: 'patch' },
    });
    await member.call({
      method: 'PATCH',
      path: `/api/v1/namespaces/${ns}/configmaps/settings`,
      query: { fieldManager: 'hand-editor' },
      body: JSON.stringify({ data: { color: 'red', extra: 'mine' } }),
      contentType: 'application/merge-patch+json',
      intent: { verb: 'patch' },
    });

    const human = await kubefedctl(['propagate', '-f', objects, '--clusters', clusters]);
    assert.equal(human.code, 0, human.stderr);
    assert.match(
      human.stderr,
      new RegExp(
        `cluster2: deployment\\.apps/${ns}/web: took \\.spec\\.replicas from field manager "kubectl-scale"; set spec\\.retainReplicas: true in the FederatedDeployment`,
      ),
    );
    assert.match(
      human.stderr,
      new RegExp(
        `cluster2: configmap/${ns}/settings: took \\.data\\.color from field manager "hand-editor"; to leave it to that writer, take the field out of the template`,
      ),
    );
    assert.equal(await replicas(), 2);
    const cm = await member.get<KubeObject>(CONFIG_MAPS, 'settings', ns);
    assert.deepEqual(
      cm?.['data'],
      { color: 'blue', size: 'L', extra: 'mine' },
      'a field the template does not set stays with its writer',
    );
  });

  it('-o json lists the taken fields; with retainReplicas nothing is taken', async () => {
    const member = admin('cluster2');
    await member.call({
      method: 'PATCH',
      path: `/apis/apps/v1/namespaces/${ns}/deployments/web`,
      query: { fieldManager: 'kubectl-scale' },
      body: JSON.stringify({ spec: { replicas: 4 } }),
      contentType: 'application/merge-patch+json',
      intent: { verb: 'patch' },
    });
    const taken = await propagateJson(['-f', objects, '--clusters', clusters]);
    const web = taken.report.resources.find((r) => r.name === 'web');
    assert.deepEqual((web?.clusters[0] as { takenFields?: unknown } | undefined)?.takenFields, [
      { field: '.spec.replicas', manager: 'kubectl-scale' },
    ]);

    await member.call({
      method: 'PATCH',
      path: `/apis/apps/v1/namespaces/${ns}/deployments/web`,
      query: { fieldManager: 'kubectl-scale' },
      body: JSON.stringify({ spec: { replicas: 7 } }),
      contentType: 'application/merge-patch+json',
      intent: { verb: 'patch' },
    });
    write([federatedNamespace(ns), deployment(true), configMap]);
    const kept = await kubefedctl(['propagate', '-f', objects, '--clusters', clusters]);
    assert.equal(kept.code, 0, kept.stderr);
    assert.doesNotMatch(kept.stderr, /took /);
    assert.equal(await replicas(), 7);
  });
});

describe('fields and list items the template stops setting', () => {
  // A create (POST) records its fields under field manager kubefedctl with operation Update; an
  // apply removes only fields its Apply entry owned. Updates therefore first move the create's
  // fields to the Apply entry, or a removed list item or key would stay in the member for ever.
  const ns = uniqueName('removed');
  namespaces.push(ns);
  const { objects, clusters, write } = workspace('removed');
  const deployment = (port: number) => ({
    apiVersion: TYPES_API,
    kind: 'FederatedDeployment',
    metadata: { name: 'web', namespace: ns },
    spec: {
      template: {
        spec: {
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: port }] }] },
          },
        },
      },
      placement: { clusterSelector: {} },
    },
  });
  const configMap = (name: string, data: Record<string, string>, placement: string[] = MEMBERS) => ({
    apiVersion: TYPES_API,
    kind: 'FederatedConfigMap',
    metadata: { name, namespace: ns },
    spec: { template: { data }, placement: { clusters: placement.map((c) => ({ name: c })) } },
  });
  /** kubefedctl's managedFields entries of a member object, as `operation`s. */
  const ours = (o: KubeObject | undefined) =>
    (o?.metadata.managedFields as { manager: string; operation: string }[] | undefined)
      ?.filter((m) => m.manager === 'kubefedctl')
      .map((m) => m.operation)
      .sort();
  const labelOf = (o: KubeObject | undefined, key: string) => o?.metadata.labels?.[key];
  const ports = (o: KubeObject | undefined) =>
    (o?.['spec'] as { template: { spec: { containers: { ports?: unknown }[] } } }).template.spec.containers[0]?.ports;
  const patch = (c: string, path: string, manager: string, body: object) =>
    admin(c).call({
      method: 'PATCH',
      path,
      query: { fieldManager: manager },
      body: JSON.stringify(body),
      contentType: 'application/merge-patch+json',
      intent: { verb: 'patch' },
    });

  /** The members' Deployment and ConfigMap, with the resourceVersions that say whether anything was stored. */
  const members = () =>
    Promise.all(
      MEMBERS.map(async (c) => {
        const web = await admin(c).get<KubeObject>(DEPLOYMENTS, 'web', ns);
        const cm = await admin(c).get<KubeObject>(CONFIG_MAPS, 'settings', ns);
        return { c, web, cm, versions: [web?.metadata.resourceVersion, cm?.metadata.resourceVersion] };
      }),
    );
  let before: Awaited<ReturnType<typeof members>> = [];

  it('a create is recorded under field manager kubefedctl as an Update', async () => {
    write([federatedNamespace(ns), deployment(80), configMap('settings', { color: 'blue', size: 'L' })]);
    const first = await propagateJson(['-f', objects, '--clusters', clusters]);
    assert.equal(first.code, 0, first.stderr);
    for (const { c, web, cm } of await members()) {
      assert.deepEqual([ours(web), ours(cm)], [['Update'], ['Update']], c);
      // Other writers: `kubectl label` in effect, and a key of another manager's own.
      await patch(c, `/apis/apps/v1/namespaces/${ns}/deployments/web`, 'kubectl-label', {
        metadata: { labels: { team: 'ops' } },
      });
      await patch(c, `/api/v1/namespaces/${ns}/configmaps/settings`, 'hand-editor', {
        metadata: { labels: { team: 'ops' } },
        data: { extra: 'mine' },
      });
    }
    write([federatedNamespace(ns), deployment(8080), configMap('settings', { color: 'blue' })]);
    before = await members();
  });

  it('dry runs store nothing, the ownership move included (a server dry run sends it with dryRun)', async () => {
    const server = await propagateJson(['-f', objects, '--clusters', clusters, '--dry-run=server']);
    assert.equal(server.code, 0, server.stderr);
    assert.equal(server.report.summary['updated'], 4);
    for (const c of server.report.clusters) assert.equal(c.requests['PATCH'], 4, `${c.name}: move + apply, twice`);
    const client = await propagateJson(['-f', objects, '--clusters', clusters, '--dry-run=client']);
    assert.equal(client.code, 0, client.stderr);
    assert.equal(client.report.summary['updated'], 4);
    assert.equal(writesOf(client.report), 0);
    const after = await members();
    assert.deepEqual(
      after.map((m) => m.versions),
      before.map((m) => m.versions),
      'nothing stored',
    );
    for (const { c, cm } of after) assert.deepEqual(ours(cm), ['Update'], c);
  });

  it('one run removes the port and the key; fields of other managers stay', async () => {
    const run = await propagateJson(['-f', objects, '--clusters', clusters]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.report.summary['updated'], 4);
    for (const { c, web, cm } of await members()) {
      assert.deepEqual(ports(web), [{ containerPort: 8080, protocol: 'TCP' }], `${c}: port 80 is gone`);
      assert.deepEqual(cm?.['data'], { color: 'blue', extra: 'mine' }, `${c}: size is gone, extra stays`);
      assert.deepEqual(
        [labelOf(web, 'team'), labelOf(cm, 'team')],
        ['ops', 'ops'],
        `${c}: other managers' labels stay`,
      );
      assert.deepEqual([ours(web), ours(cm)], [['Apply'], ['Apply']], `${c}: the create's fields moved to the apply`);
    }
  });

  it('the next run writes nothing, and diff finds nothing', async () => {
    const second = await propagateJson(['-f', objects, '--clusters', clusters]);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(second.report.summary['updated'], 0, JSON.stringify(second.report.summary));
    assert.equal(second.report.summary['unchanged'], 6);
    assert.equal(writesOf(second.report), 0, JSON.stringify(second.report.clusters));
    const diff = await kubefedctl(['diff', '-f', objects, '--clusters', clusters]);
    assert.equal(diff.code, 0, diff.stdout + diff.stderr);
  });

  it('an object an earlier version created and then applied (both entries) loses the keys on its next change', async () => {
    const legacy = (data: Record<string, string>) => configMap('legacy', data, ['cluster2']);
    write([
      federatedNamespace(ns),
      deployment(8080),
      configMap('settings', { color: 'blue' }),
      legacy({ a: '1', b: '2' }),
    ]);
    assert.equal((await propagateJson(['-f', objects, '--clusters', clusters])).code, 0);
    // What an earlier version's update sent: a forced apply by the same field manager, over the create.
    const member = admin('cluster2');
    await member.apply(
      CONFIG_MAPS,
      {
        metadata: {
          name: 'legacy',
          namespace: ns,
          labels: { 'kubefed.io/managed': 'true' },
          annotations: { 'kubefed.io/applied-hash': 'earlier' },
        },
        data: { a: '1', b: '2', c: '3' },
      },
      { force: true },
    );
    assert.deepEqual(ours(await member.get<KubeObject>(CONFIG_MAPS, 'legacy', ns)), ['Apply', 'Update']);

    write([federatedNamespace(ns), deployment(8080), configMap('settings', { color: 'blue' }), legacy({ a: '1' })]);
    const run = await propagateJson(['-f', objects, '--clusters', clusters]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.report.summary['updated'], 1);
    const cm = await member.get<KubeObject>(CONFIG_MAPS, 'legacy', ns);
    assert.deepEqual(cm?.['data'], { a: '1' }, 'b (the create set it) and c (an apply set it) are both gone');
    assert.deepEqual(ours(cm), ['Apply']);
    assert.equal(writesOf((await propagateJson(['-f', objects, '--clusters', clusters])).report), 0);
  });
});
