// The propagation pass's own rules, against strict in-memory clusters (test/fakes/cluster-client.ts):
// phase order, finalizer confirmation, which outcomes fail a run, and dry-run bookkeeping.
// Kubernetes' own behaviour is tested against real API servers in test/integration/.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MANAGED_LABEL, SYNC_FINALIZER } from '../../src/api/kubefed.js';
import type { DryRun, KubeObject, ResourceType } from '../../src/api/objects.js';
import { CONFIG_MAPS, NAMESPACES } from '../../src/api/resources.js';
import type { ClusterEntry, Inventory } from '../../src/engine/inventory.js';
import { planPass, propagate } from '../../src/engine/propagate.js';
import type { FederatedObject } from '../../src/federation/federated-object.js';
import { federatedResourceType, typeConfigFor } from '../../src/federation/typeconfig.js';
import { FakeCluster } from '../fakes/cluster-client.js';

const NS_FTC = typeConfigFor({ group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false });
const CM_FTC = typeConfigFor({ group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true });
const NOW = () => new Date('2026-11-30T00:00:00Z');

function fedNamespace(ns: string, clusters: string[] | 'all'): FederatedObject {
  return {
    apiVersion: 'types.kubefed.io/v1beta1',
    kind: 'FederatedNamespace',
    metadata: { name: ns, namespace: ns },
    spec: {
      placement: clusters === 'all' ? { clusterSelector: {} } : { clusters: clusters.map((name) => ({ name })) },
    },
  };
}

function fedConfigMap(ns: string, name: string, extra: Partial<FederatedObject['metadata']> = {}): FederatedObject {
  return {
    apiVersion: 'types.kubefed.io/v1beta1',
    kind: 'FederatedConfigMap',
    metadata: { name, namespace: ns, ...extra },
    spec: { template: { data: { name } }, placement: { clusterSelector: {} } },
  };
}

/** A member copy carrying the managed label. */
function managed(type: ResourceType, ns: string | undefined, name: string): { type: ResourceType; object: KubeObject } {
  return {
    type,
    object: {
      apiVersion: 'v1',
      kind: type.kind,
      metadata: { name, ...(ns ? { namespace: ns } : {}), labels: { [MANAGED_LABEL]: 'true' } },
    },
  };
}

function inventory(
  clusters: FakeCluster[],
  objects: { namespaces: FederatedObject[]; configMaps: FederatedObject[] },
  host?: FakeCluster,
): Inventory {
  const entries: ClusterEntry[] = clusters.map((c) => ({ name: c.clusterName, labels: {}, ready: true, client: c }));
  const mode = host
    ? { mode: 'host' as const, host, health: [], topology: new Map(), allTypes: new Map(), partial: false }
    : { mode: 'file' as const, partial: true };
  return {
    kubefedNamespace: 'kube-federation-system',
    scope: 'Cluster',
    adopt: false,
    clusters: entries,
    types: [
      { ftc: NS_FTC, objects: objects.namespaces },
      { ftc: CM_FTC, objects: objects.configMaps },
    ],
    invalid: [],
    federatedNamespaces: new Map(objects.namespaces.map((n) => [n.metadata.name ?? '', n])),
    hostNamespaceUids: new Map(),
    rsps: [],
    ...mode,
  };
}

const run = (inv: Inventory, dryRun: DryRun = 'none') => propagate(inv, { dryRun, now: NOW });

describe('engine: phase order', () => {
  it('a namespace is created before the objects inside it, in every cluster', async () => {
    const clusters = ['c1', 'c2'].map((n) => new FakeCluster(n, ['list', 'listMetadata', 'create']));
    const report = await run(
      inventory(clusters, {
        namespaces: [fedNamespace('shop', 'all')],
        configMaps: [fedConfigMap('shop', 'a'), fedConfigMap('shop', 'b')],
      }),
    );
    assert.equal(report.failed, false);
    for (const c of clusters) {
      const creates = c.targets('create');
      assert.equal(creates[0], 'namespaces//shop', `${c.clusterName}: ${creates.join(', ')}`);
      assert.deepEqual(creates.slice(1).sort(), ['configmaps/shop/a', 'configmaps/shop/b']);
    }
  });

  it('a namespace is deleted after the objects inside it', async () => {
    const c1 = new FakeCluster(
      'c1',
      ['listMetadata', 'delete'],
      [managed(NAMESPACES, undefined, 'shop'), managed(CONFIG_MAPS, 'shop', 'a'), managed(CONFIG_MAPS, 'shop', 'b')],
    );
    // The FederatedNamespace no longer places anything in c1.
    const report = await run(
      inventory([c1], {
        namespaces: [fedNamespace('shop', [])],
        configMaps: [fedConfigMap('shop', 'a'), fedConfigMap('shop', 'b')],
      }),
    );
    assert.equal(report.summary.deleted, 3);
    const deletes = c1.targets('delete');
    assert.equal(deletes.at(-1), 'namespaces//shop', deletes.join(', '));
  });
});

