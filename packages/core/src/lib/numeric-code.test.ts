import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CoreError } from '../errors.ts';
import { randomDigits } from './numeric-code.ts';

describe('randomDigits', () => {
  it('gives the requested number of decimal digits', () => {
    for (const n of [1, 6, 8, 64]) assert.match(randomDigits(n), new RegExp(`^\\d{${n}}$`));
  });

  it('rejects biased bytes (≥ 250) instead of folding them', () => {
    const bytes = [255, 250, 249, 3, 10, 251, 7, 0];
    let i = 0;
    const digits = randomDigits(4, (buf) => {
      for (let k = 0; k < buf.length; k++) buf[k] = bytes[i++ % bytes.length]!;
    });
    assert.equal(digits, '9307');
  });

  it('refuses a broken random source and bad lengths with a CoreError', () => {
    assert.throws(() => randomDigits(8, (buf) => buf.fill(255)), CoreError);
    for (const n of [0, -1, 1.5, 65, Number.NaN]) assert.throws(() => randomDigits(n), CoreError);
  });

  it('maps each accepted byte value to its digit evenly', () => {
    let next = 0;
    const counter = (buf: Uint8Array) => {
      for (let k = 0; k < buf.length; k++) buf[k] = next++ % 256;
    };
    // Each call takes 50 consecutive byte values below 250: every digit 5 times per call.
    const all = Array.from({ length: 5 }, () => randomDigits(50, counter)).join('');
    const perDigit = new Array<number>(10).fill(0);
    for (const c of all) perDigit[Number(c)]!++;
    assert.deepEqual(perDigit, new Array<number>(10).fill(25));
  });
});
