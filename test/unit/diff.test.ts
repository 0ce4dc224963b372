import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diffOf } from '../../src/commands/diff/run.js';
import { maskSecrets, projectOnto, unifiedDiff } from '../../src/output/diff.js';

describe('unified diff', () => {
  it('is empty for equal text', () => {
    assert.equal(unifiedDiff('a\nb\n', 'a\nb\n', 'x', 'y'), '');
  });
  it('shows changed lines with context and hunk headers', () => {
    const before = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].join('\n');
    const after = ['a', 'b', 'c', 'd', 'E', 'f', 'g', 'h', 'i'].join('\n');
    assert.equal(
      unifiedDiff(before, after, 'live', 'propagated'),
      '--- live\n+++ propagated\n@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n',
    );
  });
  it('a new object is all additions', () => {
    assert.equal(unifiedDiff('', 'a: 1\n', 'live', 'propagated'), '--- live\n+++ propagated\n@@ -0,0 +1,1 @@\n+a: 1\n');
  });
});

describe('diff helpers', () => {
  it('projects the live object onto the applied fields only', () => {
    const live = {
      metadata: { name: 'x', uid: 'u', resourceVersion: '7', labels: { a: '1', b: '2' } },
      data: { k: 'v', extra: 'e' },
      status: {},
    };
    const desired = { metadata: { name: 'x', labels: { a: '1' } }, data: { k: 'w' } };
    assert.deepEqual(projectOnto(live, desired), { metadata: { name: 'x', labels: { a: '1' } }, data: { k: 'v' } });
  });
  it('masks Secret values, telling changed keys from unchanged ones', () => {
    const [before, after] = maskSecrets(
      { kind: 'Secret', data: { same: 'czE=', changed: 'YQ==' } },
      { kind: 'Secret', data: { same: 'czE=', changed: 'Yg==', added: 'Yw==' } },
    );
    assert.deepEqual(before, { kind: 'Secret', data: { same: '***', changed: '*** (before)' } });
    assert.deepEqual(after, { kind: 'Secret', data: { same: '***', changed: '*** (after)', added: '*** (after)' } });
    const [cmBefore] = maskSecrets({ kind: 'ConfigMap', data: { k: 'v' } }, undefined);
    assert.deepEqual(cmBefore, { kind: 'ConfigMap', data: { k: 'v' } });
  });
  it('never prints a Secret value in a diff', () => {
    const text = diffOf({
      cluster: 'c1',
      kind: 'update',
      status: '',
      live: {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 's', namespace: 'n' },
        data: { password: 'aHVudGVyMg==' },
      },
      desired: {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 's', namespace: 'n' },
        data: { password: 'c2VjcmV0' },
      },
    });
    assert.doesNotMatch(text, /aHVudGVyMg==|c2VjcmV0/);
    assert.match(text, /-  password: "\*\*\* \(before\)"\n\+  password: "\*\*\* \(after\)"/);
  });
  it('an unchanged object has no diff; a delete is all removals', () => {
    const obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n' }, data: { a: 'b' } };
    assert.equal(diffOf({ cluster: 'c1', kind: 'none', status: '', live: obj, desired: obj }), '');
    assert.match(
      diffOf({ cluster: 'c1', kind: 'delete', status: 'WaitingForRemoval', live: obj }),
      /^--- c1\/configmap\/n\/c \(live\)\n\+\+\+ c1\/configmap\/n\/c \(deleted\)\n@@ -1,\d+ \+0,0 @@\n-apiVersion: v1/,
    );
  });
});
