// Runs human's face pipeline on one decoded image and reduces each detected face to the facts the
// matcher and liveness check need: box, head pose, eye openness, brightness, descriptor, and
// human's anti-spoofing/liveness scores. Not thread-safe: the engine serialises calls.

import { VisionError } from '../errors.ts';
import type { RgbImage } from '../image/rgb-image.ts';
import { meanLuma } from '../image/rgb-image.ts';
import type { HumanFace, HumanLike, HumanResult } from './human-types.ts';

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

const RAD = 180 / Math.PI;

export async function analyzeFaces(
  human: HumanLike,
  image: RgbImage,
  options: AnalyzeOptions,
): Promise<FaceObservation[]> {
  const tensor = human.tf.tensor3d(image.data, [image.height, image.width, 3], 'int32');
  try {
    // Every toggle is passed on every call: human merges call config into its own persistently.
    const result = await human.detect(tensor, {
      face: {
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
    return (result as HumanResult).face
      .filter((f) => f.mesh.length > 450)
      .map((f) => observe(f, image, options));
  } finally {
    tensor.dispose();
  }
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
