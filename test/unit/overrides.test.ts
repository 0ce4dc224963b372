// Overrides (sync-semantics §2.4, kubefed overrides.go v0.8.1): a JSON-patch subset per cluster.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Operation } from 'fast-json-patch';
import type { ClusterOverride, Override } from '../../src/federation/federated-object.js';
import {
  applyOverrides,
  FORBIDDEN_OVERRIDE_PATHS,
  OverrideError,
  parseOverrides,
} from '../../src/federation/overrides.js';

function forCluster(clusterName: string, ...clusterOverrides: ClusterOverride[]): Override {
  return { clusterName, clusterOverrides };
}

/** Parses one cluster's overrides and returns its operations. */
function opsOf(...clusterOverrides: ClusterOverride[]): Operation[] {
  return parseOverrides([forCluster('c1', ...clusterOverrides)]).get('c1')!;
}

function deployment(): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'ns', labels: { app: 'web' } },
    spec: {
      replicas: 1,
      template: { spec: { containers: [{ name: 'web', image: 'nginx', args: ['-a', '-b'] }] } },
    },
  };
}

describe('parseOverrides', () => {
  it('no overrides give an empty map', () => {
    assert.equal(parseOverrides(undefined).size, 0);
    assert.equal(parseOverrides([]).size, 0);
  });

  it('the op defaults to replace when missing', () => {
    assert.deepEqual(opsOf({ path: '/spec/replicas', value: 5 }), [
      { op: 'replace', path: '/spec/replicas', value: 5 },
    ]);
  });

  it('an empty op means replace', () => {
    assert.deepEqual(opsOf({ op: '', path: '/spec/replicas', value: 5 }), [
      { op: 'replace', path: '/spec/replicas', value: 5 },
    ]);
  });

  it('add and replace keep their value', () => {
    assert.deepEqual(opsOf({ op: 'add', path: '/a', value: { x: 1 } }, { op: 'replace', path: '/b', value: [1] }), [
      { op: 'add', path: '/a', value: { x: 1 } },
      { op: 'replace', path: '/b', value: [1] },
    ]);
  });

  it('remove ignores any value', () => {
    assert.deepEqual(opsOf({ op: 'remove', path: '/a', value: 'ignored' }), [{ op: 'remove', path: '/a' }]);
  });

  it('operations keep their list order', () => {
    assert.deepEqual(
      opsOf({ path: '/z', value: 1 }, { op: 'add', path: '/a', value: 2 }, { op: 'remove', path: '/m' }).map(
        (o) => o.path,
      ),
      ['/z', '/a', '/m'],
    );
  });

  it('each cluster gets its own operations; a cluster without clusterOverrides gets none', () => {
    const map = parseOverrides([forCluster('c1', { path: '/a', value: 1 }), { clusterName: 'c2' }]);
    assert.deepEqual([...map.keys()], ['c1', 'c2']);
    assert.deepEqual(map.get('c1'), [{ op: 'replace', path: '/a', value: 1 }]);
    assert.deepEqual(map.get('c2'), []);
  });

  it('the same path may appear once in each of several clusters', () => {
    const map = parseOverrides([
      forCluster('c1', { path: '/a', value: 1 }),
      forCluster('c2', { path: '/a', value: 2 }),
    ]);
    assert.equal(map.size, 2);
  });

  it('apiVersion may be overridden', () => {
    assert.deepEqual(opsOf({ path: '/apiVersion', value: 'networking.k8s.io/v1' }), [
      { op: 'replace', path: '/apiVersion', value: 'networking.k8s.io/v1' },
    ]);
  });

  for (const path of ['/metadata/name', '/metadata/namespace', '/metadata/generateName', '/kind']) {
    it(`the path ${path} is forbidden`, () => {
      assert.throws(
        () => opsOf({ path, value: 'x' }),
        (e: unknown) =>
          e instanceof OverrideError && e.message.includes(path) && /cannot be overridden/.test(e.message),
      );
    });
  }

  it('the forbidden list is exactly name, namespace, generateName and kind', () => {
    assert.deepEqual([...FORBIDDEN_OVERRIDE_PATHS].sort(), [
      '/kind',
      '/metadata/generateName',
      '/metadata/name',
      '/metadata/namespace',
    ]);
  });

  it('a cluster that appears twice is an error', () => {
    assert.throws(
      () => parseOverrides([forCluster('c1', { path: '/a', value: 1 }), forCluster('c1', { path: '/b', value: 2 })]),
      (e: unknown) =>
        e instanceof OverrideError &&
        /cluster "c1" appears more than once/.test(e.message) &&
        e.message.includes('spec.overrides[1]'),
    );
  });

  it('the same path twice for one cluster is an error', () => {
    assert.throws(
      () => opsOf({ path: '/spec/replicas', value: 1 }, { op: 'add', path: '/spec/replicas', value: 2 }),
      (e: unknown) =>
        e instanceof OverrideError &&
        /"\/spec\/replicas" appears more than once for cluster "c1"/.test(e.message) &&
        e.message.includes('clusterOverrides[1]'),
    );
  });

  for (const op of ['move', 'copy', 'test', 'Replace', 'delete']) {
    it(`the op "${op}" is an error`, () => {
      assert.throws(
        () => opsOf({ op, path: '/a', value: 1 }),
        (e: unknown) => e instanceof OverrideError && e.message.includes(`"${op}" is not one of add, remove, replace`),
      );
    });
  }

  for (const path of ['spec.replicas', 'spec/replicas', '']) {
    it(`a path without a leading slash is an error: ${JSON.stringify(path)}`, () => {
      assert.throws(
        () => opsOf({ path, value: 1 }),
        (e: unknown) => e instanceof OverrideError && /must be a JSON pointer starting with "\/"/.test(e.message),
      );
    });
  }

  it('a missing or empty clusterName is an error', () => {
    assert.throws(() => parseOverrides([{ clusterName: '', clusterOverrides: [] }]), OverrideError);
    assert.throws(() => parseOverrides([{ clusterOverrides: [] } as unknown as Override]), OverrideError);
  });

  it('one bad entry makes the whole list unusable, even for other clusters', () => {
    assert.throws(
      () =>
        parseOverrides([
          forCluster('good', { path: '/a', value: 1 }),
          forCluster('bad', { path: '/kind', value: 'X' }),
        ]),
      OverrideError,
    );
  });
});

