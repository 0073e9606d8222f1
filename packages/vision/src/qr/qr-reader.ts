// QR code decoding from camera frames (the app-transfer and reverse-proximity codes) with the
// ZXing port @zxing/library. Pure JS; cheap enough to run on the document queue.

import {
  BinaryBitmap,
  DecodeHintType,
  HybridBinarizer,
  NotFoundException,
  QRCodeReader,
  RGBLuminanceSource,
} from '@zxing/library';
import { VisionError } from '../errors.ts';
import type { RgbImage } from '../image/rgb-image.ts';

export interface QrReading {
  text: string;
}

/** Decodes the first QR code in the image; throws ERR_QR_NOT_FOUND if there is none. */
export function decodeQr(image: RgbImage): QrReading {
  const luma = new Uint8ClampedArray(image.width * image.height);
  for (let p = 0; p < luma.length; p++) {
    const i = p * 3;
    luma[p] = (image.data[i]! * 77 + image.data[i + 1]! * 150 + image.data[i + 2]! * 29) >> 8;
  }
  const hints = new Map<DecodeHintType, unknown>([[DecodeHintType.TRY_HARDER, true]]);
  const reader = new QRCodeReader();
  for (const inverted of [false, true]) {
    try {
      let source: RGBLuminanceSource | ReturnType<RGBLuminanceSource['invert']> = new RGBLuminanceSource(
        luma,
        image.width,
        image.height,
      );
      // Phones in dark mode show light-on-dark codes.
      if (inverted) source = source.invert();
      const result = reader.decode(new BinaryBitmap(new HybridBinarizer(source)), hints);
      return { text: result.getText() };
    } catch (cause) {
      if (!(cause instanceof NotFoundException) && !isZxingFormatError(cause)) {
        throw new VisionError('ERR_QR_NOT_FOUND', 'QR decoding failed', { cause });
      }
    }
  }
  throw new VisionError('ERR_QR_NOT_FOUND', 'no QR code found');
}

function isZxingFormatError(e: unknown): boolean {
  return (
    e instanceof Error &&
    /ChecksumException|FormatException|NotFoundException/.test(e.constructor.name + e.name)
  );
}
