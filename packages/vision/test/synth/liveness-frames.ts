// Synthetic liveness sessions: the held-out ICAO sample portrait placed in 640x480 "camera"
// frames, with head turns simulated by a cylindrical warp (test/synth/warp.ts) and "move closer"
// by a larger face. Far from a real video: docs/vision.md says what this does and does not test.

import { decodeImage } from '../../src/image/decode-image.ts';
import type { Jpeg2000Codec } from '../../src/image/jpeg2000.ts';
import type { RgbImage } from '../../src/image/rgb-image.ts';
import type { LivenessStep } from '../../src/liveness/challenge.ts';
import type { LivenessFrame } from '../../src/liveness/liveness-check.ts';
import { fixture, HELD_OUT } from './face-sets.ts';
import { selfieLike, toRgb } from './face-variants.ts';

/** Face region of the ICAO sample portrait (413x531), found once by eye. */
const PORTRAIT_FACE = { x: 85, y: 110, width: 250, height: 330 };

export type FramePlan = LivenessStep | 'neutral';

export async function portraitSource(codec: Jpeg2000Codec): Promise<RgbImage> {
  return decodeImage(fixture(HELD_OUT.portraitJp2), { jpeg2000: codec });
}

export async function webcamSource(): Promise<{ image: RgbImage; face: typeof PORTRAIT_FACE }> {
  const image = await toRgb(fixture(HELD_OUT.webcam));
  return { image, face: { x: 20, y: 15, width: 100, height: 125 } };
}

/** One JPEG frame showing `source` performing `pose`. */
export async function poseFrame(
  source: RgbImage,
  pose: FramePlan,
  options: {
    face?: { x: number; y: number; width: number; height: number };
    seed?: number;
    strength?: number;
  } = {},
): Promise<Buffer> {
  const face = options.face ?? PORTRAIT_FACE;
  const k = options.strength ?? 1;
  const base = { faceShare: 0.45, noiseSigma: 3, jpegQuality: 85, seed: options.seed ?? 1 };
  switch (pose) {
    case 'turn-left':
      return selfieLike(source, { ...base, turn: { yawDeg: 50 * k, face } });
    case 'turn-right':
      return selfieLike(source, { ...base, turn: { yawDeg: -50 * k, face } });
    case 'look-up':
      return selfieLike(source, { ...base, turn: { pitchDeg: 45 * k, face } });
    case 'move-closer':
      return selfieLike(source, { ...base, faceShare: 0.45 * 1.5 });
    case 'neutral':
      return selfieLike(source, base);
  }
}

/** Frames for a plan, 400 ms apart, starting `startAt` ms after the challenge was shown. */
export async function session(
  source: RgbImage,
  plan: readonly FramePlan[],
  options: { startAt?: number; face?: { x: number; y: number; width: number; height: number } } = {},
): Promise<LivenessFrame[]> {
  const frames: LivenessFrame[] = [];
  for (const [i, pose] of plan.entries()) {
    const image = await poseFrame(source, pose, {
      seed: i + 1,
      ...(options.face ? { face: options.face } : {}),
    });
    frames.push({ image, at: (options.startAt ?? 500) + i * 400 });
  }
  return frames;
}

/** Neutral, then each step held for two frames with a neutral frame in between. */
export function planFor(steps: readonly LivenessStep[]): FramePlan[] {
  const plan: FramePlan[] = ['neutral', 'neutral'];
  for (const s of steps) plan.push(s, s, 'neutral');
  return plan;
}

/** What the app sends (apps/app face-screen.tsx): the first neutral frame and one frame held in each step. */
export function appPlan(steps: readonly LivenessStep[]): FramePlan[] {
  return ['neutral', ...steps];
}
