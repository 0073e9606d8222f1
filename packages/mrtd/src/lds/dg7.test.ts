import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fromHex } from '../bytes.ts';
import { MrtdError } from '../errors.ts';
import { decodeDg7, encodeDg7 } from './dg7.ts';

describe('DG7 (ICAO 9303-10 §4.7.7)', () => {
  it('round-trips signature images with its encoder', () => {
    const jpeg = new Uint8Array(
      readFileSync(new URL('../../test/fixtures/iso19794/ISO19794_Test1_Face.jpg', import.meta.url)),
    );
    const other = Uint8Array.of(1, 2, 3);
    const decoded = decodeDg7(encodeDg7({ images: [{ image: jpeg }, { image: other }] }));
    assert.deepEqual(decoded, { images: [{ image: jpeg, format: 'jpeg' }, { image: other }] });
  });

  it('rejects a count that does not match the images', () => {
    assert.throws(() => decodeDg7(fromHex('670802010 25F4302FFD8'.replace(' ', ''))), MrtdError);
    assert.throws(() => decodeDg7(fromHex('67035F4300')), MrtdError);
  });
});