/** A cluster whose creates take a moment, counting how many are under way at once. */
class SlowCreates extends FakeCluster {
  underWay = 0;
  mostAtOnce = 0;
  override async createWithoutAnswer(type: ResourceType, obj: KubeObject): Promise<void> {
    this.underWay++;
    this.mostAtOnce = Math.max(this.mostAtOnce, this.underWay);
    await new Promise((r) => setTimeout(r, 2));
    await super.createWithoutAnswer(type, obj);
    this.underWay--;
  }
}

describe('engine: writes at once', () => {
  const configMaps = Array.from({ length: 40 }, (_, i) => fedConfigMap('shop', `cm-${i}`));
  /** Clusters whose clients send `concurrency` requests at once (the fake's default is 16, as the client's). */
  const slow = (concurrency?: number) =>
    ['c1', 'c2'].map((n) => {
      const c = new SlowCreates(n, ['list', 'listMetadata', 'create']);
      if (concurrency) c.maxInFlight = concurrency;
      return c;
    });

  it('each cluster has as many writes under way as --concurrency asks, no more', async () => {
    const clusters = slow(3);
    const inv = inventory(clusters, { namespaces: [fedNamespace('shop', 'all')], configMaps });
    const report = await propagate(inv, { dryRun: 'none', now: NOW });
    assert.equal(report.summary.created, 82);
    assert.deepEqual(
      clusters.map((c) => c.mostAtOnce),
      [3, 3],
    );
  });

  it('without it, the client default of 16; above the old cap of 64 when asked', async () => {
    const byDefault = slow();
    await propagate(inventory(byDefault, { namespaces: [fedNamespace('shop', 'all')], configMaps }), {
      dryRun: 'none',
      now: NOW,
    });
    assert.deepEqual(
      byDefault.map((c) => c.mostAtOnce),
      [16, 16],
    );
    const many = slow(80);
    const more = Array.from({ length: 100 }, (_, i) => fedConfigMap('shop', `cm-${i}`));
    await propagate(inventory(many, { namespaces: [fedNamespace('shop', 'all')], configMaps: more }), {
      dryRun: 'none',
      now: NOW,
    });
    assert.deepEqual(
      many.map((c) => c.mostAtOnce),
      [80, 80],
    );
  });
});

describe('engine: finalizer confirmation (host mode)', () => {
  const deleting = () =>
    fedConfigMap('shop', 'a', {
      deletionTimestamp: '2026-11-29T00:00:00Z',
      finalizers: [SYNC_FINALIZER],
      resourceVersion: '7',
    });
  const hostWith = (fed: FederatedObject) =>
    new FakeCluster('host', ['mergePatch', 'list'], [{ type: federatedResourceType(CM_FTC), object: fed }]);

  it('the finalizer goes once every copy is confirmed gone', async () => {
    const fed = deleting();
    const host = hostWith(fed);
    const c1 = new FakeCluster('c1', ['listMetadata', 'delete', 'get'], [managed(CONFIG_MAPS, 'shop', 'a')]);
    const report = await run(inventory([c1], { namespaces: [], configMaps: [fed] }, host));
    assert.deepEqual(c1.targets('delete'), ['configmaps/shop/a']);
    assert.deepEqual(c1.targets('get'), ['configmaps/shop/a'], 'the deletion is confirmed by a read');
    assert.deepEqual(host.object(federatedResourceType(CM_FTC), 'a', 'shop')?.metadata.finalizers, []);
    assert.equal(report.hostWrites, 1);
  });

  it('the finalizer stays while a copy is still there (its own finalizers hold it)', async () => {
    const fed = deleting();
    const host = hostWith(fed);
    const stuck = managed(CONFIG_MAPS, 'shop', 'a');
    stuck.object.metadata.finalizers = ['example.com/hold'];
    const c1 = new FakeCluster('c1', ['listMetadata', 'delete', 'get'], [stuck]);
    await run(inventory([c1], { namespaces: [], configMaps: [fed] }, host));
    assert.deepEqual(host.targets('mergePatch'), [], 'no finalizer removal while a copy remains');
    assert.deepEqual(host.object(federatedResourceType(CM_FTC), 'a', 'shop')?.metadata.finalizers, [SYNC_FINALIZER]);
  });

  it('a cluster that is not ready blocks the removal, and gets no request', async () => {
    const fed = deleting();
    const host = hostWith(fed);
    const down = new FakeCluster('c2', []);
    const inv = inventory([down], { namespaces: [], configMaps: [fed] }, host);
    inv.clusters[0] = { ...inv.clusters[0]!, ready: false, notReadyReason: 'probe failed' };
    const report = await run(inv);
    assert.equal(report.failed, true);
    assert.deepEqual(host.targets('mergePatch'), []);
    assert.deepEqual(down.calls, []);
  });
});

