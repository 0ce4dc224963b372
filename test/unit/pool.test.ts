// forEachLimited: every item is worked on once, and never more than the limit at a time.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { forEachLimited } from '../../src/util/pool.js';

describe('forEachLimited', () => {
  it('works on every item once, at most `limit` at a time', async () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const done: number[] = [];
    let running = 0;
    let most = 0;
    await forEachLimited(items, 4, async (i) => {
      running++;
      most = Math.max(most, running);
      await delay(i % 3);
      running--;
      done.push(i);
    });
    assert.deepEqual(
      [...done].sort((a, b) => a - b),
      items,
    );
    assert.equal(most, 4);
  });

  it('no items: resolves at once; a failure rejects', async () => {
    await forEachLimited([], 4, () => Promise.reject(new Error('not called')));
    await assert.rejects(
      forEachLimited([1, 2, 3], 2, async (i) => {
        if (i === 2) throw new Error('two');
      }),
      /two/,
    );
  });
});
