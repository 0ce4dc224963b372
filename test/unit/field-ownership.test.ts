// Deciding from managedFields whether an apply could take a field from another writer, and moving
// the fields our create owns (operation Update) to our apply.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createOwnershipMovedToApply,
  FieldSetPool,
  othersOwnDesiredFields,
  unchangedSinceOurWrite,
  unionFieldsV1,
} from '../../src/federation/field-ownership.js';

const desired = {
  metadata: { name: 'web', labels: { 'kubefed.io/managed': 'true' }, annotations: { 'kubefed.io/applied-hash': 'h' } },
  spec: { replicas: 2, template: { spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
};

describe('othersOwnDesiredFields', () => {
  it('our own entries (a create recorded as Update, or an apply) never count', () => {
    const ours = [
      { manager: 'kubefedctl', operation: 'Update', fieldsV1: { 'f:spec': { 'f:replicas': {} } } },
      { manager: 'kubefedctl', operation: 'Apply', fieldsV1: { 'f:spec': { 'f:replicas': {} } } },
    ];
    assert.equal(othersOwnDesiredFields(ours, desired, 'kubefedctl'), false);
  });

  it('a field we set, owned by another manager, counts', () => {
    const scaled = [{ manager: 'kubectl', operation: 'Update', fieldsV1: { 'f:spec': { 'f:replicas': {} } } }];
    assert.equal(othersOwnDesiredFields(scaled, desired, 'kubefedctl'), true);
  });

  it('fields we do not set (a controller annotation) and the status subresource do not count', () => {
    const controller = [
      {
        manager: 'kube-controller-manager',
        operation: 'Update',
        fieldsV1: { 'f:metadata': { 'f:annotations': { '.': {}, 'f:deployment.kubernetes.io/revision': {} } } },
      },
      {
        manager: 'kube-controller-manager',
        operation: 'Update',
        subresource: 'status',
        fieldsV1: { 'f:status': { 'f:replicas': {} }, 'f:spec': { 'f:replicas': {} } },
      },
    ];
    assert.equal(othersOwnDesiredFields(controller, desired, 'kubefedctl'), false);
  });

  it('an item of a list we set counts, without matching items one by one', () => {
    const sidecar = [
      {
        manager: 'injector',
        operation: 'Update',
        fieldsV1: {
          'f:spec': {
            'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"proxy"}': { '.': {}, 'f:image': {} } } } },
          },
        },
      },
    ];
    assert.equal(othersOwnDesiredFields(sidecar, desired, 'kubefedctl'), true);
  });

  it('no managedFields: nothing is owned by others', () => {
    assert.equal(othersOwnDesiredFields(undefined, desired, 'kubefedctl'), false);
  });
});

describe('unionFieldsV1', () => {
  it('merges the tries key by key and leaves its inputs alone', () => {
    const a = { 'f:data': { 'f:a': {}, 'f:b': {} } };
    const b = { 'f:data': { 'f:c': {} }, 'f:metadata': { 'f:labels': { 'f:x': {} } } };
    assert.deepEqual(unionFieldsV1(a, b), {
      'f:data': { 'f:a': {}, 'f:b': {}, 'f:c': {} },
      'f:metadata': { 'f:labels': { 'f:x': {} } },
    });
    assert.deepEqual(a, { 'f:data': { 'f:a': {}, 'f:b': {} } });
  });

  it('a path in one set that has children in the other keeps its "." mark', () => {
    // `{}` below the root is the path itself; `.` marks it when it also has children.
    assert.deepEqual(
      unionFieldsV1({ 'f:metadata': { 'f:annotations': {} } }, { 'f:metadata': { 'f:annotations': { 'f:h': {} } } }),
      {
        'f:metadata': { 'f:annotations': { '.': {}, 'f:h': {} } },
      },
    );
    assert.deepEqual(
      unionFieldsV1(
        { 'f:ports': { '.': {}, 'k:{"containerPort":80}': { '.': {}, 'f:containerPort': {} } } },
        { 'f:ports': { 'k:{"containerPort":8080}': { '.': {}, 'f:containerPort': {} } } },
      ),
      {
        'f:ports': {
          '.': {},
          'k:{"containerPort":80}': { '.': {}, 'f:containerPort': {} },
          'k:{"containerPort":8080}': { '.': {}, 'f:containerPort': {} },
        },
      },
    );
  });

  it('no "." on a prefix that is not itself in either set; the empty set is the identity', () => {
    const x = { 'f:spec': { 'f:replicas': {} } };
    assert.deepEqual(unionFieldsV1(x, { 'f:spec': { 'f:paused': {} } }), {
      'f:spec': { 'f:replicas': {}, 'f:paused': {} },
    });
    assert.deepEqual(unionFieldsV1(undefined, x), x);
    assert.deepEqual(unionFieldsV1(x, {}), x);
    assert.deepEqual(unionFieldsV1(undefined, undefined), {});
  });
});

