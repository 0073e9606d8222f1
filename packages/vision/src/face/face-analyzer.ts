// Runs human's face pipeline on one decoded image and reduces each detected face to the facts the
// matcher and liveness check need: box, head pose, eye openness, brightness, descriptor, and
// human's anti-spoofing/liveness scores. Not thread-safe: the engine serialises calls.

import { VisionError } from '../errors.ts';
import type { RgbImage } from '../image/rgb-image.ts';
import { meanLuma } from '../image/rgb-image.ts';
import { FACERES_INPUT, type OnnxFaceDescriptor } from './faceres-onnx.ts';
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

/** A detected face plus human's straightened face crop, for models run later (see `describeCrop`). */
export interface CroppedFace {
  observation: FaceObservation;
  /** tfjs tensor owned by the caller: dispose it (or hand it to `disposeCrops`). */
  crop: TensorLike | undefined;
}

const RAD = 180 / Math.PI;

/**
 * Detector + mesh only (box, pose, eyes: ~25 ms), keeping each face's crop so the descriptor and
 * spoof models can run afterwards on the faces that need them, without detecting again. The crop is
 * the very tensor human's own pipeline would feed those models, so descriptors are the same.
 */
export async function analyzeFacesKeepingCrops(human: HumanLike, image: RgbImage): Promise<CroppedFace[]> {
  const tensor = human.tf.tensor3d(image.data, [image.height, image.width, 3], 'int32');
  let faces: HumanFace[] = [];
  try {
    // Every toggle is passed on every call: human merges call config into its own persistently.
    const result = await human.detect(tensor, {
      face: {
        detector: { return: true },
        // Eye openness comes from the mesh; the iris model adds time and nothing we use.
        iris: { enabled: false },
        // The descriptor runs on onnxruntime (describeCrop), the spoof models on request only.
        description: { enabled: false },
        antispoof: { enabled: false },
        liveness: { enabled: false },
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
      .map((f) => ({ observation: observe(f, image), crop: f.tensor }));
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
  descriptor: Float32Array;
  real: number | undefined;
  live: number | undefined;
}

/**
 * The faceres descriptor (onnxruntime, see faceres-onnx.ts) and, if asked, human's antispoof +
 * liveness scores of a crop from `analyzeFacesKeepingCrops`, with human's own preprocessing (human
 * 3.3.6 src/face/faceres.ts, antispoof.ts, liveness.ts: bilinear resize to the model input; faceres
 * reads 0-255).
 */
export async function describeCrop(
  human: HumanLike,
  descriptorModel: OnnxFaceDescriptor,
  crop: TensorLike,
  options: { spoofScores: boolean },
): Promise<CropDescription> {
  const { tf } = human;
  const batch = tf.expandDims(crop, 0);
  const owned: TensorLike[] = [batch];
  try {
    const resize = (height: number, width: number) => {
      const resized = tf.image.resizeBilinear(batch, [height, width], false);
      owned.push(resized);
      return resized;
    };
    const faceresInput = tf.mul(resize(FACERES_INPUT, FACERES_INPUT), 255);
    owned.push(faceresInput);
    const descriptor = await descriptorModel.describe(Float32Array.from(await faceresInput.data()));
    let real: number | undefined;
    let live: number | undefined;
    if (options.spoofScores) {
      const run = async (name: string) => {
        const model = human.models.models[name];
        const shape = model?.inputs[0]?.shape;
        if (!model || !shape || shape.length < 3 || !shape[1] || !shape[2]) {
          throw new VisionError('ERR_ENGINE_INIT', `face model ${name} is not loaded`);
        }
        const out = model.execute(resize(shape[1], shape[2]));
        const outputs = Array.isArray(out) ? out : [out];
        owned.push(...outputs);
        // human rounds these scores to two decimals; so do we, to keep signals comparable.
        return round2((await outputs[0]!.data())[0]!);
      };
      real = await run('antispoof');
      live = await run('liveness');
    }
    return { descriptor, real, live };
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

function observe(face: HumanFace, image: RgbImage): FaceObservation {
  const [x, y, width, height] = face.box;
  const angle = face.rotation?.angle ?? { yaw: 0, pitch: 0, roll: 0 };
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
    descriptor: undefined,
    real: undefined,
    live: undefined,
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