describe('engine: which outcomes fail the run', () => {
  it('nothing to do: not failed', async () => {
    const c1 = new FakeCluster('c1', ['list', 'listMetadata', 'create']);
    const inv = inventory([c1], { namespaces: [fedNamespace('shop', 'all')], configMaps: [fedConfigMap('shop', 'a')] });
    assert.equal((await run(inv)).failed, false);
  });

  it('an unlabelled object of the same name is a conflict, found from the bulk list; nothing is sent for it, and the run fails', async () => {
    const mine = {
      type: CONFIG_MAPS,
      object: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'a', namespace: 'shop' },
        data: { mine: 'yes' },
      },
    };
    const c1 = new FakeCluster(
      'c1',
      ['list', 'listMetadata', 'create', 'apply'],
      [managed(NAMESPACES, undefined, 'shop'), mine],
    );
    const report = await run(
      inventory([c1], {
        namespaces: [fedNamespace('shop', 'all')],
        configMaps: [fedConfigMap('shop', 'a'), fedConfigMap('shop', 'b')],
      }),
    );
    assert.equal(report.failed, true);
    assert.equal(report.summary.conflict, 1);
    assert.deepEqual(c1.targets('create'), ['configmaps/shop/b']);
    assert.deepEqual(c1.object(CONFIG_MAPS, 'a', 'shop')?.['data'], { mine: 'yes' });
  });

  it('a refused write fails the run; the other objects are still written', async () => {
    const c1 = new FakeCluster(
      'c1',
      ['list', 'listMetadata', 'create', 'apply'],
      [managed(NAMESPACES, undefined, 'shop')],
    );
    c1.failNext.set('configmaps/shop/a', 422);
    const report = await run(
      inventory([c1], {
        namespaces: [fedNamespace('shop', 'all')],
        configMaps: [fedConfigMap('shop', 'a'), fedConfigMap('shop', 'b')],
      }),
    );
    assert.equal(report.failed, true);
    assert.equal(report.summary.failed, 1);
    assert.ok(c1.object(CONFIG_MAPS, 'b', 'shop'));
  });
});

describe('engine: dry runs', () => {
  it('a client dry run only reads', async () => {
    const c1 = new FakeCluster('c1', ['list', 'listMetadata']);
    const report = await run(
      inventory([c1], { namespaces: [fedNamespace('shop', 'all')], configMaps: [fedConfigMap('shop', 'a')] }),
      'client',
    );
    assert.equal(report.summary.created, 2);
    assert.deepEqual(Object.keys(c1.requestCounts), ['GET']);
  });

  it('a server dry run sends the namespace with dryRun, and not the objects inside a namespace it only pretends to create', async () => {
    const c1 = new FakeCluster('c1', ['list', 'listMetadata', 'create']);
    const report = await run(
      inventory([c1], { namespaces: [fedNamespace('shop', 'all')], configMaps: [fedConfigMap('shop', 'a')] }),
      'server',
    );
    assert.deepEqual(c1.targets('create', { dryRun: true }), ['namespaces//shop']);
    assert.deepEqual(c1.targets('create', { dryRun: false }), []);
    const cm = report.resources.find((r) => r.name === 'a')?.clusters[0];
    assert.match(cm?.message ?? '', /not sent: its namespace is only created in this dry run/);
    assert.equal(c1.object(NAMESPACES, 'shop'), undefined);
  });

  it('planPass writes nothing at all', async () => {
    const c1 = new FakeCluster('c1', ['list', 'listMetadata']);
    const plan = await planPass(
      inventory([c1], { namespaces: [fedNamespace('shop', 'all')], configMaps: [fedConfigMap('shop', 'a')] }),
    );
    assert.deepEqual(
      plan.plans.map((p) => p.actions.map((a) => a.kind)),
      [['create'], ['create']],
    );
  });
});

