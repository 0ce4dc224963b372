// An update of a member object that kubefedctl created: the fields the create owns (field manager
// kubefedctl, operation Update) move to its apply first, so the apply can remove what the template
// no longer sets. The move is conditional on the resourceVersion and follows the dry-run mode.
// What the API server then does with the ownership is tested in test/integration/writes.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../src/api/objects.js';
import { CONFIG_MAPS } from '../../src/api/resources.js';
import { applyAction, applyTakingBack } from '../../src/engine/member-writes.js';
import { writerFor } from '../../src/kube/writer.js';
import { FakeCluster } from '../fakes/cluster-client.js';

const created = {
  manager: 'kubefedctl',
  operation: 'Update',
  apiVersion: 'v1',
  fieldsType: 'FieldsV1',
  fieldsV1: { 'f:data': { '.': {}, 'f:a': {}, 'f:b': {} } },
};
const labeller = {
  manager: 'kubectl-label',
  operation: 'Update',
  apiVersion: 'v1',
  fieldsType: 'FieldsV1',
  fieldsV1: { 'f:metadata': { 'f:labels': { 'f:team': {} } } },
};

function live(managedFields: unknown[], resourceVersion = '7'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'cm',
      namespace: 'ns',
      resourceVersion,
      labels: { 'kubefed.io/managed': 'true', team: 'a' },
      managedFields,
    },
    data: { a: '1', b: '2' },
  };
}

const desired: KubeObject = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'cm', namespace: 'ns', labels: { 'kubefed.io/managed': 'true' } },
  data: { a: '1' },
};

const cluster = (allow: ConstructorParameters<typeof FakeCluster>[1], stored = live([created, labeller])) =>
  new FakeCluster('c', allow, [{ type: CONFIG_MAPS, object: stored }]);

describe('applyTakingBack: our create’s fields move to our apply', () => {
  it('the create’s Update entry becomes the Apply entry, by a conditional JSON patch, before the apply', async () => {
    const c = cluster(['jsonPatch', 'apply']);
    await applyTakingBack(c, CONFIG_MAPS, desired, live([created, labeller]), writerFor('none'));
    assert.deepEqual(
      c.calls.map((x) => [x.method, x.dryRun]),
      [
        ['jsonPatch', false],
        ['apply', false],
      ],
    );
    assert.deepEqual(c.object(CONFIG_MAPS, 'cm', 'ns')?.metadata.managedFields, [
      { ...created, operation: 'Apply' },
      labeller,
    ]);
  });

  it('nothing to move (already moved, or made by someone else): only the apply', async () => {
    const applied = { ...created, operation: 'Apply' };
    const c = cluster(['apply'], live([applied, labeller]));
    await applyTakingBack(c, CONFIG_MAPS, desired, live([applied, labeller]), writerFor('none'));
    assert.deepEqual(c.targets('apply'), ['configmaps/ns/cm']);
    assert.equal(c.calls.length, 1);
  });

  it('an object changed since it was read: 409, read again, moved against what is there now', async () => {
    const c = cluster(['jsonPatch', 'get', 'apply']);
    // The plan's copy is older than the stored one (resourceVersion 7 there, 6 here).
    await applyTakingBack(c, CONFIG_MAPS, desired, live([created, labeller], '6'), writerFor('none'));
    assert.deepEqual(
      c.calls.map((x) => x.method),
      ['jsonPatch', 'get', 'jsonPatch', 'apply'],
    );
    assert.deepEqual(
      c.object(CONFIG_MAPS, 'cm', 'ns')?.metadata.managedFields?.map((m) => (m as { operation: string }).operation),
      ['Apply', 'Update'],
    );
  });

  it('an object that keeps changing: the update fails after three attempts, and nothing is applied', async () => {
    const c = cluster(['jsonPatch', 'get']);
    // failNext holds one failure per key: armed now, and again on every read.
    c.failNext.set('configmaps/ns/cm', 409);
    const get = c.get.bind(c);
    c.get = (...args: Parameters<typeof get>) => {
      c.failNext.set('configmaps/ns/cm', 409);
      return get(...args);
    };
    const result = await applyAction(
      c,
      CONFIG_MAPS,
      { cluster: 'c', kind: 'update', status: '', desired, live: live([created, labeller]) },
      undefined,
      writerFor('none'),
    );
    assert.equal(result.outcome, 'failed');
    assert.equal(result.status, 'UpdateFailed');
    assert.deepEqual(
      c.calls.map((x) => x.method),
      ['jsonPatch', 'get', 'jsonPatch', 'get', 'jsonPatch'],
    );
  });

  it('a server dry run sends the move with dryRun too, and nothing is stored', async () => {
    const c = cluster(['jsonPatch', 'apply']);
    await applyTakingBack(c, CONFIG_MAPS, desired, live([created, labeller]), writerFor('server'));
    assert.deepEqual(
      c.calls.map((x) => [x.method, x.dryRun]),
      [
        ['jsonPatch', true],
        ['apply', true],
      ],
    );
    assert.deepEqual(c.object(CONFIG_MAPS, 'cm', 'ns')?.metadata.managedFields, [created, labeller]);
  });

  it('a client dry run sends nothing at all', async () => {
    const c = cluster([]);
    const { stored } = await applyTakingBack(c, CONFIG_MAPS, desired, live([created, labeller]), writerFor('client'));
    assert.deepEqual(c.calls, []);
    assert.deepEqual(stored, desired);
  });
});

describe('applyAction: a create reads its answer only when status is collected', () => {
  const made = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'new', namespace: 'ns' },
    status: { phase: 'Made' },
  } as unknown as KubeObject;
  const action = { cluster: 'c', kind: 'create' as const, status: '', desired: made };
  it('with status collection, the result carries the stored object’s status', async () => {
    const c = new FakeCluster('c', ['create'], []);
    const result = await applyAction(c, CONFIG_MAPS, action, undefined, writerFor('none'));
    assert.equal(result.outcome, 'created');
    assert.deepEqual(result.remoteStatus, { phase: 'Made' });
  });
  it('without, the object is created all the same and the result carries no status', async () => {
    const c = new FakeCluster('c', ['create', 'get'], []);
    const result = await applyAction(c, CONFIG_MAPS, action, undefined, writerFor('none'), { remoteStatus: false });
    assert.equal(result.outcome, 'created');
    assert.equal(result.remoteStatus, undefined);
    assert.deepEqual(
      c.calls.map((x) => x.method),
      ['create'],
    );
    assert.ok(await c.get(CONFIG_MAPS, 'new', 'ns'));
  });
  it('a client dry run sends nothing either way', async () => {
    const c = new FakeCluster('c', [], []);
    const result = await applyAction(c, CONFIG_MAPS, action, undefined, writerFor('client'), { remoteStatus: false });
    assert.equal(result.outcome, 'created');
    assert.deepEqual(c.calls, []);
  });
});