describe('createOwnershipMovedToApply', () => {
  const created = {
    manager: 'kubefedctl',
    operation: 'Update',
    apiVersion: 'v1',
    time: '2026-11-30T09:00:00Z',
    fieldsType: 'FieldsV1',
    fieldsV1: { 'f:data': { '.': {}, 'f:a': {}, 'f:b': {} } },
  };
  const applied = {
    manager: 'kubefedctl',
    operation: 'Apply',
    apiVersion: 'v1',
    time: '2026-11-30T10:00:00Z',
    fieldsType: 'FieldsV1',
    fieldsV1: { 'f:data': { 'f:a': {}, 'f:c': {} } },
  };
  const labeller = {
    manager: 'kubectl-label',
    operation: 'Update',
    apiVersion: 'v1',
    fieldsType: 'FieldsV1',
    fieldsV1: { 'f:metadata': { 'f:labels': { 'f:team': {} } } },
  };

  it('only a create: its entry becomes our Apply entry, in its place', () => {
    assert.deepEqual(createOwnershipMovedToApply([labeller, created], 'kubefedctl', 'v1'), [
      labeller,
      { ...created, operation: 'Apply' },
    ]);
  });

  it('a create and an apply (what earlier versions left): the union, in the Apply entry, and no Update entry', () => {
    assert.deepEqual(createOwnershipMovedToApply([created, labeller, applied], 'kubefedctl', 'v1'), [
      labeller,
      { ...applied, fieldsV1: { 'f:data': { '.': {}, 'f:a': {}, 'f:b': {}, 'f:c': {} } } },
    ]);
  });

  it('nothing to move: no Update entry of ours (already moved, or only other managers)', () => {
    assert.equal(createOwnershipMovedToApply([applied, labeller], 'kubefedctl', 'v1'), undefined);
    assert.equal(
      createOwnershipMovedToApply([{ ...labeller, manager: 'kubefedctl-x' }], 'kubefedctl', 'v1'),
      undefined,
    );
    assert.equal(createOwnershipMovedToApply(undefined, 'kubefedctl', 'v1'), undefined);
    assert.equal(createOwnershipMovedToApply([], 'kubefedctl', 'v1'), undefined);
  });

  it('another apiVersion or a subresource is left alone', () => {
    assert.equal(createOwnershipMovedToApply([{ ...created, apiVersion: 'v1beta1' }], 'kubefedctl', 'v1'), undefined);
    assert.equal(
      createOwnershipMovedToApply([created, { ...applied, apiVersion: 'v1beta1' }], 'kubefedctl', 'v1'),
      undefined,
      'an Apply entry of another version cannot take fields by name',
    );
    const status = { ...created, subresource: 'status', fieldsV1: { 'f:status': {} } };
    assert.deepEqual(createOwnershipMovedToApply([status, created], 'kubefedctl', 'v1'), [
      status,
      { ...created, operation: 'Apply' },
    ]);
  });

  it('the input is not changed', () => {
    const input = [structuredClone(created), structuredClone(applied)];
    createOwnershipMovedToApply(input, 'kubefedctl', 'v1');
    assert.deepEqual(input, [created, applied]);
  });
});

