import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BarcodeFormat, EncodeHintType, QRCodeWriter } from '@zxing/library';
import sharp from 'sharp';
import { isVisionError } from '../errors.ts';
import { decodeImage } from '../image/decode-image.ts';
import type { RgbImage } from '../image/rgb-image.ts';
import { decodeQr } from './qr-reader.ts';

/** Renders a QR code as it might appear on a phone screen in a camera frame. */
async function qrFrame(
  text: string,
  options: { invert?: boolean; blur?: number; rotate?: number } = {},
): Promise<RgbImage> {
  // 1 px per module with no quiet zone; scaled up below.
  const matrix = new QRCodeWriter().encode(
    text,
    BarcodeFormat.QR_CODE,
    0,
    0,
    new Map([[EncodeHintType.MARGIN, 0]]),
  );
  const size = matrix.getWidth();
  const module = 6;
  const side = (size + 8) * module;
  const raw = new Uint8Array(side * side * 3).fill(options.invert ? 20 : 235);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (!matrix.get(x, y)) continue;
      for (let dy = 0; dy < module; dy++) {
        for (let dx = 0; dx < module; dx++) {
          const o = (((y + 4) * module + dy) * side + (x + 4) * module + dx) * 3;
          raw.fill(options.invert ? 235 : 20, o, o + 3);
        }
      }
    }
  }
  let img = sharp(raw, { raw: { width: side, height: side, channels: 3 } });
  if (options.rotate)
    img = sharp(await img.png().toBuffer()).rotate(options.rotate, { background: '#808080' });
  img = sharp(await img.png().toBuffer()).extend({
    top: 60,
    bottom: 60,
    left: 90,
    right: 90,
    background: '#5a6470',
  });
  if (options.blur) img = img.blur(options.blur);
  return decodeImage(await img.jpeg({ quality: 80 }).toBuffer());
}

test('reads a QR code from a camera-like frame, also rotated, blurred and in dark mode', async () => {
  const text = 'tillid://transfer/6f1c2a9e-4b7d-4c1f-9a51-0d3e2b7c8a10?v=1';
  assert.equal(decodeQr(await qrFrame(text)).text, text);
  assert.equal(decodeQr(await qrFrame(text, { rotate: 17, blur: 1 })).text, text);
  assert.equal(decodeQr(await qrFrame(text, { invert: true })).text, text);
});

test('a frame without a QR code is ERR_QR_NOT_FOUND', async () => {
  const blank = await decodeImage(
    await sharp({ create: { width: 320, height: 240, channels: 3, background: '#777' } })
      .png()
      .toBuffer(),
  );
  assert.throws(
    () => decodeQr(blank),
    (e) => isVisionError(e, 'ERR_QR_NOT_FOUND'),
  );
});
