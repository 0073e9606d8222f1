import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, test } from 'node:test';
import fc from 'fast-check';
import { isVisionError } from '../errors.ts';
import { extractJ2kCodestream, isJp2, Jpeg2000Codec } from './jpeg2000.ts';

const jp2 = new Uint8Array(
  readFileSync(new URL('../../test/fixtures/icao-39794-5-ap-face.jp2', import.meta.url)),
);
let codec: Jpeg2000Codec;
before(async () => {
  codec = await Jpeg2000Codec.load();
});

test('decodes the ICAO 39794-5 sample DG2 portrait (JP2)', () => {
  assert.ok(isJp2(jp2));
  const cs = extractJ2kCodestream(jp2);
  // jP, ftyp and jp2h boxes precede the 14897-byte jp2c box (8-byte header).
  assert.equal(cs.length, 14897 - 8);
  assert.deepEqual([...cs.subarray(0, 4)], [0xff, 0x4f, 0xff, 0x51]);
  const image = codec.decode(jp2);
  assert.equal(image.width, 413);
  assert.equal(image.height, 531);
  assert.equal(image.data.length, 413 * 531 * 3);
  // a raw codestream decodes to the same pixels
  assert.deepEqual(codec.decode(cs).data, image.data);
});

test('encode then decode round-trips size and stays close to the pixels', () => {
  const image = codec.decode(jp2);
  const encoded = codec.encode(image, { compressionRatio: 20 });
  const back = codec.decode(encoded);
  assert.equal(back.width, image.width);
  assert.equal(back.height, image.height);
  let se = 0;
  for (let i = 0; i < image.data.length; i++) se += (image.data[i]! - back.data[i]!) ** 2;
  const psnr = 10 * Math.log10((255 * 255) / (se / image.data.length));
  assert.ok(psnr > 30, `PSNR ${psnr}`);
});

test('corrupted JP2 signature (gmrtd MandFields_InvalidImage pattern) is ERR_IMAGE_FORMAT', () => {
  const bad = Uint8Array.from(jp2);
  bad.set([0, 0, 0, 0, 0, 0], 0);
  assert.throws(
    () => codec.decode(bad),
    (e) => isVisionError(e, 'ERR_IMAGE_FORMAT'),
  );
});

test('hostile bytes only ever raise VisionError', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 0, max: 200 }), (noise, cut) => {
      for (const input of [
        noise,
        Uint8Array.from([...jp2.subarray(0, 12), ...noise]),
        jp2.subarray(0, cut),
      ]) {
        try {
          codec.decode(input);
        } catch (e) {
          assert.ok(isVisionError(e), String(e));
        }
      }
    }),
    { numRuns: 200 },
  );
});
