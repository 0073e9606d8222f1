// Runs human's face pipeline on one decoded image and reduces each detected face to the facts the
// matcher and liveness check need: box, head pose, eye openness, brightness, descriptor, and
// human's anti-spoofing/liveness scores. Not thread-safe: the engine serialises calls.

import { VisionError } from '../errors.ts';
import type { RgbImage } from '../image/rgb-image.ts';
import { meanLuma } from '../image/rgb-image.ts';
import type { HumanFace, HumanLike, HumanResult, TensorLike } from './human-types.ts';

export interface FaceBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface FaceObservation {
  box: FaceBox;
  /** detector x mesh confidence, 0-1 */
  score: number;
  /**
   * Head pose in degrees, in the person's frame of reference for an unmirrored camera image:
   * yaw > 0 = turned to their left, pitch > 0 = looking up, roll > 0 = head tilted to their left.
   */
  yaw: number;
  pitch: number;
  roll: number;
  /** Eyelid opening relative to the eye socket (human's blink measure); < ~0.2 is a closed eye. */
  eyeOpenness: number;
  /** Mean luma of the face box, 0-255. */
  brightness: number;
  /** Face box width as a share of the image width (grows when the person moves closer). */
  widthRatio: number;
  descriptor: Float32Array | undefined;
  /** human's anti-spoofing model: 1 = real, 0 = spoof (photo/screen). */
  real: number | undefined;
  /** human's liveness model: 1 = live, 0 = not. */
  live: number | undefined;
}

export interface AnalyzeOptions {
  /** Compute the 1024-float faceres descriptor (expensive, needed for matching). */
  descriptor: boolean;
  /** Run human's antispoof + liveness models. */
  spoofScores: boolean;
}

/** A detected face plus human's straightened face crop, for models run later (see `describeCrop`). */
export interface CroppedFace {
  observation: FaceObservation;
  /** tfjs tensor owned by the caller: dispose it (or hand it to `disposeCrops`). */
  crop: TensorLike | undefined;
}

const RAD = 180 / Math.PI;

export async function analyzeFaces(
  human: HumanLike,
  image: RgbImage,
  options: AnalyzeOptions,
): Promise<FaceObservation[]> {
  const faces = await detect(human, image, options, false);
  return faces.map((f) => f.observation);
}

/**
 * Detector + mesh only (box, pose, eyes: ~25 ms), keeping each face's crop so the descriptor and
 * spoof models can run afterwards on the frames that need them (~65 ms each) without detecting
 * again. The crop is the very tensor human would have fed those models, so descriptors are the same.
 */
export async function analyzeFacesKeepingCrops(human: HumanLike, image: RgbImage): Promise<CroppedFace[]> {
  return detect(human, image, { descriptor: false, spoofScores: false }, true);
}

async function detect(
  human: HumanLike,
  image: RgbImage,
  options: AnalyzeOptions,
  keepCrop: boolean,
): Promise<CroppedFace[]> {
  const tensor = human.tf.tensor3d(image.data, [image.height, image.width, 3], 'int32');
  let faces: HumanFace[] = [];
  try {
    // Every toggle is passed on every call: human merges call config into its own persistently.
    const result = await human.detect(tensor, {
      face: {
        detector: { return: keepCrop },
        // Eye openness comes from the mesh; the iris model adds time and nothing we use.
        iris: { enabled: false },
        description: { enabled: options.descriptor },
        antispoof: { enabled: options.spoofScores },
        liveness: { enabled: options.spoofScores },
      },
    });
    if ('error' in result && result.error) {
      throw new VisionError('ERR_IMAGE_FORMAT', 'face engine rejected the image', {
        details: { error: result.error },
      });
    }
    faces = (result as HumanResult).face;
    return faces
      .filter((f) => f.mesh.length > 450)
      .map((f) => ({ observation: observe(f, image, options), crop: keepCrop ? f.tensor : undefined }));
  } catch (e) {
    for (const f of faces) f.tensor?.dispose();
    throw e;
  } finally {
    tensor.dispose();
    // Faces dropped by the mesh filter still carry their crops.
    for (const f of faces) if (f.mesh.length <= 450) f.tensor?.dispose();
  }
}

