// Overrides (sync-semantics §2.4, kubefed overrides.go v0.8.1 to v0.10.0): a JSON-patch subset per cluster,
// applied with the rules of evanphx/json-patch v4 (docs/propagation.md, "Overrides").
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MANAGED_LABEL } from '../../src/api/kubefed.js';
import type { ClusterOverride, Override } from '../../src/federation/federated-object.js';
import {
  applyOverrides,
  FORBIDDEN_OVERRIDE_PATHS,
  OverrideError,
  parseOverrides,
  type OverrideOperation,
} from '../../src/federation/overrides.js';
import { renderForCluster } from '../../src/federation/render.js';
import { typeConfigFor } from '../../src/federation/typeconfig.js';

function forCluster(clusterName: string, ...clusterOverrides: ClusterOverride[]): Override {
  return { clusterName, clusterOverrides };
}

/** Parses one cluster's overrides and returns its operations. */
function opsOf(...clusterOverrides: ClusterOverride[]): OverrideOperation[] {
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

  it('replace of a missing member of an existing object sets it (evanphx/json-patch v4, unlike RFC 6902)', () => {
    const out = applyOverrides(deployment(), opsOf({ path: '/spec/paused', value: true }));
    assert.equal((out as any).spec.paused, true);
  });

  it('a failing operation is an OverrideError of one line naming the operation', () => {
    assert.throws(
      () => applyOverrides(deployment(), opsOf({ path: '/spec/paused/x', value: true })),
      (e: unknown) =>
        e instanceof OverrideError && e.message === 'cannot apply replace /spec/paused/x: /spec/paused does not exist',
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
      () => applyOverrides(input, opsOf({ path: '/spec/replicas', value: 9 }, { path: '/spec/missing/x', value: 1 })),
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

// Ground truth: every row below was run through github.com/evanphx/json-patch v4.12.0+incompatible, the
// version KubeFed v0.10.0 vendors (its go.mod), by a small Go program doing what KubeFed's
// util.ApplyJSONPatch does: an empty op becomes "replace", the operations are marshalled with
// `value,omitempty` (so null is dropped) and applied with Patch.Apply. `out` is that program's output
// verbatim; `error` names the operation that failed there (the last one of each failing row).
const ARGS = '/spec/template/spec/containers/0/args';

function plain(): Record<string, unknown> {
  return {
    metadata: { name: 'web' },
    spec: { replicas: 1, template: { spec: { containers: [{ name: 'web', args: ['-a', '-b'] }] } } },
  };
}

function withLabels(): Record<string, unknown> {
  const doc = plain();
  (doc as any).metadata.labels = { app: 'web' };
  return doc;
}

interface Vector {
  name: string;
  doc: unknown;
  ops: ClusterOverride[];
  out?: string;
  error?: string;
}

const V4_VECTORS: Vector[] = [
  {
    name: 'replace /metadata/labels on a template without labels sets them',
    doc: plain(),
    ops: [{ path: '/metadata/labels', value: { tier: 'edge' } }],
    out: '{"metadata":{"labels":{"tier":"edge"},"name":"web"},"spec":{"replicas":1,"template":{"spec":{"containers":[{"name":"web","args":["-a","-b"]}]}}}}',
  },
  {
    name: 'replace /spec/template/spec/nodeSelector on a template without one sets it',
    doc: plain(),
    ops: [{ op: 'replace', path: '/spec/template/spec/nodeSelector', value: { disk: 'ssd' } }],
    out: '{"metadata":{"name":"web"},"spec":{"replicas":1,"template":{"spec":{"containers":[{"name":"web","args":["-a","-b"]}],"nodeSelector":{"disk":"ssd"}}}}}',
  },
  {
    name: 'replace of an existing member',
    doc: plain(),
    ops: [{ path: '/spec/replicas', value: 5 }],
    out: '{"metadata":{"name":"web"},"spec":{"replicas":5,"template":{"spec":{"containers":[{"name":"web","args":["-a","-b"]}]}}}}',
  },
  {
    name: 'replace of an existing subtree',
    doc: withLabels(),
    ops: [{ path: '/metadata/labels', value: { tier: 'edge' } }],
    out: '{"metadata":{"labels":{"tier":"edge"},"name":"web"},"spec":{"replicas":1,"template":{"spec":{"containers":[{"name":"web","args":["-a","-b"]}]}}}}',
  },
  {
    name: 'replace of a missing member of an existing object',
    doc: withLabels(),
    ops: [{ path: '/metadata/labels/tier', value: 'edge' }],
    out: '{"metadata":{"labels":{"app":"web","tier":"edge"},"name":"web"},"spec":{"replicas":1,"template":{"spec":{"containers":[{"name":"web","args":["-a","-b"]}]}}}}',
  },
  {
    name: 'replace below a missing object',
    doc: plain(),
    ops: [{ path: '/metadata/labels/tier', value: 'edge' }],
    error: 'replace /metadata/labels/tier',
  },
  {
    name: 'replace below a scalar',
    doc: plain(),
    ops: [{ path: '/spec/replicas/x', value: 1 }],
    error: 'replace /spec/replicas/x',
  },
  {
    name: 'replace below a string',
    doc: plain(),
    ops: [{ path: '/metadata/name/x', value: 1 }],
    error: 'replace /metadata/name/x',
  },
  {
    name: 'replace with a null value',
    doc: plain(),
    ops: [{ path: '/spec/replicas' }],
    out: '{"metadata":{"name":"web"},"spec":{"replicas":null,"template":{"spec":{"containers":[{"name":"web","args":["-a","-b"]}]}}}}',
  },
  {
    name: 'replace without a value',
    doc: plain(),
    ops: [{ path: '/spec/replicas' }],
    out: '{"metadata":{"name":"web"},"spec":{"replicas":null,"template":{"spec":{"containers":[{"name":"web","args":["-a","-b"]}]}}}}',
  },
  {
    name: 'replace of the member "-" of an object',
    doc: withLabels(),
    ops: [{ path: '/metadata/labels/-', value: 'x' }],
    out: '{"metadata":{"labels":{"-":"x","app":"web"},"name":"web"},"spec":{"replicas":1,"template":{"spec":{"containers":[{"name":"web","args":["-a","-b"]}]}}}}',
  },
  { name: 'replace of the member "" (path "/")', doc: { a: 1 }, ops: [{ path: '/', value: 2 }], out: '{"":2,"a":1}' },
  {
    name: 'add of a new member',
    doc: plain(),
    ops: [{ op: 'add', path: '/metadata/annotations', value: { a: 'b' } }],
    out: '{"metadata":{"annotations":{"a":"b"},"name":"web"},"spec":{"replicas":1,"template":{"spec":{"containers":[{"name":"web","args":["-a","-b"]}]}}}}',
  },
  {
    name: 'add of an existing member replaces it',
    doc: plain(),
    ops: [{ op: 'add', path: '/spec/replicas', value: 3 }],
    out: '{"metadata":{"name":"web"},"spec":{"replicas":3,"template":{"spec":{"containers":[{"name":"web","args":["-a","-b"]}]}}}}',
  },
  {
    name: 'add below a missing object',
    doc: plain(),
    ops: [{ op: 'add', path: '/metadata/labels/tier', value: 'edge' }],
    error: 'add /metadata/labels/tier',
  },
  {
    name: 'add below a scalar',
    doc: plain(),
    ops: [{ op: 'add', path: '/spec/replicas/x', value: 1 }],
    error: 'add /spec/replicas/x',
  },
  {
    name: 'add with a null value',
    doc: plain(),
    ops: [{ op: 'add', path: '/spec/paused' }],
    out: '{"metadata":{"name":"web"},"spec":{"paused":null,"replicas":1,"template":{"spec":{"containers":[{"name":"web","args":["-a","-b"]}]}}}}',
  },
  {
    name: 'add of the member "-" of an object',
    doc: withLabels(),
    ops: [{ op: 'add', path: '/metadata/labels/-', value: 'x' }],
    out: '{"metadata":{"labels":{"-":"x","app":"web"},"name":"web"},"spec":{"replicas":1,"template":{"spec":{"containers":[{"name":"web","args":["-a","-b"]}]}}}}',
  },
  {
    name: 'add of a numeric member of an object',
    doc: withLabels(),
    ops: [{ op: 'add', path: '/metadata/labels/0', value: 'x' }],
    out: '{"metadata":{"labels":{"0":"x","app":"web"},"name":"web"},"spec":{"replicas":1,"template":{"spec":{"containers":[{"name":"web","args":["-a","-b"]}]}}}}',
  },
  {
    name: 'add below a null member',
    doc: { a: null },
    ops: [{ op: 'add', path: '/a/b', value: 1 }],
    error: 'add /a/b',
  },
  {
    name: 'replace below a null member',
    doc: { a: null },
    ops: [{ op: 'replace', path: '/a/b', value: 1 }],
    error: 'replace /a/b',
  },
  {
    name: 'remove of an existing member',
    doc: withLabels(),
    ops: [{ op: 'remove', path: '/metadata/labels/app' }],
    out: '{"metadata":{"labels":{},"name":"web"},"spec":{"replicas":1,"template":{"spec":{"containers":[{"name":"web","args":["-a","-b"]}]}}}}',
  },
  {
    name: 'remove of a missing member',
    doc: withLabels(),
    ops: [{ op: 'remove', path: '/metadata/labels/tier' }],
    error: 'remove /metadata/labels/tier',
  },
  {
    name: 'remove below a missing object',
    doc: plain(),
    ops: [{ op: 'remove', path: '/metadata/labels/app' }],
    error: 'remove /metadata/labels/app',
  },
  { name: 'remove of a null member', doc: { a: null, b: 1 }, ops: [{ op: 'remove', path: '/a' }], out: '{"b":1}' },
  {
    name: 'remove ignores the value',
    doc: withLabels(),
    ops: [{ op: 'remove', path: '/metadata/labels/app', value: 'ignored' }],
    out: '{"metadata":{"labels":{},"name":"web"},"spec":{"replicas":1,"template":{"spec":{"containers":[{"name":"web","args":["-a","-b"]}]}}}}',
  },
  {
    name: 'add at index 0 inserts',
    doc: plain(),
    ops: [{ op: 'add', path: `${ARGS}/0`, value: '-q' }],
    out: '{"metadata":{"name":"web"},"spec":{"replicas":1,"template":{"spec":{"containers":[{"args":["-q","-a","-b"],"name":"web"}]}}}}',
  },
  {
    name: 'add at index 1 inserts',
    doc: plain(),
    ops: [{ op: 'add', path: `${ARGS}/1`, value: '-q' }],
    out: '{"metadata":{"name":"web"},"spec":{"replicas":1,"template":{"spec":{"containers":[{"args":["-a","-q","-b"],"name":"web"}]}}}}',
  },
  {
    name: 'add at index == length appends',
    doc: plain(),
    ops: [{ op: 'add', path: `${ARGS}/2`, value: '-q' }],
    out: '{"metadata":{"name":"web"},"spec":{"replicas":1,"template":{"spec":{"containers":[{"args":["-a","-b","-q"],"name":"web"}]}}}}',
  },
  {
    name: 'add past the end',
    doc: plain(),
    ops: [{ op: 'add', path: `${ARGS}/3`, value: '-q' }],
    error: 'add /spec/template/spec/containers/0/args/3',
  },
  {
    name: 'add at "-" appends',
    doc: plain(),
    ops: [{ op: 'add', path: `${ARGS}/-`, value: '-q' }],
    out: '{"metadata":{"name":"web"},"spec":{"replicas":1,"template":{"spec":{"containers":[{"args":["-a","-b","-q"],"name":"web"}]}}}}',
  },
  {
    name: 'add at -1 appends',
    doc: plain(),
    ops: [{ op: 'add', path: `${ARGS}/-1`, value: '-q' }],
    out: '{"metadata":{"name":"web"},"spec":{"replicas":1,"template":{"spec":{"containers":[{"args":["-a","-b","-q"],"name":"web"}]}}}}',
  },
  {
    name: 'add at -2 inserts before the last',
    doc: plain(),
    ops: [{ op: 'add', path: `${ARGS}/-2`, value: '-q' }],
    out: '{"metadata":{"name":"web"},"spec":{"replicas":1,"template":{"spec":{"containers":[{"args":["-a","-q","-b"],"name":"web"}]}}}}',
  },
  {
    name: 'add at -(length+1) inserts first',
    doc: plain(),
    ops: [{ op: 'add', path: `${ARGS}/-3`, value: '-q' }],
    out: '{"metadata":{"name":"web"},"spec":{"replicas":1,"template":{"spec":{"containers":[{"args":["-q","-a","-b"],"name":"web"}]}}}}',
  },
  {
    name: 'add at -(length+2)',
    doc: plain(),
    ops: [{ op: 'add', path: `${ARGS}/-4`, value: '-q' }],
    error: 'add /spec/template/spec/containers/0/args/-4',
  },
  {
    name: 'add at a non-numeric index',
    doc: plain(),
    ops: [{ op: 'add', path: `${ARGS}/x`, value: '-q' }],
    error: 'add /spec/template/spec/containers/0/args/x',
  },
  {
    name: 'add at a leading-zero index',
    doc: plain(),
    ops: [{ op: 'add', path: `${ARGS}/01`, value: '-q' }],
    out: '{"metadata":{"name":"web"},"spec":{"replicas":1,"template":{"spec":{"containers":[{"args":["-a","-q","-b"],"name":"web"}]}}}}',
  },
  {
    name: 'add at a plus-signed index',
    doc: plain(),
    ops: [{ op: 'add', path: `${ARGS}/+1`, value: '-q' }],
    out: '{"metadata":{"name":"web"},"spec":{"replicas":1,"template":{"spec":{"containers":[{"args":["-a","-q","-b"],"name":"web"}]}}}}',
  },
  {
    name: 'add at -0',
    doc: plain(),
    ops: [{ op: 'add', path: `${ARGS}/-0`, value: '-q' }],
    out: '{"metadata":{"name":"web"},"spec":{"replicas":1,"template":{"spec":{"containers":[{"args":["-q","-a","-b"],"name":"web"}]}}}}',
  },
  {
    name: 'add at an empty index',
    doc: plain(),
    ops: [{ op: 'add', path: `${ARGS}/`, value: '-q' }],
    error: 'add /spec/template/spec/containers/0/args/',
  },
  {
    name: 'add at a huge index',
    doc: plain(),
    ops: [{ op: 'add', path: `${ARGS}/99999999999999999999`, value: '-q' }],
    error: 'add /spec/template/spec/containers/0/args/99999999999999999999',
  },
  {
    name: 'add at 0 of an empty array',
    doc: { list: [] },
    ops: [{ op: 'add', path: '/list/0', value: 'a' }],
    out: '{"list":["a"]}',
  },
  {
    name: 'add at -1 of an empty array',
    doc: { list: [] },
    ops: [{ op: 'add', path: '/list/-1', value: 'a' }],
    out: '{"list":["a"]}',
  },
  {
    name: 'add at 1 of an empty array',
    doc: { list: [] },
    ops: [{ op: 'add', path: '/list/1', value: 'a' }],
    error: 'add /list/1',
  },
  {
    name: 'add a null element',
    doc: plain(),
    ops: [{ op: 'add', path: `${ARGS}/0` }],
    out: '{"metadata":{"name":"web"},"spec":{"replicas":1,"template":{"spec":{"containers":[{"args":[null,"-a","-b"],"name":"web"}]}}}}',
  },
  {
    name: 'replace at index 0',
    doc: plain(),
    ops: [{ path: `${ARGS}/0`, value: '-q' }],
    out: '{"metadata":{"name":"web"},"spec":{"replicas":1,"template":{"spec":{"containers":[{"args":["-q","-b"],"name":"web"}]}}}}',
  },
  {
    name: 'replace at the last index',
    doc: plain(),
    ops: [{ path: `${ARGS}/1`, value: '-q' }],
    out: '{"metadata":{"name":"web"},"spec":{"replicas":1,"template":{"spec":{"containers":[{"args":["-a","-q"],"name":"web"}]}}}}',
  },
  {
    name: 'replace at index == length',
    doc: plain(),
    ops: [{ path: `${ARGS}/2`, value: '-q' }],
    error: 'replace /spec/template/spec/containers/0/args/2',
  },
  {
    name: 'replace at "-"',
    doc: plain(),
    ops: [{ path: `${ARGS}/-`, value: '-q' }],
    error: 'replace /spec/template/spec/containers/0/args/-',
  },
  {
    name: 'replace at -1 replaces the last',
    doc: plain(),
    ops: [{ path: `${ARGS}/-1`, value: '-q' }],
    out: '{"metadata":{"name":"web"},"spec":{"replicas":1,"template":{"spec":{"containers":[{"args":["-a","-q"],"name":"web"}]}}}}',
  },
  {
    name: 'replace at -length replaces the first',
    doc: plain(),
    ops: [{ path: `${ARGS}/-2`, value: '-q' }],
    out: '{"metadata":{"name":"web"},"spec":{"replicas":1,"template":{"spec":{"containers":[{"args":["-q","-b"],"name":"web"}]}}}}',
  },
  {
    name: 'replace at -(length+1)',
    doc: plain(),
    ops: [{ path: `${ARGS}/-3`, value: '-q' }],
    error: 'replace /spec/template/spec/containers/0/args/-3',
  },
  {
    name: 'replace at a non-numeric index',
    doc: plain(),
    ops: [{ path: `${ARGS}/x`, value: '-q' }],
    error: 'replace /spec/template/spec/containers/0/args/x',
  },
  {
    name: 'replace at 0 of an empty array',
    doc: { list: [] },
    ops: [{ path: '/list/0', value: 'a' }],
    error: 'replace /list/0',
  },
  {
    name: 'remove at index 0',
    doc: plain(),
    ops: [{ op: 'remove', path: `${ARGS}/0` }],
    out: '{"metadata":{"name":"web"},"spec":{"replicas":1,"template":{"spec":{"containers":[{"args":["-b"],"name":"web"}]}}}}',
  },
  {
    name: 'remove at the last index',
    doc: plain(),
    ops: [{ op: 'remove', path: `${ARGS}/1` }],
    out: '{"metadata":{"name":"web"},"spec":{"replicas":1,"template":{"spec":{"containers":[{"args":["-a"],"name":"web"}]}}}}',
  },
  {
    name: 'remove at index == length',
    doc: plain(),
    ops: [{ op: 'remove', path: `${ARGS}/2` }],
    error: 'remove /spec/template/spec/containers/0/args/2',
  },
  {
    name: 'remove at "-"',
    doc: plain(),
    ops: [{ op: 'remove', path: `${ARGS}/-` }],
    error: 'remove /spec/template/spec/containers/0/args/-',
  },
  {
    name: 'remove at -1 removes the last',
    doc: plain(),
    ops: [{ op: 'remove', path: `${ARGS}/-1` }],
    out: '{"metadata":{"name":"web"},"spec":{"replicas":1,"template":{"spec":{"containers":[{"args":["-a"],"name":"web"}]}}}}',
  },
  {
    name: 'remove at -length removes the first',
    doc: plain(),
    ops: [{ op: 'remove', path: `${ARGS}/-2` }],
    out: '{"metadata":{"name":"web"},"spec":{"replicas":1,"template":{"spec":{"containers":[{"args":["-b"],"name":"web"}]}}}}',
  },
  {
    name: 'remove at -(length+1)',
    doc: plain(),
    ops: [{ op: 'remove', path: `${ARGS}/-3` }],
    error: 'remove /spec/template/spec/containers/0/args/-3',
  },
  {
    name: 'remove at 0 of an empty array',
    doc: { list: [] },
    ops: [{ op: 'remove', path: '/list/0' }],
    error: 'remove /list/0',
  },
  {
    name: 'remove at -1 of an empty array',
    doc: { list: [] },
    ops: [{ op: 'remove', path: '/list/-1' }],
    error: 'remove /list/-1',
  },
  {
    name: 'an index on the way',
    doc: plain(),
    ops: [{ path: '/spec/template/spec/containers/0/name', value: 'app' }],
    out: '{"metadata":{"name":"web"},"spec":{"replicas":1,"template":{"spec":{"containers":[{"args":["-a","-b"],"name":"app"}]}}}}',
  },
  {
    name: 'a negative index on the way',
    doc: plain(),
    ops: [{ path: '/spec/template/spec/containers/-1/name', value: 'app' }],
    out: '{"metadata":{"name":"web"},"spec":{"replicas":1,"template":{"spec":{"containers":[{"args":["-a","-b"],"name":"app"}]}}}}',
  },
  {
    name: 'an index past the end on the way',
    doc: plain(),
    ops: [{ path: '/spec/template/spec/containers/1/name', value: 'app' }],
    error: 'replace /spec/template/spec/containers/1/name',
  },
  {
    name: '"-" on the way',
    doc: plain(),
    ops: [{ op: 'add', path: '/spec/template/spec/containers/-/name', value: 'app' }],
    error: 'add /spec/template/spec/containers/-/name',
  },
  {
    name: 'a non-numeric index on the way',
    doc: plain(),
    ops: [{ op: 'add', path: '/spec/template/spec/containers/web/name', value: 'app' }],
    error: 'add /spec/template/spec/containers/web/name',
  },
  {
    name: 'a null element on the way',
    doc: { list: [null] },
    ops: [{ op: 'add', path: '/list/0/a', value: 1 }],
    error: 'add /list/0/a',
  },
  {
    name: '~1 is a slash in a key',
    doc: withLabels(),
    ops: [{ op: 'add', path: '/metadata/labels/kubefed.io~1region', value: 'eu' }],
    out: '{"metadata":{"labels":{"app":"web","kubefed.io/region":"eu"},"name":"web"},"spec":{"replicas":1,"template":{"spec":{"containers":[{"name":"web","args":["-a","-b"]}]}}}}',
  },
  {
    name: '~0 is a tilde in a key, ~01 is ~1',
    doc: withLabels(),
    ops: [{ path: '/metadata/labels/a~0b~01', value: 'x' }],
    out: '{"metadata":{"labels":{"app":"web","a~b~1":"x"},"name":"web"},"spec":{"replicas":1,"template":{"spec":{"containers":[{"name":"web","args":["-a","-b"]}]}}}}',
  },
  {
    name: 'a later operation sees an earlier one',
    doc: plain(),
    ops: [
      { op: 'add', path: '/metadata/annotations', value: {} },
      { op: 'add', path: '/metadata/annotations/a', value: 'b' },
    ],
    out: '{"metadata":{"annotations":{"a":"b"},"name":"web"},"spec":{"replicas":1,"template":{"spec":{"containers":[{"name":"web","args":["-a","-b"]}]}}}}',
  },
  {
    name: 'a failing operation fails the whole list',
    doc: plain(),
    ops: [
      { path: '/spec/replicas', value: 9 },
      { op: 'remove', path: '/spec/paused' },
    ],
    error: 'remove /spec/paused',
  },
  {
    name: 'replace then remove of a member that was missing',
    doc: plain(),
    ops: [
      { path: '/spec/template/spec/nodeSelector', value: { a: 'b' } },
      { op: 'remove', path: '/spec/template/spec/nodeSelector/a' },
    ],
    out: '{"metadata":{"name":"web"},"spec":{"replicas":1,"template":{"spec":{"containers":[{"name":"web","args":["-a","-b"]}],"nodeSelector":{}}}}}',
  },
  {
    name: 'array inserts build up one after another',
    doc: { list: [] },
    ops: [
      { op: 'add', path: '/list/-', value: 'a' },
      { op: 'add', path: '/list/0', value: 'b' },
      { op: 'add', path: '/list/-1', value: 'c' },
    ],
    out: '{"list":["b","a","c"]}',
  },
];

describe('applyOverrides: evanphx/json-patch v4 vectors (KubeFed v0.10.0)', () => {
  for (const v of V4_VECTORS) {
    it(v.name, () => {
      const ops = opsOf(...v.ops);
      if (v.error !== undefined) {
        assert.throws(
          () => applyOverrides(v.doc, ops),
          (e: unknown) => e instanceof OverrideError && e.message.startsWith(`cannot apply ${v.error}: `),
        );
      } else {
        assert.deepEqual(applyOverrides(v.doc, ops), JSON.parse(v.out!));
      }
    });
  }
});

describe('overrides in rendering: the issue examples keep the managed label', () => {
  const DEPLOYMENTS = typeConfigFor({
    group: 'apps',
    version: 'v1',
    kind: 'Deployment',
    plural: 'deployments',
    namespaced: true,
  });

  function renderWith(template: Record<string, unknown>, ...ops: ClusterOverride[]) {
    const fed = {
      apiVersion: 'types.kubefed.io/v1beta1',
      kind: 'FederatedDeployment',
      metadata: { name: 'web', namespace: 'ns' },
      spec: { template, overrides: [forCluster('c1', ...ops)] },
    };
    return renderForCluster(fed, DEPLOYMENTS, parseOverrides(fed.spec.overrides).get('c1')!).object;
  }

  it('replace of /metadata/labels on a template without labels sets them, and the managed label is added', () => {
    const obj = renderWith({ spec: { replicas: 1 } }, { path: '/metadata/labels', value: { tier: 'edge' } });
    assert.deepEqual(obj.metadata.labels, { tier: 'edge', [MANAGED_LABEL]: 'true' });
  });

  it('replace of /spec/template/spec/nodeSelector on a template without one sets it', () => {
    const obj = renderWith(
      { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx' }] } } } },
      { path: '/spec/template/spec/nodeSelector', value: { disk: 'ssd' } },
    );
    assert.deepEqual((obj as any).spec.template.spec.nodeSelector, { disk: 'ssd' });
    assert.equal(obj.metadata.labels?.[MANAGED_LABEL], 'true');
  });
});
