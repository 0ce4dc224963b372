// Does a live object already hold what would be applied? (the loose comparison behind the update predicate)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { holds, quantityValue, stableStringify } from '../../src/federation/compare.js';

describe('holds', () => {
  const rows: { rule: string; want: unknown; have: unknown; expected: boolean }[] = [
    { rule: 'equal scalars hold', want: 'a', have: 'a', expected: true },
    { rule: 'different strings do not hold', want: 'a', have: 'b', expected: false },
    { rule: 'different numbers do not hold', want: 2, have: 3, expected: false },
    { rule: 'true vs false does not hold', want: true, have: false, expected: false },
    {
      rule: 'fields the server added are fine',
      want: { data: { a: '1' } },
      have: { data: { a: '1' }, metadata: { uid: 'u' }, immutable: false },
      expected: true,
    },
    {
      rule: 'a wanted field missing from the live object does not hold',
      want: { data: { a: '1', b: '2' } },
      have: { data: { a: '1' } },
      expected: false,
    },
    { rule: 'an empty string matches an absent field', want: { s: '' }, have: {}, expected: true },
    { rule: 'false matches an absent field', want: { b: false }, have: {}, expected: true },
    { rule: '0 matches an absent field', want: { n: 0 }, have: {}, expected: true },
    { rule: 'null matches an absent field', want: { x: null }, have: {}, expected: true },
    { rule: 'an empty array matches an absent field', want: { list: [] }, have: {}, expected: true },
    { rule: 'an empty object matches an absent field', want: { map: {} }, have: {}, expected: true },
    {
      rule: 'an empty value matches another empty value',
      want: { s: '', n: 0, b: false },
      have: { s: null, n: false, b: '' },
      expected: true,
    },
    { rule: 'false does not match true', want: { b: false }, have: { b: true }, expected: false },
    { rule: '0 does not match a non-zero number', want: { n: 0 }, have: { n: 3 }, expected: false },
    { rule: 'an empty string does not match a non-empty string', want: { s: '' }, have: { s: 'x' }, expected: false },
    {
      rule: 'an empty array does not match a non-empty array',
      want: { list: [] },
      have: { list: ['x'] },
      expected: false,
    },
    {
      rule: 'an empty object matches an object with server-added keys',
      want: { map: {} },
      have: { map: { k: 'v' } },
      expected: true,
    },
    { rule: 'a non-empty value does not match an absent field', want: { s: 'x' }, have: {}, expected: false },
    { rule: 'equal arrays hold', want: [1, 'a', { k: 'v' }], have: [1, 'a', { k: 'v' }], expected: true },
    { rule: 'a longer live array does not hold', want: ['a'], have: ['a', 'b'], expected: false },
    { rule: 'a shorter live array does not hold', want: ['a', 'b'], have: ['a'], expected: false },
    { rule: 'array order matters', want: ['a', 'b'], have: ['b', 'a'], expected: false },
    {
      rule: 'array elements may have server-added fields',
      want: [{ name: 'c' }],
      have: [{ name: 'c', imagePullPolicy: 'Always' }],
      expected: true,
    },
    { rule: 'an array does not match an object', want: ['a'], have: { 0: 'a' }, expected: false },
    { rule: 'an object does not match an array', want: { a: 1 }, have: [1], expected: false },
    { rule: 'an object does not match a scalar', want: { a: 1 }, have: 'a', expected: false },
    { rule: 'an object does not match null', want: { a: 1 }, have: null, expected: false },
    { rule: 'quantities: "1000m" equals "1"', want: '1000m', have: '1', expected: true },
    { rule: 'quantities: "1Gi" equals "1073741824"', want: '1Gi', have: '1073741824', expected: true },
    { rule: 'quantities: 1 equals "1"', want: 1, have: '1', expected: true },
    { rule: 'quantities: "500m" equals "0.5"', want: '500m', have: '0.5', expected: true },
    { rule: 'quantities: "1k" equals "1000"', want: '1k', have: '1000', expected: true },
    { rule: 'quantities compare with float tolerance: "700m" equals "0.7"', want: '700m', have: '0.7', expected: true },
    { rule: 'quantities: "1Gi" does not equal "1G"', want: '1Gi', have: '1G', expected: false },
    { rule: 'quantities: "100m" does not equal "1"', want: '100m', have: '1', expected: false },
    {
      rule: 'quantities compare inside resources',
      want: { resources: { limits: { cpu: '1', memory: '1Gi' } } },
      have: { resources: { limits: { cpu: '1000m', memory: '1073741824' } } },
      expected: true,
    },
    {
      rule: 'a nested mismatch is detected',
      want: { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } } },
      have: {
        spec: {
          template: { spec: { containers: [{ name: 'web', image: 'nginx:1.26', imagePullPolicy: 'IfNotPresent' }] } },
        },
      },
      expected: false,
    },
    {
      rule: 'a deep missing key is detected',
      want: { a: { b: { c: { d: 'x' } } } },
      have: { a: { b: { c: {} } } },
      expected: false,
    },
  ];
  for (const row of rows) {
    it(row.rule, () => {
      assert.equal(holds(row.want, row.have), row.expected);
    });
  }
});

describe('quantityValue', () => {
  const rows: { rule: string; input: unknown; want: number | undefined }[] = [
    { rule: 'a number is its own value', input: 3, want: 3 },
    { rule: 'a plain decimal string', input: '0.25', want: 0.25 },
    { rule: 'milli', input: '1500m', want: 1.5 },
    { rule: 'decimal kilo', input: '2k', want: 2000 },
    { rule: 'binary Ki', input: '2Ki', want: 2048 },
    { rule: 'binary Mi', input: '1Mi', want: 2 ** 20 },
    { rule: 'binary Gi with a fraction', input: '1.5Gi', want: 1.5 * 2 ** 30 },
    { rule: 'a string that is not a quantity', input: 'abc', want: undefined },
    { rule: 'an unknown suffix', input: '1Xi', want: undefined },
    { rule: 'not a string or number', input: true, want: undefined },
  ];
  for (const row of rows) {
    it(row.rule, () => {
      assert.equal(quantityValue(row.input), row.want);
    });
  }
});

describe('stableStringify', () => {
  it('sorts keys at every level', () => {
    assert.equal(stableStringify({ b: 1, a: { d: 2, c: 3 } }), '{"a":{"c":3,"d":2},"b":1}');
  });

  it('gives the same text whatever the insertion order', () => {
    assert.equal(stableStringify({ x: [{ q: 1, p: 2 }], y: 'y' }), stableStringify({ y: 'y', x: [{ p: 2, q: 1 }] }));
  });

  it('keeps array order', () => {
    assert.equal(stableStringify([3, 1, 2]), '[3,1,2]');
  });

  it('leaves out undefined members, like JSON', () => {
    assert.equal(stableStringify({ a: undefined, b: null }), '{"b":null}');
  });

  it('is JSON for scalars', () => {
    assert.equal(stableStringify('s"'), '"s\\""');
    assert.equal(stableStringify(1.5), '1.5');
    assert.equal(stableStringify(null), 'null');
  });
});