describe('unchangedSinceOurWrite', () => {
  // The fields of `owned` as the API server recorded them for our create (read on a 1.34 server).
  const owned = {
    metadata: { labels: { 'kubefed.io/managed': 'true' }, annotations: { 'kubefed.io/applied-hash': 'h' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        spec: {
          containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }], args: ['a', 'b'] }],
        },
      },
    },
  };
  const ourFields = {
    'f:metadata': {
      'f:annotations': { '.': {}, 'f:kubefed.io/applied-hash': {} },
      'f:labels': { '.': {}, 'f:kubefed.io/managed': {} },
    },
    'f:spec': {
      'f:replicas': {},
      'f:selector': {},
      'f:template': {
        'f:spec': {
          'f:containers': {
            'k:{"name":"web"}': {
              '.': {},
              'f:args': {},
              'f:image': {},
              'f:name': {},
              'f:ports': { '.': {}, 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
            },
          },
        },
      },
    },
  };
  const ours = (fieldsV1: unknown, time = '2026-11-30T10:00:00Z', operation = 'Update') => ({
    manager: 'kubefedctl',
    operation,
    time,
    fieldsV1,
  });

  it('our entry owning every field we set, and no one else writing since: unchanged', () => {
    assert.equal(unchangedSinceOurWrite([ours(ourFields)], owned, 'kubefedctl'), true);
  });

  it('our create and our apply together own the fields', () => {
    const { 'f:metadata': meta, ...spec } = ourFields;
    const entries = [ours({ 'f:metadata': meta }), ours(spec, '2026-11-30T10:05:00Z', 'Apply')];
    assert.equal(unchangedSinceOurWrite(entries, owned, 'kubefedctl'), true);
  });

  it('a field removed by someone else (it leaves our set, and no other trace) is a change', () => {
    const removed = structuredClone(ourFields) as { 'f:spec': Record<string, unknown> };
    delete removed['f:spec']['f:replicas'];
    assert.equal(unchangedSinceOurWrite([ours(removed)], owned, 'kubefedctl'), false);
  });

  it('a list item removed by someone else is a change', () => {
    const noPorts = JSON.parse(
      JSON.stringify(ourFields).replace(
        ',"f:ports":{".":{},"k:{\\"containerPort\\":80,\\"protocol\\":\\"TCP\\"}":{".":{},"f:containerPort":{}}}',
        '',
      ),
    ) as unknown;
    assert.notDeepEqual(noPorts, ourFields);
    assert.equal(unchangedSinceOurWrite([ours(noPorts)], owned, 'kubefedctl'), false);
    // The port's key names a protocol the server defaulted: the item still matches on containerPort.
    assert.equal(unchangedSinceOurWrite([ours(ourFields)], owned, 'kubefedctl'), true);
  });

  it('another manager writing one of our fields at or after our last write is a change', () => {
    const scale = { manager: 'kubectl', operation: 'Update', fieldsV1: { 'f:spec': { 'f:replicas': {} } } };
    for (const time of ['2026-11-30T10:00:00Z', '2026-11-30T10:00:01Z'])
      assert.equal(unchangedSinceOurWrite([ours(ourFields), { ...scale, time }], owned, 'kubefedctl'), false, time);
    // Before our last write: our write set the field again since.
    const before = { ...scale, time: '2026-11-30T09:59:59Z' };
    assert.equal(unchangedSinceOurWrite([ours(ourFields), before], owned, 'kubefedctl'), true);
  });

  it('fields we do not set and the status subresource, written later by a controller, are no change', () => {
    const controller = [
      {
        manager: 'kube-controller-manager',
        operation: 'Update',
        time: '2026-11-30T10:01:00Z',
        fieldsV1: { 'f:metadata': { 'f:annotations': { 'f:deployment.kubernetes.io/revision': {} } } },
      },
      {
        manager: 'kube-controller-manager',
        operation: 'Update',
        subresource: 'status',
        time: '2026-11-30T10:01:00Z',
        fieldsV1: { 'f:status': { 'f:replicas': {} } },
      },
    ];
    assert.equal(unchangedSinceOurWrite([ours(ourFields), ...controller], owned, 'kubefedctl'), true);
  });

  it('no entry of ours, or one without a time, settles nothing', () => {
    assert.equal(unchangedSinceOurWrite(undefined, owned, 'kubefedctl'), false);
    assert.equal(unchangedSinceOurWrite([{ ...ours(ourFields), manager: 'kubectl' }], owned, 'kubefedctl'), false);
    const { time: _t, ...timeless } = ours(ourFields);
    assert.equal(unchangedSinceOurWrite([timeless], owned, 'kubefedctl'), false);
  });

  it('a set of scalars is matched item by item, and empty values need no field', () => {
    const withSet = { metadata: { finalizers: ['a', 'b'] }, data: { x: 'y', empty: '' } };
    const set = { 'f:metadata': { 'f:finalizers': { '.': {}, 'v:"a"': {}, 'v:"b"': {} } }, 'f:data': { 'f:x': {} } };
    assert.equal(unchangedSinceOurWrite([ours(set)], withSet, 'kubefedctl'), true);
    const lost = { 'f:metadata': { 'f:finalizers': { '.': {}, 'v:"a"': {} } }, 'f:data': { 'f:x': {} } };
    assert.equal(unchangedSinceOurWrite([ours(lost)], withSet, 'kubefedctl'), false);
  });
});

