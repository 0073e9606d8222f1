// Classifies each liveness frame's head pose relative to the person's own neutral first frame and
// collapses the result into the sequence of movements actually performed.

import type { FaceObservation } from '../face/face-analyzer.ts';
import type { LivenessStep } from './challenge.ts';

export interface PoseThresholds {
  /** Yaw change (degrees) that counts as a turn. */
  yaw: number;
  /** Pitch change (degrees) that counts as looking up. */
  pitch: number;
  /** Face-width growth factor that counts as moving closer. */
  closer: number;
  /** Largest |yaw|/|pitch| (degrees) of the neutral first frame. */
  neutral: number;
}

export const DEFAULT_POSE_THRESHOLDS: Readonly<PoseThresholds> = Object.freeze({
  yaw: 10,
  pitch: 10,
  closer: 1.3,
  neutral: 20,
});

export type FramePose = LivenessStep | 'neutral' | 'between' | 'look-down';

export function classifyPose(
  frame: Pick<FaceObservation, 'yaw' | 'pitch' | 'widthRatio'>,
  baseline: Pick<FaceObservation, 'yaw' | 'pitch' | 'widthRatio'>,
  t: PoseThresholds,
): FramePose {
  const dYaw = frame.yaw - baseline.yaw;
  const dPitch = frame.pitch - baseline.pitch;
  const growth = frame.widthRatio / baseline.widthRatio;
  const yawSteps = Math.abs(dYaw) / t.yaw;
  const pitchSteps = Math.abs(dPitch) / t.pitch;
  if (yawSteps >= 1 && yawSteps >= pitchSteps) return dYaw > 0 ? 'turn-left' : 'turn-right';
  if (pitchSteps >= 1) return dPitch > 0 ? 'look-up' : 'look-down';
  if (growth >= t.closer) return 'move-closer';
  if (yawSteps < 0.5 && pitchSteps < 0.5 && growth < 1 + (t.closer - 1) / 2) return 'neutral';
  return 'between';
}

/**
 * How far a frame is from the baseline, in units of the thresholds (>= 1 is a movement); used to
 * pick the frame of each movement that shows it most clearly.
 */
export function movementStrength(
  frame: Pick<FaceObservation, 'yaw' | 'pitch' | 'widthRatio'>,
  baseline: Pick<FaceObservation, 'yaw' | 'pitch' | 'widthRatio'>,
  t: PoseThresholds,
): number {
  return Math.max(
    Math.abs(frame.yaw - baseline.yaw) / t.yaw,
    Math.abs(frame.pitch - baseline.pitch) / t.pitch,
    (frame.widthRatio / baseline.widthRatio - 1) / (t.closer - 1),
  );
}

export interface MovementRun {
  step: FramePose;
  /** Every frame classified as this movement, first to last. */
  frames: number[];
}

/**
 * The movements performed, in order, with their frames: runs of the same pose collapse to one;
 * neutral frames separate movements, in-between frames do not, and neither is a movement itself.
 */
export function movementRuns(poses: readonly FramePose[]): MovementRun[] {
  const out: MovementRun[] = [];
  let previous: FramePose = 'neutral';
  poses.forEach((pose, frame) => {
    if (pose === 'neutral' || pose === 'between') {
      if (pose === 'neutral') previous = 'neutral';
      return;
    }
    if (pose !== previous) out.push({ step: pose, frames: [frame] });
    else out.at(-1)?.frames.push(frame);
    previous = pose;
  });
  return out;
}

/** `movementRuns` reduced to each movement and its first frame. */
export function performedSequence(poses: readonly FramePose[]): { step: FramePose; frame: number }[] {
  return movementRuns(poses).map((r) => ({ step: r.step, frame: r.frames[0]! }));
}