describe('applyOverrides: JSON patch semantics', () => {
  it('replace sets an existing value', () => {
    const out = applyOverrides(deployment(), opsOf({ path: '/spec/replicas', value: 5 }));
    assert.equal((out['spec'] as { replicas: number }).replicas, 5);
  });

  it('replace of a path that does not exist is an OverrideError naming the operation', () => {
    assert.throws(
      () => applyOverrides(deployment(), opsOf({ path: '/spec/paused', value: true })),
      (e: unknown) => e instanceof OverrideError && e.message.includes('replace /spec/paused'),
    );
  });

  it('replace below a missing parent is an OverrideError', () => {
    assert.throws(
      () => applyOverrides(deployment(), opsOf({ path: '/metadata/annotations/a', value: 'x' })),
      OverrideError,
    );
  });

  it('remove deletes an existing member', () => {
    const out = applyOverrides(deployment(), opsOf({ op: 'remove', path: '/metadata/labels/app' }));
    assert.deepEqual((out['metadata'] as { labels: object }).labels, {});
  });

  it('remove of a path that does not exist is an OverrideError', () => {
    assert.throws(
      () => applyOverrides(deployment(), opsOf({ op: 'remove', path: '/metadata/labels/missing' })),
      OverrideError,
    );
  });

  it('remove of an array element shifts the rest', () => {
    const out = applyOverrides(deployment(), opsOf({ op: 'remove', path: '/spec/template/spec/containers/0/args/0' }));
    assert.deepEqual((out as any).spec.template.spec.containers[0].args, ['-b']);
  });

  it('add creates a new object member', () => {
    const out = applyOverrides(
      deployment(),
      opsOf({ op: 'add', path: '/metadata/annotations', value: { foo: 'bar' } }),
    );
    assert.deepEqual((out as any).metadata.annotations, { foo: 'bar' });
  });

  it('add replaces an existing object member', () => {
    const out = applyOverrides(deployment(), opsOf({ op: 'add', path: '/spec/replicas', value: 3 }));
    assert.equal((out as any).spec.replicas, 3);
  });

  it('add at an array index inserts and shifts the existing elements', () => {
    const out = applyOverrides(
      deployment(),
      opsOf({ op: 'add', path: '/spec/template/spec/containers/0/args/0', value: '-q' }),
    );
    assert.deepEqual((out as any).spec.template.spec.containers[0].args, ['-q', '-a', '-b']);
  });

  it('add with "-" appends to an array', () => {
    const out = applyOverrides(
      deployment(),
      opsOf({ op: 'add', path: '/spec/template/spec/containers/0/args/-', value: '-z' }),
    );
    assert.deepEqual((out as any).spec.template.spec.containers[0].args, ['-a', '-b', '-z']);
  });

  it('add below a missing parent is an OverrideError', () => {
    assert.throws(
      () => applyOverrides(deployment(), opsOf({ op: 'add', path: '/metadata/annotations/foo', value: 'bar' })),
      OverrideError,
    );
  });

  it('add past the end of an array is an OverrideError', () => {
    assert.throws(
      () =>
        applyOverrides(deployment(), opsOf({ op: 'add', path: '/spec/template/spec/containers/0/args/5', value: 'x' })),
      OverrideError,
    );
  });

  it('replace of a whole subtree takes the override value', () => {
    const out = applyOverrides(deployment(), opsOf({ path: '/metadata/labels', value: { tier: 'edge' } }));
    assert.deepEqual((out as any).metadata.labels, { tier: 'edge' });
  });

  it('RFC 6901 escapes: ~1 is a slash in a key', () => {
    const out = applyOverrides(
      deployment(),
      opsOf({ op: 'add', path: '/metadata/labels/kubefed.io~1region', value: 'eu' }),
    );
    assert.deepEqual((out as any).metadata.labels, { app: 'web', 'kubefed.io/region': 'eu' });
  });

  it('operations apply in list order: a later operation sees an earlier one', () => {
    const out = applyOverrides(
      deployment(),
      opsOf(
        { op: 'add', path: '/metadata/annotations', value: {} },
        { op: 'add', path: '/metadata/annotations/foo', value: 'bar' },
      ),
    );
    assert.deepEqual((out as any).metadata.annotations, { foo: 'bar' });
  });

  it('operations apply in list order: the reverse order fails', () => {
    assert.throws(
      () =>
        applyOverrides(
          deployment(),
          opsOf(
            { op: 'add', path: '/metadata/annotations/foo', value: 'bar' },
            { op: 'add', path: '/metadata/annotations', value: {} },
          ),
        ),
      OverrideError,
    );
  });

  it('operations apply in list order: array inserts build up one after another', () => {
    const doc = { list: [] as string[] };
    assert.deepEqual(
      applyOverrides(doc, opsOf({ op: 'add', path: '/list/0', value: 'a' }, { op: 'add', path: '/list/1', value: 'b' }))
        .list,
      ['a', 'b'],
    );
    assert.deepEqual(
      applyOverrides(doc, opsOf({ op: 'add', path: '/list/-', value: 'a' }, { op: 'add', path: '/list/0', value: 'b' }))
        .list,
      ['b', 'a'],
    );
  });

  it('the input object is not mutated', () => {
    const input = deployment();
    const before = structuredClone(input);
    const out = applyOverrides(
      input,
      opsOf(
        { path: '/spec/replicas', value: 9 },
        { op: 'remove', path: '/metadata/labels/app' },
        { op: 'add', path: '/spec/template/spec/containers/0/args/0', value: '-q' },
      ),
    );
    assert.deepEqual(input, before);
    assert.notEqual(out, input);
    assert.equal((out as any).spec.replicas, 9);
  });

  it('a failing patch does not mutate the input either', () => {
    const input = deployment();
    const before = structuredClone(input);
    assert.throws(
      () => applyOverrides(input, opsOf({ path: '/spec/replicas', value: 9 }, { path: '/spec/missing', value: 1 })),
      OverrideError,
    );
    assert.deepEqual(input, before);
  });

  it('the result does not share override values: changing it leaves the federated overrides alone', () => {
    const overrides = [forCluster('c1', { op: 'add', path: '/metadata', value: { labels: { a: 'b' } } })];
    const out = applyOverrides(deployment(), parseOverrides(overrides).get('c1')!);
    (out as any).metadata.labels.injected = 'x';
    (out as any).metadata.annotations = { also: 'injected' };
    assert.deepEqual(overrides[0]!.clusterOverrides![0]!.value, { labels: { a: 'b' } });
  });

  it('no operations leave the object as it was', () => {
    assert.deepEqual(applyOverrides(deployment(), []), deployment());
  });
});