describe('engine: change detection from metadata (built-in kinds)', () => {
  const ourFields = (data: Record<string, unknown>) => ({
    'f:metadata': {
      'f:labels': { '.': {}, 'f:kubefed.io/managed': {} },
      'f:annotations': { '.': {}, 'f:kubefed.io/applied-hash': {} },
    },
    ...(Object.keys(data).length > 0 ? { 'f:data': { '.': {}, ...data } } : {}),
  });
  /** A cluster holding what a first run wrote, with the managedFields an API server records for it. */
  async function propagated(): Promise<{ c1: FakeCluster; inv: Inventory }> {
    const c1 = new FakeCluster('c1', ['list', 'listMetadata', 'create', 'get', 'apply', 'jsonPatch']);
    const inv = inventory([c1], { namespaces: [fedNamespace('shop', 'all')], configMaps: [fedConfigMap('shop', 'a')] });
    assert.equal((await run(inv)).summary.created, 2);
    c1.object(NAMESPACES, 'shop')!.metadata.managedFields = [
      { manager: 'kubefedctl', operation: 'Update', time: '2026-11-30T00:00:00Z', fieldsV1: ourFields({}) },
    ];
    c1.object(CONFIG_MAPS, 'a', 'shop')!.metadata.managedFields = [
      {
        manager: 'kubefedctl',
        operation: 'Update',
        time: '2026-11-30T00:00:00Z',
        fieldsV1: ourFields({ 'f:name': {} }),
      },
    ];
    c1.calls.length = 0;
    return { c1, inv };
  }
  const someoneElse = (time: string) => ({
    manager: 'kubectl-edit',
    operation: 'Update',
    time,
    fieldsV1: { 'f:data': { 'f:name': {} } },
  });

  it('nothing changed since our write: only metadata LISTs are sent, no object is read whole or written', async () => {
    const { c1, inv } = await propagated();
    const report = await run(inv);
    assert.equal(report.summary.unchanged, 2);
    assert.deepEqual(
      c1.calls.map((c) => c.method),
      ['listMetadata', 'listMetadata'],
    );
  });

  it('someone else wrote a field we set, with the same value: read whole once, and not written', async () => {
    const { c1, inv } = await propagated();
    c1.object(CONFIG_MAPS, 'a', 'shop')!.metadata.managedFields!.push(someoneElse('2026-11-30T00:01:00Z'));
    const report = await run(inv);
    assert.equal(report.summary.unchanged, 2);
    assert.deepEqual(c1.targets('get'), ['configmaps/shop/a']);
    assert.deepEqual(c1.targets('apply'), []);
  });

  it('someone else changed a field we set: read whole, then put back', async () => {
    const { c1, inv } = await propagated();
    const cm = c1.object(CONFIG_MAPS, 'a', 'shop')!;
    cm['data'] = { name: 'edited' };
    cm.metadata.managedFields = [
      { manager: 'kubefedctl', operation: 'Update', time: '2026-11-30T00:00:00Z', fieldsV1: ourFields({}) },
      someoneElse('2026-11-30T00:01:00Z'),
    ];
    const report = await run(inv);
    assert.equal(report.summary.updated, 1);
    assert.deepEqual(c1.targets('get'), ['configmaps/shop/a']);
    assert.deepEqual(c1.object(CONFIG_MAPS, 'a', 'shop')?.['data'], { name: 'a' });
  });

  it('diff reads whole each object that changes, to show how; the unchanged ones stay unread', async () => {
    const { c1, inv } = await propagated();
    inv.types[1]!.objects[0]!.spec.template = { data: { name: 'changed' } };
    const plan = await planPass(inv, { wholeLiveOfChanges: true });
    const update = plan.plans.flatMap((p) => p.actions).find((a) => a.kind === 'update');
    assert.deepEqual(update?.live?.['data'], { name: 'a' }, 'the live object, whole');
    assert.deepEqual(c1.targets('get'), ['configmaps/shop/a']);
  });
});
