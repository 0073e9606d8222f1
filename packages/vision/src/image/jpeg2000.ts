// JPEG 2000 decoding for chip portraits (ICAO 9303-10 allows JPEG and JPEG 2000 in DG2):
// walks the JP2 box structure (ISO/IEC 15444-1 Annex I) to the contiguous codestream box and
// decodes it with OpenJPEG compiled to WebAssembly (@cornerstonejs/codec-openjpeg; its default
// entry is the asm.js build, ~10x slower, so we load the "wasmjs" entry).

import { createRequire } from 'node:module';
import { VisionError } from '../errors.ts';
import type { RgbImage } from './rgb-image.ts';

const JP2_SIGNATURE = Uint8Array.of(0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a);
/** SOC followed by SIZ marker: a raw codestream (ISO/IEC 15444-1 §A.4.1, §A.5.1). */
const J2K_SOC_SIZ = Uint8Array.of(0xff, 0x4f, 0xff, 0x51);

export function isJp2(bytes: Uint8Array): boolean {
  return startsWith(bytes, JP2_SIGNATURE);
}

export function isJ2kCodestream(bytes: Uint8Array): boolean {
  return startsWith(bytes, J2K_SOC_SIZ);
}

/**
 * Returns the codestream inside a JP2 file (the payload of the first `jp2c` box), or the input
 * itself when it already is a raw codestream. Only the package's typed error escapes.
 */
export function extractJ2kCodestream(bytes: Uint8Array): Uint8Array {
  if (isJ2kCodestream(bytes)) return bytes;
  if (!isJp2(bytes)) throw new VisionError('ERR_IMAGE_FORMAT', 'not a JPEG 2000 file');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  // ISO/IEC 15444-1 §I.4: LBox (4) TBox (4) [XLBox (8)] payload; LBox 0 = to end of file.
  while (offset + 8 <= bytes.length) {
    let length = view.getUint32(offset);
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    let header = 8;
    if (length === 1) {
      if (offset + 16 > bytes.length) break;
      const big = view.getBigUint64(offset + 8);
      if (big > BigInt(bytes.length)) break;
      length = Number(big);
      header = 16;
    } else if (length === 0) {
      length = bytes.length - offset;
    }
    if (length < header || offset + length > bytes.length) break;
    if (type === 'jp2c') {
      const codestream = bytes.subarray(offset + header, offset + length);
      if (!isJ2kCodestream(codestream)) break;
      return codestream;
    }
    offset += length;
  }
  throw new VisionError('ERR_IMAGE_FORMAT', 'JP2 file has no valid codestream box');
}

interface FrameInfo {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned: boolean;
}

interface J2kDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  decode(): void;
  getDecodedBuffer(): Uint8Array;
  getFrameInfo(): FrameInfo;
  delete(): void;
}

interface J2kEncoder {
  getDecodedBuffer(info: FrameInfo & { isUsingColorTransform: boolean }): Uint8Array;
  setQuality(lossless: boolean, quality: number): void;
  setCompressionRatio(layer: number, ratio: number): void;
  encode(): void;
  getEncodedBuffer(): Uint8Array;
  delete(): void;
}

interface OpenJpegModule {
  J2KDecoder: new () => J2kDecoder;
  J2KEncoder: new () => J2kEncoder;
}

type OpenJpegFactory = (module?: {
  print?: (s: string) => void;
  printErr?: (s: string) => void;
}) => Promise<OpenJpegModule>;

/** Largest image a chip portrait may decode to; DG2 portraits are well below 1 MP. */
const MAX_PIXELS = 16_000_000;

/** One loaded OpenJPEG WebAssembly instance; create once and reuse (it is not free to start). */
export class Jpeg2000Codec {
  readonly #module: OpenJpegModule;

  private constructor(module: OpenJpegModule) {
    this.#module = module;
  }

  static async load(): Promise<Jpeg2000Codec> {
    try {
      const factory = createRequire(import.meta.url)(
        '@cornerstonejs/codec-openjpeg/wasmjs',
      ) as OpenJpegFactory;
      // OpenJPEG logs every header it reads on stdout; keep server logs clean.
      const module = await factory({ print: () => {}, printErr: () => {} });
      return new Jpeg2000Codec(module);
    } catch (cause) {
      throw new VisionError('ERR_ENGINE_INIT', 'cannot load the OpenJPEG codec', { cause });
    }
  }

  /** Decodes a JP2 file or a raw J2K codestream to 8-bit RGB. */
  decode(bytes: Uint8Array): RgbImage {
    const codestream = extractJ2kCodestream(bytes);
    const decoder = new this.#module.J2KDecoder();
    try {
      decoder.getEncodedBuffer(codestream.length).set(codestream);
      decoder.decode();
      const info = decoder.getFrameInfo();
      if (
        info.width < 1 ||
        info.height < 1 ||
        info.width * info.height > MAX_PIXELS ||
        ![1, 3, 4].includes(info.componentCount) ||
        info.bitsPerSample < 1 ||
        info.bitsPerSample > 16
      ) {
        throw new VisionError('ERR_IMAGE_FORMAT', 'unsupported JPEG 2000 image layout', {
          details: { ...info },
        });
      }
      return toRgb(decoder.getDecodedBuffer(), info);
    } catch (cause) {
      if (cause instanceof VisionError) throw cause;
      throw new VisionError('ERR_IMAGE_FORMAT', 'JPEG 2000 codestream does not decode', { cause });
    } finally {
      decoder.delete();
    }
  }

  /**
   * Encodes RGB as a raw J2K codestream with the given compression ratio (lossy, 9/7 wavelet).
   * Used to make chip-like test portraits; the verification path only decodes.
   */
  encode(image: RgbImage, options: { compressionRatio: number }): Uint8Array {
    const encoder = new this.#module.J2KEncoder();
    try {
      encoder
        .getDecodedBuffer({
          width: image.width,
          height: image.height,
          bitsPerSample: 8,
          componentCount: 3,
          isSigned: false,
          isUsingColorTransform: true,
        })
        .set(image.data);
      encoder.setQuality(false, 0);
      encoder.setCompressionRatio(0, options.compressionRatio);
      encoder.encode();
      return Uint8Array.from(encoder.getEncodedBuffer());
    } catch (cause) {
      throw new VisionError('ERR_IMAGE_FORMAT', 'JPEG 2000 encoding failed', { cause });
    } finally {
      encoder.delete();
    }
  }
}

function toRgb(decoded: Uint8Array, info: FrameInfo): RgbImage {
  const pixels = info.width * info.height;
  const wide = info.bitsPerSample > 8;
  const samples = wide
    ? new Uint16Array(decoded.buffer, decoded.byteOffset, pixels * info.componentCount)
    : decoded;
  if (samples.length < pixels * info.componentCount) {
    throw new VisionError('ERR_IMAGE_FORMAT', 'JPEG 2000 decoder returned a short buffer');
  }
  const shift = Math.max(0, info.bitsPerSample - 8);
  const out = new Uint8Array(pixels * 3);
  const c = info.componentCount;
  for (let p = 0; p < pixels; p++) {
    if (c === 1) {
      const v = samples[p]! >> shift;
      out[p * 3] = v;
      out[p * 3 + 1] = v;
      out[p * 3 + 2] = v;
    } else {
      out[p * 3] = samples[p * c]! >> shift;
      out[p * 3 + 1] = samples[p * c + 1]! >> shift;
      out[p * 3 + 2] = samples[p * c + 2]! >> shift;
    }
  }
  return { data: out, width: info.width, height: info.height };
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  if (bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
  return true;
}
