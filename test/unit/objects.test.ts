// cloneJson (util/objects.ts): the copy structuredClone makes, sharing nothing with the original.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cloneJson } from '../../src/util/objects.js';

describe('cloneJson', () => {
  it('copies plain values as structuredClone does, sharing nothing', () => {
    const o: Record<string, unknown> = {
      a: [1, 'x', null, true, { b: [[], {}] }],
      n: -0,
      nan: NaN,
      u: undefined,
      when: new Date(0),
      m: new Map([['k', { v: 1 }]]),
    };
    Object.defineProperty(o, '__proto__', { value: { p: 1 }, enumerable: true, writable: true, configurable: true });
    const copy = cloneJson(o);
    assert.deepEqual(copy, structuredClone(o));
    assert.deepEqual(Object.keys(copy), Object.keys(o));
    assert.equal(Object.getPrototypeOf(copy), Object.prototype);
    assert.ok(Object.hasOwn(copy, '__proto__'));
    assert.notEqual(copy['a'], o['a']);
    assert.notEqual((copy['a'] as unknown[])[4], (o['a'] as unknown[])[4]);
    assert.notEqual(copy['when'], o['when']);
    assert.notEqual(copy['m'], o['m']);
  });

  it('returns scalars as they are', () => {
    for (const v of ['s', 1, null, undefined, false]) assert.equal(cloneJson(v), v);
  });
});
