// The shared vision engine: loads the face models, the JPEG 2000 codec and the OCR child process
// once (at server start) and hands out the ports. Work goes through two bounded queues — face (human,
// single-threaded wasm) and document (OCR, QR) — so a burst of requests gets ERR_BUSY, not OOM.

import { VisionError } from '../errors.ts';
import { type FaceMatcher, HumanFaceMatcher, SELFIE_FORMATS } from '../face/face-matcher.ts';
import { DEFAULT_FACE_QUALITY, type FaceQualityPolicy } from '../face/face-quality.ts';
import { OnnxFaceDescriptor } from '../face/faceres-onnx.ts';
import { loadHuman, resolveHumanPaths } from '../face/human-loader.ts';
import { decodeImage } from '../image/decode-image.ts';
import { Jpeg2000Codec } from '../image/jpeg2000.ts';
import { DEFAULT_CHALLENGE } from '../liveness/challenge.ts';
import { HumanLivenessCheck, type LivenessCheck, type LivenessPolicy } from '../liveness/liveness-check.ts';
import { DEFAULT_POSE_THRESHOLDS } from '../liveness/pose-sequence.ts';
import { type MrzReader, PaddleMrzReader } from '../mrz/mrz-reader.ts';
import type { OcrProcessOptions } from '../mrz/ocr-process.ts';
import { decodeQr, type QrReading } from '../qr/qr-reader.ts';
import { WorkQueue } from './work-queue.ts';

/**
 * Cosine-similarity threshold for human's faceres descriptor, chosen in docs/vision-eval.md
 * (above every impostor pair of the tuning set: its FMR-0.1 % point, 0.709, rounded up).
 */
export const DEFAULT_FACE_THRESHOLD = 0.72;

export interface QueueLimits {
  concurrency: number;
  maxQueued: number;
}

export interface VisionEngineOptions {
  /** Which parts to load; both by default. A server that only reads QR codes can skip both. */
  load?: { face?: boolean; mrz?: boolean };
  faceThreshold?: number;
  faceQuality?: Partial<FaceQualityPolicy>;
  liveness?: Partial<Omit<LivenessPolicy, 'matchThreshold'>>;
  queues?: { face?: Partial<QueueLimits>; document?: Partial<QueueLimits> };
  /** Longest side frames are scaled to before OCR (800: docs/vision.md, MRZ OCR). */
  ocrMaxSide?: number;
  /** When the OCR child process is replaced (every 25 frames or past 300 MB by default). */
  ocrProcess?: Partial<OcrProcessOptions>;
  /** Server clock, ms since the epoch (tests pass a fixed clock). */
  now?: () => number;
  /** Uniform integer in [0, max) for challenges; crypto.randomInt by default. */
  randomInt?: (max: number) => number;
}

export interface VisionEngine {
  readonly faceMatcher: FaceMatcher;
  readonly liveness: LivenessCheck;
  readonly mrz: MrzReader;
  readonly faceThreshold: number;
  readQr(frame: Uint8Array): Promise<QrReading>;
  /** The OCR child process (pid and size after its last frame), if OCR is loaded. */
  readonly ocrProcess: { pid: number | undefined; rss: number } | undefined;
  /**
   * Stops accepting work and the OCR child. The face models (human's and the descriptor session) stay
   * until the process exits: a face job still running must not lose its model under it.
   */
  close(): void;
}

export async function createVisionEngine(options: VisionEngineOptions = {}): Promise<VisionEngine> {
  const now = options.now ?? Date.now;
  const faceThreshold = options.faceThreshold ?? DEFAULT_FACE_THRESHOLD;
  const faceQueue = new WorkQueue({
    name: 'face',
    concurrency: options.queues?.face?.concurrency ?? 1,
    maxQueued: options.queues?.face?.maxQueued ?? 8,
  });
  const documentQueue = new WorkQueue({
    name: 'document',
    concurrency: options.queues?.document?.concurrency ?? 1,
    maxQueued: options.queues?.document?.maxQueued ?? 8,
  });
  const loadFace = options.load?.face ?? true;
  const loadMrz = options.load?.mrz ?? true;
  // human first and alone: while it loads, process.versions.node is briefly hidden (see
  // human-loader.ts), which would send other Emscripten modules down their browser path.
  const human = loadFace ? await loadHuman() : undefined;
  const [descriptor, jpeg2000, mrz] = await Promise.all([
    loadFace ? OnnxFaceDescriptor.load(resolveHumanPaths().modelsDir) : undefined,
    loadFace ? Jpeg2000Codec.load() : undefined,
    loadMrz
      ? PaddleMrzReader.load({
          queue: documentQueue,
          maxSide: options.ocrMaxSide ?? 800,
          ...(options.ocrProcess ? { process: options.ocrProcess } : {}),
        })
      : undefined,
  ]);

  let faceMatcher: HumanFaceMatcher | undefined;
  let liveness: HumanLivenessCheck | undefined;
  if (human && descriptor && jpeg2000) {
    faceMatcher = new HumanFaceMatcher({
      human,
      descriptor,
      jpeg2000,
      queue: faceQueue,
      policy: { ...DEFAULT_FACE_QUALITY, ...options.faceQuality },
      threshold: faceThreshold,
    });
    const livenessPolicy: LivenessPolicy = {
      challenge: DEFAULT_CHALLENGE,
      pose: DEFAULT_POSE_THRESHOLDS,
      minFrames: 4,
      maxFrames: 12,
      graceMs: 5_000,
      consistencyThreshold: faceThreshold,
      turnedConsistencyThreshold: 0.45,
      minLiveScore: 0.5,
      ...options.liveness,
      matchThreshold: faceThreshold,
    };
    liveness = new HumanLivenessCheck({
      matcher: faceMatcher,
      queue: faceQueue,
      policy: livenessPolicy,
      now,
      ...(options.randomInt ? { randomInt: options.randomInt } : {}),
    });
  }

  const missing = (part: string): never => {
    throw new VisionError('ERR_USAGE', `the vision engine was created without ${part}`);
  };
  return {
    get faceMatcher() {
      return faceMatcher ?? missing('face models');
    },
    get liveness() {
      return liveness ?? missing('face models');
    },
    get mrz() {
      return mrz ?? missing('OCR models');
    },
    faceThreshold,
    readQr: (frame) =>
      documentQueue.run(async () => decodeQr(await decodeImage(frame, { accept: SELFIE_FORMATS }))),
    get ocrProcess() {
      return mrz?.process;
    },
    close() {
      faceQueue.close();
      documentQueue.close();
      mrz?.close();
    },
  };
}