export interface CropDescription {
  descriptor: Float32Array | undefined;
  real: number | undefined;
  live: number | undefined;
}

/**
 * Runs faceres (descriptor) and, if asked, antispoof + liveness on a crop from
 * `analyzeFacesKeepingCrops`, as human's face pipeline does (human 3.3.6 src/face/faceres.ts,
 * antispoof.ts, liveness.ts: bilinear resize to the model input; faceres scales to 0-255).
 */
export async function describeCrop(
  human: HumanLike,
  crop: TensorLike,
  options: { spoofScores: boolean },
): Promise<CropDescription> {
  const { tf } = human;
  const batch = tf.expandDims(crop, 0);
  const owned: TensorLike[] = [batch];
  try {
    const run = async (name: string, scale: number | undefined) => {
      const model = human.models.models[name];
      const shape = model?.inputs[0]?.shape;
      if (!model || !shape || shape.length < 3) {
        throw new VisionError('ERR_ENGINE_INIT', `face model ${name} is not loaded`);
      }
      const resized = tf.image.resizeBilinear(batch, [shape[2]!, shape[1]!], false);
      owned.push(resized);
      const input = scale === undefined ? resized : tf.mul(resized, scale);
      if (input !== resized) owned.push(input);
      const out = model.execute(input);
      const outputs = Array.isArray(out) ? out : [out];
      owned.push(...outputs);
      return outputs;
    };
    const res = await run('faceres', 255);
    const desc = res.find((t) => t.shape[1] === 1024);
    const descriptor = desc ? Float32Array.from(await desc.data()) : undefined;
    let real: number | undefined;
    let live: number | undefined;
    if (options.spoofScores) {
      // human rounds these scores to two decimals; so do we, to keep signals comparable.
      real = round2((await (await run('antispoof', undefined))[0]!.data())[0]!);
      live = round2((await (await run('liveness', undefined))[0]!.data())[0]!);
    }
    return { descriptor: descriptor && descriptor.length > 0 ? descriptor : undefined, real, live };
  } finally {
    for (const t of owned) t.dispose();
  }
}

/** Disposes crops kept by `analyzeFacesKeepingCrops`. */
export function disposeCrops(faces: readonly { crop: TensorLike | undefined }[]): void {
  for (const f of faces) f.crop?.dispose();
}

function round2(x: number): number {
  return Math.round(100 * x) / 100;
}

function observe(face: HumanFace, image: RgbImage, options: AnalyzeOptions): FaceObservation {
  const [x, y, width, height] = face.box;
  const angle = face.rotation?.angle ?? { yaw: 0, pitch: 0, roll: 0 };
  const embedding = options.descriptor ? face.embedding : undefined;
  return {
    box: { x, y, width, height },
    score: face.score,
    // human reports yaw > 0 when the face turns towards image left = the person's right.
    yaw: -angle.yaw * RAD,
    pitch: -angle.pitch * RAD,
    roll: angle.roll * RAD,
    eyeOpenness: eyeOpenness(face),
    brightness: meanLuma(image, { x, y, width, height }),
    widthRatio: width / image.width,
    descriptor: embedding && embedding.length > 0 ? Float32Array.from(embedding) : undefined,
    real: options.spoofScores ? face.real : undefined,
    live: options.spoofScores ? face.live : undefined,
  };
}

/** Lid gap over socket height for each eye, from the 468-point mesh; the smaller eye counts. */
function eyeOpenness(face: HumanFace): number {
  const m = face.mesh;
  const ratio = (a: number, b: number, c: number, d: number) => {
    const gap = Math.abs(m[a]![1] - m[b]![1]);
    const socket = Math.abs(m[c]![1] - m[d]![1]);
    return socket > 0 ? gap / socket : 0;
  };
  return Math.min(ratio(374, 386, 443, 450), ratio(145, 159, 223, 230));
}
