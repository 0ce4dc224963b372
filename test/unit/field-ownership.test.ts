// Deciding from managedFields whether an apply could take a field from another writer, and moving
// the fields our create owns (operation Update) to our apply.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createOwnershipMovedToApply,
  othersOwnDesiredFields,
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
