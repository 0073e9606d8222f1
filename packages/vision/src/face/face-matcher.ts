// 1:1 face verification (chip portrait vs. selfie) behind the FaceMatcher port. The default
// engine uses human's detector + mesh (tfjs wasm) and its faceres descriptor model (run by
// onnxruntime, faceres-onnx.ts); an operator can plug in another
// engine (e.g. a certified commercial one) by implementing the same interface.

import sharp from 'sharp';
import type { WorkQueue } from '../engine/work-queue.ts';
import { VisionError } from '../errors.ts';
import { decodeImage, type ImageFormat } from '../image/decode-image.ts';
import type { Jpeg2000Codec } from '../image/jpeg2000.ts';
import type { RgbImage } from '../image/rgb-image.ts';
import {
  analyzeFacesKeepingCrops,
  describeCrop,
  disposeCrops,
  type FaceObservation,
} from './face-analyzer.ts';
import { type FaceQualityPolicy, selectSingleFace } from './face-quality.ts';
import type { OnnxFaceDescriptor } from './faceres-onnx.ts';
import type { HumanLike, TensorLike } from './human-types.ts';
import { cosineSimilarity } from './similarity.ts';

/** A face descriptor plus the capture facts it came from. Opaque to callers except for storage. */
export interface FaceTemplate {
  /** Identifies the model; templates of different engines are not comparable. */
  readonly engine: string;
  readonly descriptor: Float32Array;
  readonly face: Readonly<FaceObservation>;
}

export interface FaceMatchResult {
  match: boolean;
  /** Cosine similarity of the descriptors, 0-1 for the default engine. */
  similarity: number;
  threshold: number;
  engine: string;
}

export interface FaceMatcher {
  /** Template from the chip portrait (DG2: JPEG or JPEG 2000). Throws ERR_FACE_* / ERR_IMAGE_*. */
  referenceTemplate(image: Uint8Array): Promise<FaceTemplate>;
  /** Template from a selfie frame (JPEG/PNG/WebP). Throws ERR_FACE_*, ERR_EYES_CLOSED, ERR_LOOKING_AWAY. */
  probeTemplate(image: Uint8Array): Promise<FaceTemplate>;
  compare(reference: FaceTemplate, probe: FaceTemplate): FaceMatchResult;
  /** referenceTemplate + probeTemplate + compare. */
  verify(reference: Uint8Array, selfie: Uint8Array): Promise<FaceMatchResult>;
}

/**
 * Frames are scaled down to this longest side before detection: the detector works at 256 px and
 * the descriptor at 224 px anyway, and tensor upload time grows with the pixel count.
 */
export const MAX_ANALYSIS_SIDE = 800;

/** A face found by `trackFace`: its observation and the crop its descriptor would be computed from. */
export interface TrackedFace {
  face: FaceObservation;
  crop: TensorLike | undefined;
}

export const SELFIE_FORMATS: readonly ImageFormat[] = ['jpeg', 'png', 'webp'];
export const PORTRAIT_FORMATS: readonly ImageFormat[] = ['jpeg', 'jp2', 'j2k', 'png'];

export interface HumanFaceMatcherOptions {
  human: HumanLike;
  /** human's faceres descriptor model on onnxruntime (faceres-onnx.ts). */
  descriptor: OnnxFaceDescriptor;
  jpeg2000: Jpeg2000Codec;
  queue: WorkQueue;
  policy: FaceQualityPolicy;
  /** Decision threshold on cosine similarity (see docs/vision-eval.md). */
  threshold: number;
}

export class HumanFaceMatcher implements FaceMatcher {
  readonly engine: string;
  readonly #options: HumanFaceMatcherOptions;

  constructor(options: HumanFaceMatcherOptions) {
    if (!(options.threshold > 0 && options.threshold < 1)) {
      throw new VisionError('ERR_USAGE', 'face threshold must be in (0, 1)');
    }
    this.#options = options;
    this.engine = `human-${options.human.version}-faceres`;
  }

