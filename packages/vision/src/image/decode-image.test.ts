import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import sharp from 'sharp';
import { isVisionError } from '../errors.ts';
import { decodeImage, sniffImageFormat } from './decode-image.ts';

const pixels = {
  create: { width: 8, height: 6, channels: 3 as const, background: { r: 200, g: 100, b: 50 } },
};

test('decodes JPEG, PNG and WebP to RGB and sniffs by magic bytes', async () => {
  for (const [format, bytes] of [
    ['jpeg', await sharp(pixels).jpeg().toBuffer()],
    ['png', await sharp(pixels).png().toBuffer()],
    ['webp', await sharp(pixels).webp({ lossless: true }).toBuffer()],
  ] as const) {
    assert.equal(sniffImageFormat(bytes), format);
    const image = await decodeImage(bytes);
    assert.equal(image.width, 8);
    assert.equal(image.height, 6);
    assert.equal(image.data.length, 8 * 6 * 3);
    assert.ok(Math.abs(image.data[0]! - 200) < 8);
  }
});

test('PNG with alpha and grayscale still decode to 3 channels', async () => {
  const rgba = await sharp({ create: { width: 4, height: 4, channels: 4, background: '#ff000080' } })
    .png()
    .toBuffer();
  assert.equal((await decodeImage(rgba)).data.length, 4 * 4 * 3);
  const gray = await sharp(pixels).grayscale().jpeg().toBuffer();
  assert.equal((await decodeImage(gray)).data.length, 8 * 6 * 3);
});

test('refuses formats not accepted for the input, unknown bytes and decompression bombs', async () => {
  const png = await sharp(pixels).png().toBuffer();
  await assert.rejects(decodeImage(png, { accept: ['jpeg'] }), (e) => isVisionError(e, 'ERR_IMAGE_FORMAT'));
  await assert.rejects(decodeImage(Uint8Array.of(1, 2, 3)), (e) => isVisionError(e, 'ERR_IMAGE_FORMAT'));
  const big = await sharp({ create: { width: 2000, height: 2000, channels: 3, background: '#000' } })
    .png()
    .toBuffer();
  await assert.rejects(decodeImage(big, { maxPixels: 1_000_000 }), (e) =>
    isVisionError(e, 'ERR_IMAGE_TOO_LARGE'),
  );
});

test('JPEG 2000 without a codec is a usage error, not a crash', async () => {
  const jp2 = Uint8Array.of(0, 0, 0, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a);
  await assert.rejects(decodeImage(jp2), (e) => isVisionError(e, 'ERR_USAGE'));
});

test('hostile bytes behind a valid magic only ever raise VisionError', async () => {
  const magics = [
    [0xff, 0xd8, 0xff],
    [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    [...Buffer.from('RIFF\0\0\0\0WEBP')],
  ];
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...magics), fc.uint8Array({ maxLength: 200 }), async (magic, tail) => {
      try {
        await decodeImage(Uint8Array.from([...magic, ...tail]));
      } catch (e) {
        assert.ok(isVisionError(e), String(e));
      }
    }),
    { numRuns: 200 },
  );
});