describe('FieldSetPool', () => {
  const entry = (manager: string, fieldsV1?: unknown) => ({
    manager,
    operation: 'Apply',
    ...(fieldsV1 ? { fieldsV1 } : {}),
  });
  const object = (...entries: unknown[]) => ({ metadata: { name: 'x', managedFields: entries } });
  const setOf = (o: { metadata: { managedFields: unknown[] } }, i: number) =>
    (o.metadata.managedFields[i] as { fieldsV1?: unknown }).fieldsV1;

  it('points equal field sets of different objects at one copy, and leaves different ones apart', () => {
    const pool = new FieldSetPool();
    const a = object(entry('kubefedctl', { 'f:data': { 'f:a': {} } }), entry('kubectl', { 'f:data': { 'f:b': {} } }));
    const b = object(entry('kubefedctl', { 'f:data': { 'f:a': {} } }));
    const c = object(entry('kubefedctl', { 'f:data': { 'f:c': {} } }), entry('other'));
    for (const o of [a, b, c]) pool.share(o);
    assert.equal(setOf(b, 0), setOf(a, 0));
    assert.notEqual(setOf(a, 1), setOf(a, 0));
    assert.deepEqual(setOf(c, 0), { 'f:data': { 'f:c': {} } });
    assert.equal(setOf(c, 1), undefined);
    pool.share({ metadata: {} });
  });

  it('keeps no more sets past its bound, and still shares those it has', () => {
    const pool = new FieldSetPool();
    const first = object(entry('m', { 'f:n': { 'f:0': {} } }));
    pool.share(first);
    for (let i = 1; i < 5000; i++) pool.share(object(entry('m', { 'f:n': { [`f:${i}`]: {} } })));
    const late = [object(entry('m', { 'f:n': { 'f:4999': {} } })), object(entry('m', { 'f:n': { 'f:4999': {} } }))];
    for (const o of late) pool.share(o);
    assert.notEqual(setOf(late[0]!, 0), setOf(late[1]!, 0));
    const again = object(entry('m', { 'f:n': { 'f:0': {} } }));
    pool.share(again);
    assert.equal(setOf(again, 0), setOf(first, 0));
  });
});
