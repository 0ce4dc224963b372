// ApplySet prune (propagate/diff --applyset, --prune) against three real clusters, in file mode:
// a removed file's objects go from every cluster that had them and nothing else does (objects of
// another set, unmanaged ones, anything on a cluster that cannot be reached, anything at all when
// the input is invalid); namespaces go last and only when empty; kubectl 1.32 reads the same set
// and prunes the same objects. Every check reads the member API servers.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, describe, it } from 'node:test';
import { stringify } from 'yaml';
import type { ResourceType } from '../../src/api/objects.js';
import { CONFIG_MAPS, NAMESPACES, SECRETS } from '../../src/api/resources.js';
import { applySetId, APPLYSET_PART_OF_LABEL } from '../../src/federation/applyset.js';
import { kubeconfigWithServers, refusingPort } from './fault-proxy.js';
import {
  admin,
  closeClients,
  deleteNamespaces,
  kubefedctl,
  propagateJson,
  testClusters,
  uniqueName,
  writeClustersFile,
} from './harness.js';

const MEMBERS = ['cluster1', 'cluster2', 'cluster3'];
const clustersFile = writeClustersFile(MEMBERS);
const namespaces: string[] = [];
after(async () => {
  await deleteNamespaces(MEMBERS, namespaces);
  closeClients();
});

function newNamespace(prefix: string): string {
  const ns = uniqueName(prefix);
  namespaces.push(ns);
  return ns;
}

const federatedNamespace = (ns: string) => ({
  apiVersion: 'types.kubefed.io/v1beta1',
  kind: 'FederatedNamespace',
  metadata: { name: ns, namespace: ns },
  spec: { placement: { clusters: MEMBERS.map((name) => ({ name })) } },
});

const federatedConfigMap = (ns: string, name: string, clusters: string[]) => ({
  apiVersion: 'types.kubefed.io/v1beta1',
  kind: 'FederatedConfigMap',
  metadata: { name, namespace: ns },
  spec: { template: { data: { name } }, placement: { clusters: clusters.map((c) => ({ name: c })) } },
});

/** A folder of input files, one object each; files are removed to take objects out of the input. */
function inputFolder(files: Record<string, object>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kf-applyset-'));
  for (const [name, doc] of Object.entries(files)) writeFileSync(join(dir, name), stringify(doc));
  return dir;
}

async function exists(cluster: string, type: ResourceType, name: string, namespace?: string): Promise<boolean> {
  const o = await admin(cluster).get(type, name, namespace);
  return o !== undefined && !o.metadata.deletionTimestamp;
}

/** Where each cluster has the object, e.g. `{cluster1: true, cluster2: false, …}`. */
async function presence(type: ResourceType, name: string, namespace?: string): Promise<Record<string, boolean>> {
  const out: Record<string, boolean> = {};
  for (const c of MEMBERS) out[c] = await exists(c, type, name, namespace);
  return out;
}

const everywhere = { cluster1: true, cluster2: true, cluster3: true };

/** `cluster kind name` of each member a report pruned (outcome deleted). */
function prunedIn(report: {
  applySet?: { pruned: { cluster: string; kind: string; name: string; outcome: string }[] };
}) {
  return (report.applySet?.pruned ?? [])
    .filter((p) => p.outcome === 'deleted')
    .map((p) => `${p.cluster} ${p.kind} ${p.name}`)
    .sort();
}

/** Every member has the parent Secret "apps" with the set's ID and kinds, and ConfigMap "a" is in the set. */
async function assertRecorded(ns: string, id: string, kinds: string): Promise<void> {
  for (const c of MEMBERS) {
    const parent = await admin(c).get(SECRETS, 'apps', ns);
    assert.equal(parent?.metadata.labels?.['applyset.kubernetes.io/id'], id, `${c}: the parent`);
    assert.equal(parent?.metadata.annotations?.['applyset.kubernetes.io/contains-group-kinds'], kinds);
    const a = await admin(c).get(CONFIG_MAPS, 'a', ns);
    assert.equal(a?.metadata.labels?.[APPLYSET_PART_OF_LABEL], id, `${c}: a is a member`);
  }
}

/**
 * Neighbours of a set in namespace `ns`: a member of another set ("other", everywhere), an object
 * labelled into the set by hand and not managed ("by-hand", cluster1), and an object of no set
 * ("nobodys", cluster2).
 */
