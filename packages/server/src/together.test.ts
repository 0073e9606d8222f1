import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { together } from './together.ts';

const later = <T>(ms: number, value: T, fail = false) =>
  new Promise<T>((resolve, reject) => setTimeout(() => (fail ? reject(value) : resolve(value)), ms));

describe('together', () => {
  it('gives every value in argument order, plain values included', async () => {
    assert.deepEqual(await together(later(5, 'a'), later(1, 2), 'c'), ['a', 2, 'c']);
  });

  it('throws the first failure in argument order, not the first to come back', async () => {
    await assert.rejects(together(later(10, new Error('first'), true), later(1, new Error('second'), true)), {
      message: 'first',
    });
  });

  it('waits for the slow ones before it throws', async () => {
    let done = false;
    await assert.rejects(
      together(
        Promise.reject(new Error('at once')),
        later(10, 0).then(() => {
          done = true;
        }),
      ),
    );
    assert.equal(done, true);
  });
});
