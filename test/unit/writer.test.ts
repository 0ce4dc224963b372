// The Writer: the dry-run mode decides, in one place, whether and how a write is sent.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../src/api/objects.js';
import { CONFIG_MAPS } from '../../src/api/resources.js';
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
  await w.delete(cluster, CONFIG_MAPS, 'a', 'ns');
  return w;
}

describe('writerFor', () => {
  it('none: every write is sent, for real', async () => {
    const c = new FakeCluster('c', ['create', 'apply', 'mergePatch', 'delete']);
    assert.equal((await everyWrite('none', c)).dryRun, 'none');
    assert.deepEqual(
      c.calls.map((x) => [x.method, x.dryRun]),
      [
        ['create', false],
        ['apply', false],
        ['mergePatch', false],
        ['delete', false],
      ],
    );
  });

  it('server: every write is sent with dryRun, and nothing is stored', async () => {
    const c = new FakeCluster(
      'c',
      ['create', 'apply', 'mergePatch', 'delete'],
      [{ type: CONFIG_MAPS, object: { ...cm, metadata: { name: 'b', namespace: 'ns' } } }],
    );
    const w = writerFor('server');
    await w.create(c, CONFIG_MAPS, cm);
    await w.apply(c, CONFIG_MAPS, cm, { force: true });
    assert.equal(c.object(CONFIG_MAPS, 'a', 'ns'), undefined, 'nothing stored');
    await w.mergePatch(c, CONFIG_MAPS, 'b', 'ns', { data: { k: 'w' } });
    await w.delete(c, CONFIG_MAPS, 'b', 'ns');
    assert.deepEqual(c.object(CONFIG_MAPS, 'b', 'ns')?.['data'], { k: 'v' }, 'the stored object is untouched');
    assert.equal(c.calls.length, 4);
    assert.ok(c.calls.every((x) => x.dryRun));
  });

  it('client: nothing is sent; creates and applies answer with the object', async () => {
    const c = new FakeCluster('c', []);
    const w = writerFor('client');
    assert.equal(await w.create(c, CONFIG_MAPS, cm), cm);
    assert.equal(await w.apply(c, CONFIG_MAPS, cm), cm);
    assert.equal(await w.mergePatch(c, CONFIG_MAPS, 'a', 'ns', {}), undefined);
    assert.equal(await w.delete(c, CONFIG_MAPS, 'a', 'ns'), true);
    assert.deepEqual(c.calls, []);
  });
});
