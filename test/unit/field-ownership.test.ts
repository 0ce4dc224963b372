// Deciding from managedFields whether an apply could take a field from another writer.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { othersOwnDesiredFields } from '../../src/federation/field-ownership.js';

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
