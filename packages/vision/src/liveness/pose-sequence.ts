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
 * The movements performed, in order: runs of the same pose collapse to one, neutral and
 * in-between frames separate movements but are not movements themselves.
 */
export function performedSequence(poses: readonly FramePose[]): { step: FramePose; frame: number }[] {
  const out: { step: FramePose; frame: number }[] = [];
  let previous: FramePose = 'neutral';
  poses.forEach((pose, frame) => {
    if (pose === 'neutral' || pose === 'between') {
      if (pose === 'neutral') previous = 'neutral';
      return;
    }
    if (pose !== previous) out.push({ step: pose, frame });
    previous = pose;
  });
  return out;
}