  async referenceTemplate(image: Uint8Array): Promise<FaceTemplate> {
    return this.#options.queue.run(async () => {
      const rgb = await decodeImage(image, { jpeg2000: this.#options.jpeg2000, accept: PORTRAIT_FORMATS });
      return this.templateOf(rgb);
    });
  }

  async probeTemplate(image: Uint8Array): Promise<FaceTemplate> {
    return this.#options.queue.run(async () => {
      const rgb = await decodeImage(image, { accept: SELFIE_FORMATS });
      return this.templateOf(rgb);
    });
  }

  /** Template of already decoded pixels; callers must hold a queue slot (the engine does). */
  async templateOf(image: RgbImage, options: { frontal?: boolean } = {}): Promise<FaceTemplate> {
    const tracked = await this.trackFace(image, { frontal: options.frontal ?? true });
    try {
      return await this.describeTracked(tracked, { spoofScores: false });
    } finally {
      tracked.crop?.dispose();
    }
  }

  /**
   * Detector + mesh only, quality-gated (one face, size, light; liveness frames are turned on
   * purpose, so `frontal: false` skips the pose and eye checks). The crop lets `describeTracked` add
   * the descriptor later, for the frames that need one. Callers hold a queue slot and dispose the crop.
   */
  async trackFace(image: RgbImage, options: { frontal: boolean } = { frontal: false }): Promise<TrackedFace> {
    const faces = await analyzeFacesKeepingCrops(
      this.#options.human,
      await limitSize(image, MAX_ANALYSIS_SIDE),
    );
    try {
      const face = selectSingleFace(
        faces.map((f) => f.observation),
        { policy: this.#options.policy, frontal: options.frontal },
      );
      const index = faces.findIndex((f) => f.observation === face);
      // Hand the chosen crop to the caller; the finally block disposes the others.
      const [chosen] = faces.splice(index, 1);
      return { face, crop: chosen?.crop };
    } finally {
      disposeCrops(faces);
    }
  }

  /** Second stage: descriptor (and human's spoof scores) of a tracked face. Does not dispose the crop. */
  async describeTracked(tracked: TrackedFace, options: { spoofScores: boolean }): Promise<FaceTemplate> {
    if (tracked.crop === undefined) {
      throw new VisionError('ERR_FACE_NONE', 'face found but no descriptor could be computed');
    }
    const d = await describeCrop(this.#options.human, this.#options.descriptor, tracked.crop, options);
    return {
      engine: this.engine,
      descriptor: d.descriptor,
      face: { ...tracked.face, descriptor: d.descriptor, real: d.real, live: d.live },
    };
  }

  compare(reference: FaceTemplate, probe: FaceTemplate): FaceMatchResult {
    if (reference.engine !== this.engine || probe.engine !== this.engine) {
      throw new VisionError('ERR_USAGE', 'face templates come from another engine', {
        details: { reference: reference.engine, probe: probe.engine, engine: this.engine },
      });
    }
    const similarity = cosineSimilarity(reference.descriptor, probe.descriptor);
    return {
      match: similarity >= this.#options.threshold,
      similarity,
      threshold: this.#options.threshold,
      engine: this.engine,
    };
  }

  async verify(reference: Uint8Array, selfie: Uint8Array): Promise<FaceMatchResult> {
    const ref = await this.referenceTemplate(reference);
    const probe = await this.probeTemplate(selfie);
    return this.compare(ref, probe);
  }
}

async function limitSize(image: RgbImage, maxSide: number): Promise<RgbImage> {
  const scale = maxSide / Math.max(image.width, image.height);
  if (scale >= 1) return image;
  const { data, info } = await sharp(image.data, {
    raw: { width: image.width, height: image.height, channels: 3 },
  })
    .resize(Math.round(image.width * scale), Math.round(image.height * scale))
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    width: info.width,
    height: info.height,
  };
}
