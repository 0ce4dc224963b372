// Name and label syntax (util/names.ts), "did you mean" (util/suggest.ts) and the schema walkers
// for unknown fields and nulls (util/schema.ts). Pure.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  dns1035LabelProblem,
  dns1123LabelProblem,
  dns1123SubdomainProblem,
  labelMapProblems,
  labelValueProblem,
  qualifiedNameProblem,
} from '../../src/util/names.js';
import { closest, editDistance } from '../../src/util/suggest.js';
import { pruneNulls, unknownFields } from '../../src/util/schema.js';
import { didYouMean } from '../../src/util/suggest.js';

describe('names: one RFC 1123 check', () => {
  const ok = (p: string | undefined) => p === undefined;
  it('subdomains', () => {
    for (const v of ['a', 'a-b', 'a.b', '0', 'a'.repeat(253), 'x1.y2-z']) assert.ok(ok(dns1123SubdomainProblem(v)), v);
    for (const v of ['', 'A', 'a_b', '-a', 'a-', 'a..b', '.a', 'a.', 'a'.repeat(254), 'a/b', 'ä'])
      assert.ok(!ok(dns1123SubdomainProblem(v)), v);
  });
  it('labels (namespaces)', () => {
    for (const v of ['a', 'a-b', 'a'.repeat(63)]) assert.ok(ok(dns1123LabelProblem(v)), v);
    for (const v of ['', 'a.b', 'a'.repeat(64), 'A']) assert.ok(!ok(dns1123LabelProblem(v)), v);
  });
  it('RFC 1035 labels start with a letter', () => {
    assert.ok(ok(dns1035LabelProblem('deployments')));
    assert.ok(!ok(dns1035LabelProblem('1abc')));
  });
});

describe('names: label keys and values', () => {
  it('qualified names', () => {
    for (const k of [
      'a',
      'A',
      'a_b.c-d',
      'example.com/tier',
      'kubefed.io/managed',
      'a'.repeat(63),
      `${'a'.repeat(253)}/b`,
    ])
      assert.equal(qualifiedNameProblem(k), undefined, k);
    for (const k of [
      '',
      '/a',
      'a/',
      'a/b/c',
      '-a',
      'a-',
      'a b',
      'Example.com/a',
      'a'.repeat(64),
      `${'a'.repeat(254)}/b`,
    ])
      assert.notEqual(qualifiedNameProblem(k), undefined, k);
  });
  it('values: empty allowed, at most 63', () => {
    for (const v of ['', 'a', 'A-b_c.d', 'a'.repeat(63)]) assert.equal(labelValueProblem(v), undefined, v);
    for (const v of ['-a', 'a-', 'a b', 'a'.repeat(64), 'a/b']) assert.notEqual(labelValueProblem(v), undefined, v);
  });
  it('a label map: keys, values, and values that are not strings', () => {
    assert.deepEqual(labelMapProblems({ a: 'b', c: '' }, 'metadata.labels'), []);
    assert.deepEqual(labelMapProblems(undefined, 'metadata.labels'), []);
    const problems = labelMapProblems({ 'a b': 'x', n: 3 }, 'metadata.labels');
    assert.equal(problems.length, 2);
    assert.match(problems[0]!, /^metadata\.labels: key "a b"/);
    assert.match(problems[1]!, /^metadata\.labels\.n: must be a string/);
    assert.deepEqual(labelMapProblems(['a'], 'x'), ['x: must map label keys to string values']);
  });
});

describe('suggest', () => {
  it('edit distance counts a swap of neighbours as one', () => {
    assert.equal(editDistance('lables', 'labels'), 1);
    assert.equal(editDistance('placment', 'placement'), 1);
    assert.equal(editDistance('abc', 'abc'), 0);
  });
  it('suggests only close names', () => {
    assert.equal(closest('FederatedDeploymnet', ['FederatedDaemonSet', 'FederatedDeployment']), 'FederatedDeployment');
    assert.equal(closest('overides', ['placement', 'overrides', 'template']), 'overrides');
    assert.equal(closest('zzz', ['placement', 'overrides']), undefined);
    assert.equal(closest('plural', ['kind', 'pluralName']), 'pluralName', 'a shortened name');
  });
});

describe('schema walkers', () => {
  const schema = {
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      spec: {
        type: 'object',
        properties: {
          template: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
          list: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } } },
          map: {
            type: 'object',
            additionalProperties: { type: 'object', properties: { weight: { type: 'integer' } } },
          },
        },
      },
    },
  };
  it('reports members the schema does not declare, down to array items and map values', () => {
    const doc = {
      metadata: { name: 'a', lables: {} },
      spec: { templat: {}, template: { anything: 1 }, list: [{ name: 'x', nmae: 'y' }], map: { a: { wieght: 1 } } },
      extra: 1,
    };
    assert.deepEqual(unknownFields(schema, doc, didYouMean), [
      'metadata.lables: unknown field; did you mean "labels"?',
      'spec.templat: unknown field; did you mean "template"?',
      'spec.list[0].nmae: unknown field; did you mean "name"?',
      'spec.map.a.wieght: unknown field; did you mean "weight"?',
      'extra: unknown field',
    ]);
  });
  it('prunes declared nulls, and leaves the input alone', () => {
    const doc = { metadata: { name: 'a', labels: null }, spec: { list: null, template: { x: null } } };
    assert.deepEqual(pruneNulls(schema, doc), { metadata: { name: 'a' }, spec: { template: { x: null } } });
    assert.deepEqual(doc.spec.list, null);
    const clean = { spec: { list: [] } };
    assert.equal(pruneNulls(schema, clean), clean);
    // It looks before it copies: a null deep in a list item or a map value is found too.
    const deep = { spec: { list: [{ name: 'x' }, { name: null }], map: { a: { weight: null } } } };
    assert.deepEqual(pruneNulls(schema, deep), { spec: { list: [{ name: 'x' }, {}], map: { a: {} } } });
    const open = { spec: { list: [{ name: 'x' }], map: { a: { weight: 1 } } } };
    assert.equal(pruneNulls(schema, open), open);
  });
});