async function addNeighbours(ns: string, id: string): Promise<void> {
  const other = inputFolder({
    'ns.yaml': federatedNamespace(ns),
    'o.yaml': federatedConfigMap(ns, 'other', MEMBERS),
  });
  const otherRun = await propagateJson(['-f', other, '--clusters', clustersFile, '--applyset', 'other', '-n', ns]);
  assert.equal(otherRun.code, 0, otherRun.stderr);
  await admin('cluster1').create(CONFIG_MAPS, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'by-hand', namespace: ns, labels: { [APPLYSET_PART_OF_LABEL]: id } },
  });
  await admin('cluster2').create(CONFIG_MAPS, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'nobodys', namespace: ns },
  });
}

describe('propagate --prune', () => {
  it('removes a removed file’s objects from every cluster that had them, and nothing else', async () => {
    const ns = newNamespace('as-prune');
    const dir = inputFolder({
      'ns.yaml': federatedNamespace(ns),
      'a.yaml': federatedConfigMap(ns, 'a', MEMBERS),
      'b.yaml': federatedConfigMap(ns, 'b', ['cluster1', 'cluster3']),
    });
    const set = ['--applyset', 'apps', '-n', ns];
    const first = await propagateJson(['-f', dir, '--clusters', clustersFile, ...set, '--prune']);
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(await presence(CONFIG_MAPS, 'b', ns), { cluster1: true, cluster2: false, cluster3: true });
    const id = applySetId({ resource: 'secrets', kind: 'Secret', name: 'apps', namespace: ns });
    await assertRecorded(ns, id, 'ConfigMap,Namespace');
    await addNeighbours(ns, id);

    rmSync(join(dir, 'b.yaml'));
    // diff and a server dry run show the prune and change nothing.
    const diff = await kubefedctl(['diff', '-f', dir, '--clusters', clustersFile, ...set, '--prune']);
    assert.equal(diff.code, 1, diff.stderr);
    assert.match(diff.stdout, new RegExp(`cluster1/configmap/${ns}/b \\(deleted\\)`));
    assert.match(diff.stdout, new RegExp(`cluster3/configmap/${ns}/b \\(deleted\\)`));
    assert.doesNotMatch(diff.stdout, /other|by-hand|nobodys/);
    assert.match(diff.stderr, /cluster1: ConfigMap .*\/by-hand would not be pruned: .*not managed/);
    const dry = await propagateJson(['-f', dir, '--clusters', clustersFile, ...set, '--prune', '--dry-run=server']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.deepEqual(prunedIn(dry.report), [`cluster1 ConfigMap ${ns}/b`, `cluster3 ConfigMap ${ns}/b`]);
    assert.deepEqual(await presence(CONFIG_MAPS, 'b', ns), { cluster1: true, cluster2: false, cluster3: true });

    const pruned = await propagateJson(['-f', dir, '--clusters', clustersFile, ...set, '--prune']);
    assert.equal(pruned.code, 0, pruned.stderr);
    assert.deepEqual(prunedIn(pruned.report), [`cluster1 ConfigMap ${ns}/b`, `cluster3 ConfigMap ${ns}/b`]);
    assert.deepEqual(await presence(CONFIG_MAPS, 'b', ns), { cluster1: false, cluster2: false, cluster3: false });
    assert.deepEqual(await presence(CONFIG_MAPS, 'a', ns), everywhere);
    assert.deepEqual(await presence(CONFIG_MAPS, 'other', ns), everywhere);
    assert.ok(await exists('cluster1', CONFIG_MAPS, 'by-hand', ns), 'the unmanaged member stays');
    assert.ok(await exists('cluster2', CONFIG_MAPS, 'nobodys', ns), 'an object of no set stays');
    const kept = pruned.report.applySet?.pruned.find((p) => p.name === `${ns}/by-hand`);
    assert.equal(kept?.outcome, 'skipped');

    // Nothing left to prune: the next run writes nothing.
    const again = await propagateJson(['-f', dir, '--clusters', clustersFile, ...set, '--prune']);
    assert.deepEqual(prunedIn(again.report), []);
    assert.equal(again.report.summary['created'] ?? 0, 0);
    assert.equal(again.report.summary['updated'] ?? 0, 0);
  });

  it('agrees with kubectl 1.32 on the set and on what to prune', async () => {
    const ns = newNamespace('as-kubectl');
    const dir = inputFolder({
      'ns.yaml': federatedNamespace(ns),
      'a.yaml': federatedConfigMap(ns, 'a', MEMBERS),
      'b.yaml': federatedConfigMap(ns, 'b', MEMBERS),
      'c.yaml': federatedConfigMap(ns, 'c', ['cluster1']),
    });
    const set = ['--applyset', 'shared', '-n', ns];
    const first = await propagateJson(['-f', dir, '--clusters', clustersFile, ...set]);
    assert.equal(first.code, 0, first.stderr);

    /** kubectl's own prune of the set on cluster1, as a server dry run, with what we render for cluster1 now. */
    const kubectlPrunes = async (): Promise<string[]> => {
      const out = mkdtempSync(join(tmpdir(), 'kf-applyset-render-'));
      const render = await kubefedctl(['render', '-f', dir, '--clusters', clustersFile, '--output-dir', out]);
      assert.equal(render.code, 0, render.stderr);
      const { stdout } = await promisify(execFile)(
        'kubectl',
        [
          ...['--kubeconfig', testClusters().kubeconfig, '--context', 'cluster1', 'apply', '-n', ns],
          ...['--server-side', '--force-conflicts', '--prune', '--applyset=shared', '--dry-run=server'],
          ...['-f', join(out, 'cluster1')],
        ],
        { env: { ...process.env, KUBECTL_APPLYSET: 'true' } },
      );
      return stdout
        .split('\n')
        .filter((l) => l.includes(' pruned'))
        .map((l) => l.split(' ')[0] ?? '')
        .sort();
    };
    assert.deepEqual(await kubectlPrunes(), [], 'kubectl reads our set and finds nothing to prune');

    rmSync(join(dir, 'b.yaml'));
    rmSync(join(dir, 'c.yaml'));
    const ours = await propagateJson(['-f', dir, '--clusters', clustersFile, ...set, '--prune', '--dry-run=server']);
    assert.equal(ours.code, 0, ours.stderr);
    assert.deepEqual(prunedIn(ours.report), [
      `cluster1 ConfigMap ${ns}/b`,
      `cluster1 ConfigMap ${ns}/c`,
      `cluster2 ConfigMap ${ns}/b`,
      `cluster3 ConfigMap ${ns}/b`,
    ]);
    assert.deepEqual(await kubectlPrunes(), ['configmap/b', 'configmap/c'], 'kubectl would prune the same on cluster1');
  });

  it('leaves everything on a cluster it cannot reach, and prunes it there on a later run', async () => {
    const ns = newNamespace('as-down');
    const dir = inputFolder({
      'ns.yaml': federatedNamespace(ns),
      'a.yaml': federatedConfigMap(ns, 'a', MEMBERS),
      'gone.yaml': federatedConfigMap(ns, 'gone', MEMBERS),
    });
    const set = ['--applyset', 'down', '-n', ns, '--prune'];
    assert.equal((await propagateJson(['-f', dir, '--clusters', clustersFile, ...set])).code, 0);
    rmSync(join(dir, 'gone.yaml'));

    const env = { KUBECONFIG: kubeconfigWithServers({ cluster3: `https://127.0.0.1:${await refusingPort()}` }) };
    const down = await propagateJson(['-f', dir, '--clusters', clustersFile, ...set], { env });
    assert.equal(down.code, 2, 'a cluster that is not ready makes the run partial');
    assert.deepEqual(prunedIn(down.report), [`cluster1 ConfigMap ${ns}/gone`, `cluster2 ConfigMap ${ns}/gone`]);
    assert.equal(down.report.applySet?.clusters.find((c) => c.cluster === 'cluster3')?.parent, 'skipped');
    assert.deepEqual(await presence(CONFIG_MAPS, 'gone', ns), { cluster1: false, cluster2: false, cluster3: true });

    const back = await propagateJson(['-f', dir, '--clusters', clustersFile, ...set]);
    assert.equal(back.code, 0, back.stderr);
    assert.deepEqual(prunedIn(back.report), [`cluster3 ConfigMap ${ns}/gone`]);
    assert.deepEqual(await presence(CONFIG_MAPS, 'gone', ns), { cluster1: false, cluster2: false, cluster3: false });
  });

  it('prunes nothing at all when the input is invalid', async () => {
    const ns = newNamespace('as-invalid');
    const dir = inputFolder({
      'ns.yaml': federatedNamespace(ns),
      'a.yaml': federatedConfigMap(ns, 'a', MEMBERS),
    });
    const set = ['--applyset', 'strict', '-n', ns, '--prune'];
    assert.equal((await propagateJson(['-f', dir, '--clusters', clustersFile, ...set])).code, 0);
    rmSync(join(dir, 'a.yaml'));
    writeFileSync(
      join(dir, 'broken.yaml'),
      stringify({ ...federatedConfigMap(ns, 'broken', MEMBERS), spec: { placement: { clusters: 'all' } } }),
    );
    const r = await kubefedctl(['propagate', '-f', dir, '--clusters', clustersFile, ...set]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /broken\.yaml/);
    assert.match(r.stderr, /spec\.placement\.clusters/);
    assert.deepEqual(await presence(CONFIG_MAPS, 'a', ns), everywhere);
  });

  it('prunes a namespace the set created after its contents, and keeps one that still holds other objects', async () => {
    const [emptied, busy, anchor] = ['as-ns-empty', 'as-ns-busy', 'as-ns-anchor'].map(newNamespace) as [
      string,
      string,
      string,
    ];
    const dir = inputFolder({
      'ns1.yaml': federatedNamespace(emptied),
      'cm1.yaml': federatedConfigMap(emptied, 'cm', MEMBERS),
      'ns2.yaml': federatedNamespace(busy),
      'cm2.yaml': federatedConfigMap(busy, 'cm', MEMBERS),
      'ns3.yaml': federatedNamespace(anchor),
      'cm3.yaml': federatedConfigMap(anchor, 'cm', MEMBERS),
    });
    // No -n: the parent is a Secret in namespace default and the set spans the three namespaces.
    const set = ['--applyset', uniqueName('spanning'), '--prune'];
    assert.equal((await propagateJson(['-f', dir, '--clusters', clustersFile, ...set])).code, 0);
    await admin('cluster2').create(CONFIG_MAPS, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'not-ours', namespace: busy },
    });
    for (const f of ['ns1.yaml', 'cm1.yaml', 'ns2.yaml', 'cm2.yaml']) rmSync(join(dir, f));

    const r = await propagateJson(['-f', dir, '--clusters', clustersFile, ...set]);
    assert.equal(r.code, 0, r.stderr);
    const pruned = prunedIn(r.report);
    for (const c of MEMBERS) {
      assert.ok(pruned.includes(`${c} ConfigMap ${emptied}/cm`), `${c}: ${emptied}/cm pruned`);
      assert.ok(pruned.includes(`${c} ConfigMap ${busy}/cm`), `${c}: ${busy}/cm pruned`);
    }
    assert.deepEqual(await presence(CONFIG_MAPS, 'cm', anchor), everywhere);
    // The emptied namespace goes everywhere; the busy one only where nothing else is left in it.
    assert.deepEqual(await presence(NAMESPACES, emptied), { cluster1: false, cluster2: false, cluster3: false });
    assert.deepEqual(await presence(NAMESPACES, busy), { cluster1: false, cluster2: true, cluster3: false });
    const kept = r.report.applySet?.pruned.find((p) => p.cluster === 'cluster2' && p.name === busy);
    assert.equal(kept?.outcome, 'skipped');
    assert.match(kept?.message ?? '', /still holds 1 object/);
    assert.ok(await exists('cluster2', CONFIG_MAPS, 'not-ours', busy));
  });

  it('refuses --prune in host mode, with --type, and on standard input without a name', async () => {
    const host = await kubefedctl(['propagate', '--prune']);
    assert.equal(host.code, 1);
    assert.match(host.stderr, /--prune works with -f \(file mode\)/);
    const typed = await kubefedctl([
      'propagate',
      '-f',
      '-',
      '--clusters',
      clustersFile,
      '--prune',
      '--type',
      'configmaps',
    ]);
    assert.match(typed.stderr, /--prune with --type/);
    const stdin = await kubefedctl(['propagate', '-f', '-', '--clusters', clustersFile, '--prune'], { stdin: '' });
    assert.match(stdin.stderr, /give it a name with --applyset NAME/);
    const foreign = await kubefedctl([
      'propagate',
      '-f',
      '-',
      '--clusters',
      clustersFile,
      '--applyset',
      'deployments/x',
    ]);
    assert.match(foreign.stderr, /the parent must be a Secret or a ConfigMap/);
  });
});
