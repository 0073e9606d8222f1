// Turns untrusted image bytes (chip portrait or camera frame) into RGB pixels. The format is
// sniffed from magic bytes, never taken from a client-declared type; JPEG 2000 goes to OpenJPEG,
// JPEG/PNG/WebP to libvips (sharp) with a pixel limit against decompression bombs.

import sharp from 'sharp';
import { VisionError } from '../errors.ts';
import { isJ2kCodestream, isJp2, type Jpeg2000Codec } from './jpeg2000.ts';
import type { RgbImage } from './rgb-image.ts';

export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'jp2' | 'j2k';

/** 24 MP: more than any phone frame we ask for, far below what would exhaust memory. */
export const MAX_INPUT_PIXELS = 24_000_000;

export function sniffImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) {
    return 'png';
  }
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') {
    return 'webp';
  }
  if (isJp2(bytes)) return 'jp2';
  if (isJ2kCodestream(bytes)) return 'j2k';
  return undefined;
}

export interface DecodeOptions {
  /** Needed for JPEG 2000 input (chip portraits); camera frames never use it. */
  jpeg2000?: Jpeg2000Codec;
  /** Restrict accepted formats (selfie frames: JPEG/PNG/WebP only). */
  accept?: readonly ImageFormat[];
  maxPixels?: number;
}

export async function decodeImage(bytes: Uint8Array, options: DecodeOptions = {}): Promise<RgbImage> {
  const format = sniffImageFormat(bytes);
  if (format === undefined || (options.accept !== undefined && !options.accept.includes(format))) {
    throw new VisionError('ERR_IMAGE_FORMAT', 'unsupported image format', { details: { format } });
  }
  const maxPixels = options.maxPixels ?? MAX_INPUT_PIXELS;
  if (format === 'jp2' || format === 'j2k') {
    if (options.jpeg2000 === undefined) {
      throw new VisionError('ERR_USAGE', 'JPEG 2000 input needs a loaded Jpeg2000Codec');
    }
    const image = options.jpeg2000.decode(bytes);
    if (image.width * image.height > maxPixels) {
      throw new VisionError('ERR_IMAGE_TOO_LARGE', 'image has too many pixels');
    }
    return image;
  }
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: maxPixels, failOn: 'error' })
      .rotate() // honour EXIF orientation: phones store portrait frames sideways
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new VisionError('ERR_IMAGE_FORMAT', 'image did not decode to RGB');
    return {
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      width: info.width,
      height: info.height,
    };
  } catch (cause) {
    if (cause instanceof VisionError) throw cause;
    const tooLarge = cause instanceof Error && /pixel limit/i.test(cause.message);
    throw new VisionError(
      tooLarge ? 'ERR_IMAGE_TOO_LARGE' : 'ERR_IMAGE_FORMAT',
      tooLarge ? 'image has too many pixels' : 'image does not decode',
      { cause },
    );
  }
}

/** Encodes RGB pixels (e.g. a normalised frame) as PNG; used by OCR and the test tools. */
export async function encodePng(image: RgbImage): Promise<Buffer> {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .png()
    .toBuffer();
}

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(from, to));
}
