// Picks the one face in a capture and rejects captures a person can fix (no face, several faces,
// too small, too dark, eyes closed, looking away), each with its own error code for the UI.

import { VisionError } from '../errors.ts';
import type { FaceObservation } from './face-analyzer.ts';

export interface FaceQualityPolicy {
  /** Minimum face box width in pixels (human's box is ~1.4x the eye-to-chin face). */
  minFaceWidth: number;
  /** Minimum mean luma of the face box, 0-255. */
  minBrightness: number;
  /** Minimum eyelid opening (see FaceObservation.eyeOpenness). */
  minEyeOpenness: number;
  /** Maximum |yaw| and |pitch| in degrees for a frontal capture. */
  maxYaw: number;
  maxPitch: number;
  /** Another face at least this share of the main face's width counts as a second person. */
  secondFaceRatio: number;
}

export const DEFAULT_FACE_QUALITY: Readonly<FaceQualityPolicy> = Object.freeze({
  minFaceWidth: 80,
  minBrightness: 45,
  minEyeOpenness: 0.2,
  maxYaw: 25,
  maxPitch: 25,
  secondFaceRatio: 0.5,
});

export interface AssessOptions {
  policy: FaceQualityPolicy;
  /** Liveness frames are turned on purpose: skip the frontal-pose and eye checks for them. */
  frontal: boolean;
}

export function selectSingleFace(faces: readonly FaceObservation[], options: AssessOptions): FaceObservation {
  const { policy } = options;
  if (faces.length === 0) throw new VisionError('ERR_FACE_NONE', 'no face found');
  const sorted = [...faces].sort((a, b) => b.box.width - a.box.width);
  const main = sorted[0]!;
  const others = sorted.slice(1).filter((f) => f.box.width >= main.box.width * policy.secondFaceRatio);
  if (others.length > 0) {
    throw new VisionError('ERR_FACE_MULTIPLE', 'more than one face found', {
      details: { faces: others.length + 1 },
    });
  }
  if (main.box.width < policy.minFaceWidth) {
    throw new VisionError('ERR_FACE_TOO_SMALL', 'face is too small', {
      details: { width: Math.round(main.box.width), min: policy.minFaceWidth },
    });
  }
  if (main.brightness < policy.minBrightness) {
    throw new VisionError('ERR_FACE_TOO_DARK', 'face is too dark', {
      details: { brightness: Math.round(main.brightness), min: policy.minBrightness },
    });
  }
  if (options.frontal) {
    if (Math.abs(main.yaw) > policy.maxYaw || Math.abs(main.pitch) > policy.maxPitch) {
      throw new VisionError('ERR_LOOKING_AWAY', 'face is not turned to the camera', {
        details: { yaw: round1(main.yaw), pitch: round1(main.pitch) },
      });
    }
    if (main.eyeOpenness < policy.minEyeOpenness) {
      throw new VisionError('ERR_EYES_CLOSED', 'eyes are closed', {
        details: { eyeOpenness: round1(main.eyeOpenness * 10) / 10 },
      });
    }
  }
  return main;
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
