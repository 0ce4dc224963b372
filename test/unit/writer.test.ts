// The Writer: the dry-run mode decides, in one place, whether and how a write is sent.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DryRun, KubeObject } from '../../src/api/objects.js';
import { CONFIG_MAPS } from '../../src/api/resources.js';
import { applyOwned, createIfMissing } from '../../src/kube/apply.js';
import { writerFor } from '../../src/kube/writer.js';
import { FakeCluster } from '../fakes/cluster-client.js';

const cm: KubeObject = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'a', namespace: 'ns' },
  data: { k: 'v' },
};

async function everyWrite(dryRun: 'none' | 'client' | 'server', cluster: FakeCluster) {
  const w = writerFor(dryRun);
  await w.create(cluster, CONFIG_MAPS, cm);
  await w.apply(cluster, CONFIG_MAPS, cm, { force: true });
  await w.mergePatch(cluster, CONFIG_MAPS, 'a', 'ns', { data: { k: 'w' } });
  await w.jsonPatch(cluster, CONFIG_MAPS, { name: 'a', namespace: 'ns' }, [
    { op: 'replace', path: '/data/k', value: 'x' },
  ]);
  await w.delete(cluster, CONFIG_MAPS, 'a', 'ns');
  return w;
}

describe('writerFor', () => {
  it('none: every write is sent, for real', async () => {
    const c = new FakeCluster('c', ['create', 'apply', 'mergePatch', 'jsonPatch', 'delete']);
    assert.equal((await everyWrite('none', c)).dryRun, 'none');
    assert.deepEqual(
      c.calls.map((x) => [x.method, x.dryRun]),
      [
        ['create', false],
        ['apply', false],
        ['mergePatch', false],
        ['jsonPatch', false],
        ['delete', false],
      ],
    );
  });

  it('server: every write is sent with dryRun, and nothing is stored', async () => {
    const c = new FakeCluster(
      'c',
      ['create', 'apply', 'mergePatch', 'jsonPatch', 'delete'],
      [{ type: CONFIG_MAPS, object: { ...cm, metadata: { name: 'b', namespace: 'ns' } } }],
    );
    const w = writerFor('server');
    await w.create(c, CONFIG_MAPS, cm);
    await w.apply(c, CONFIG_MAPS, cm, { force: true });
    assert.equal(c.object(CONFIG_MAPS, 'a', 'ns'), undefined, 'nothing stored');
    await w.mergePatch(c, CONFIG_MAPS, 'b', 'ns', { data: { k: 'w' } });
    await w.jsonPatch(c, CONFIG_MAPS, { name: 'b', namespace: 'ns' }, [{ op: 'replace', path: '/data/k', value: 'x' }]);
    await w.delete(c, CONFIG_MAPS, 'b', 'ns');
    assert.deepEqual(c.object(CONFIG_MAPS, 'b', 'ns')?.['data'], { k: 'v' }, 'the stored object is untouched');
    assert.equal(c.calls.length, 5);
    assert.ok(c.calls.every((x) => x.dryRun));
  });

  it('client: nothing is sent; creates and applies answer with the object', async () => {
    const c = new FakeCluster('c', []);
    const w = writerFor('client');
    assert.equal(await w.create(c, CONFIG_MAPS, cm), cm);
    assert.equal(await w.apply(c, CONFIG_MAPS, cm), cm);
    assert.equal(await w.mergePatch(c, CONFIG_MAPS, 'a', 'ns', {}), undefined);
    assert.equal(await w.jsonPatch(c, CONFIG_MAPS, { name: 'a', namespace: 'ns' }, []), undefined);
    assert.equal(await w.delete(c, CONFIG_MAPS, 'a', 'ns'), true);
    assert.deepEqual(c.calls, []);
  });
});

function configMap(data: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'ns' }, data };
}

const MODES: DryRun[] = ['none', 'server', 'client'];

describe('writerFor: what callers may ask', () => {
  it('says what its writes do: sent to the server, stored', () => {
    assert.deepEqual(
      MODES.map((m) => {
        const w = writerFor(m);
        return [m, w.sends, w.persists];
      }),
      [
        ['none', true, true],
        ['server', true, false],
        ['client', false, false],
      ],
    );
  });
});

describe('applyOwned through each writer', () => {
  for (const mode of MODES) {
    it(`${mode}: created, unchanged and configured as kubectl words them`, async () => {
      const writes = mode === 'client' ? [] : (['apply'] as const);
      const empty = new FakeCluster('c1', ['get', ...writes]);
      const created = await applyOwned(writerFor(mode), empty, CONFIG_MAPS, configMap({ a: '1' }));
      assert.equal(created.result.verb, 'created');
      assert.equal(empty.object(CONFIG_MAPS, 'cm', 'ns') !== undefined, mode === 'none');

      const existing = [{ type: CONFIG_MAPS, object: configMap({ a: '1' }) }];
      const same = new FakeCluster('c1', ['get', ...writes], existing);
      // The fake bumps resourceVersion on every apply, so "unchanged" is only checked where the
      // verb does not come from the resourceVersion.
      if (mode !== 'none')
        assert.equal(
          (await applyOwned(writerFor(mode), same, CONFIG_MAPS, configMap({ a: '1' }))).result.verb,
          'unchanged',
        );

      const differs = new FakeCluster('c1', ['get', ...writes], existing);
      const changed = await applyOwned(writerFor(mode), differs, CONFIG_MAPS, configMap({ a: '2' }));
      assert.equal(changed.result.verb, 'configured');
      assert.deepEqual(differs.object(CONFIG_MAPS, 'cm', 'ns')?.['data'], mode === 'none' ? { a: '2' } : { a: '1' });
      assert.deepEqual(differs.targets('apply', { dryRun: true }).length, mode === 'server' ? 1 : 0);
    });
  }
});

describe('createIfMissing through each writer', () => {
  for (const mode of MODES) {
    it(`${mode}: an existing object is left alone; a missing one is created`, async () => {
      const writes = mode === 'client' ? [] : (['create'] as const);
      const existing = new FakeCluster('c1', ['get'], [{ type: CONFIG_MAPS, object: configMap({ a: '1' }) }]);
      const kept = await createIfMissing(writerFor(mode), existing, CONFIG_MAPS, configMap({ a: '2' }));
      assert.equal(kept.result.verb, 'unchanged');
      assert.deepEqual(kept.object['data'], { a: '1' });

      const empty = new FakeCluster('c1', ['get', ...writes]);
      const made = await createIfMissing(writerFor(mode), empty, CONFIG_MAPS, configMap({ a: '2' }));
      assert.equal(made.result.verb, 'created');
      assert.equal(made.result.ref, 'configmap/cm');
      assert.equal(empty.object(CONFIG_MAPS, 'cm', 'ns') !== undefined, mode === 'none');
    });
  }
});
