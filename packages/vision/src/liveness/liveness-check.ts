// Active liveness behind the LivenessCheck port: verifies that the submitted frames show one and
// the same person, matching the chip portrait, performing exactly the challenged head movements
// in order and in time. human's antispoof/liveness scores are extra signals. This is NOT an
// ISO/IEC 30107-3 certified presentation-attack detector: see docs/vision.md for what it resists.

import type { WorkQueue } from '../engine/work-queue.ts';
import { VisionError, type VisionErrorCode } from '../errors.ts';
import type { FaceTemplate, HumanFaceMatcher } from '../face/face-matcher.ts';
import { SELFIE_FORMATS } from '../face/face-matcher.ts';
import { cosineSimilarity } from '../face/similarity.ts';
import { decodeImage } from '../image/decode-image.ts';
import {
  type ChallengeOptions,
  createChallenge,
  type LivenessChallenge,
  type LivenessStep,
} from './challenge.ts';
import { classifyPose, type FramePose, type PoseThresholds, performedSequence } from './pose-sequence.ts';

export interface LivenessFrame {
  image: Uint8Array;
  /** ms since the client displayed the challenge (client monotonic clock). */
  at: number;
}

export interface LivenessResult {
  challengeId: string;
  performed: { step: LivenessStep; frame: number }[];
  /** Best similarity of a neutral frame to the chip portrait. */
  referenceSimilarity: number;
  /** Lowest similarity of any frame to the first frame. */
  consistency: number;
  /** Medians of human's scores over all frames (1 = real/live). */
  signals: { real: number | undefined; live: number | undefined };
  engine: string;
}

export interface LivenessCheck {
  createChallenge(): LivenessChallenge;
  /** Resolves when every check passes; otherwise throws VisionError with an ERR_LIVENESS_* or ERR_FACE_* code. */
  verify(input: {
    challenge: LivenessChallenge;
    frames: readonly LivenessFrame[];
    reference: FaceTemplate;
  }): Promise<LivenessResult>;
}

export interface LivenessPolicy {
  challenge: ChallengeOptions;
  pose: PoseThresholds;
  minFrames: number;
  maxFrames: number;
  /** Upload allowance after the deadline, ms (server clock). */
  graceMs: number;
  /** Minimum similarity to the first frame of every frontal (neutral or closer) frame. */
  consistencyThreshold: number;
  /** The same for turned frames (a turned face scores lower against a frontal one). */
  turnedConsistencyThreshold: number;
  /** Minimum similarity of a neutral frame to the chip portrait (the face-match threshold). */
  matchThreshold: number;
  /** Minimum median of human's liveness score. */
  minLiveScore: number;
}

export interface HumanLivenessCheckOptions {
  matcher: HumanFaceMatcher;
  queue: WorkQueue;
  policy: LivenessPolicy;
  now: () => number;
  randomInt?: (max: number) => number;
}

export class HumanLivenessCheck implements LivenessCheck {
  readonly #o: HumanLivenessCheckOptions;

  constructor(options: HumanLivenessCheckOptions) {
    this.#o = options;
  }

  createChallenge(): LivenessChallenge {
    const deps = this.#o.randomInt
      ? { now: this.#o.now, randomInt: this.#o.randomInt }
      : { now: this.#o.now };
    return createChallenge(deps, this.#o.policy.challenge);
  }

  async verify(input: {
    challenge: LivenessChallenge;
    frames: readonly LivenessFrame[];
    reference: FaceTemplate;
  }): Promise<LivenessResult> {
    const { challenge, frames, reference } = input;
    const policy = this.#o.policy;
    this.#checkTiming(challenge, frames);
    return this.#o.queue.run(async () => {
      const templates: FaceTemplate[] = [];
      for (const [index, frame] of frames.entries()) {
        const rgb = await withFrame(index, () => decodeImage(frame.image, { accept: SELFIE_FORMATS }));
        templates.push(
          await withFrame(index, () =>
            this.#o.matcher.templateOf(rgb, { frontal: false, spoofScores: true }),
          ),
        );
      }
      const first = templates[0]!;
      const baseline = first.face;
      if (Math.abs(baseline.yaw) > policy.pose.neutral || Math.abs(baseline.pitch) > policy.pose.neutral) {
        fail('ERR_LIVENESS_SEQUENCE', 'the first frame must face the camera', { frame: 0 });
      }
      const poses: FramePose[] = templates.map((t) => classifyPose(t.face, baseline, policy.pose));
      // Same face throughout: a swap mid-sequence drops below the consistency threshold. Turned
      // faces legitimately score lower against the frontal first frame, so they get a lower bar.
      let consistency = 1;
      templates.forEach((t, frame) => {
        const s = cosineSimilarity(first.descriptor, t.descriptor);
        consistency = Math.min(consistency, s);
        const frontal = poses[frame] === 'neutral' || poses[frame] === 'move-closer';
        const bar = frontal ? policy.consistencyThreshold : policy.turnedConsistencyThreshold;
        if (s < bar) {
          fail('ERR_LIVENESS_FACE_CHANGED', 'a different face appears during the challenge', {
            frame,
            similarity: round3(s),
            threshold: bar,
          });
        }
      });
      // Compare neutral frames only: turned faces score lower against a frontal portrait.
      const referenceSimilarity = Math.max(
        ...templates
          .filter((_, i) => poses[i] === 'neutral')
          .map((t) => this.#o.matcher.compare(reference, t).similarity),
      );
      if (!(referenceSimilarity >= policy.matchThreshold)) {
        fail('ERR_LIVENESS_NOT_MATCHING', 'the face does not match the document portrait', {
          similarity: round3(referenceSimilarity),
        });
      }
      const performed = performedSequence(poses);
      const asked = challenge.steps;
      if (performed.length !== asked.length || performed.some((p, i) => p.step !== asked[i])) {
        fail('ERR_LIVENESS_SEQUENCE', 'the movements do not follow the challenge', {
          asked: [...asked],
          performed: performed.map((p) => p.step),
        });
      }
      const live = median(templates.map((t) => t.face.live));
      const real = median(templates.map((t) => t.face.real));
      if (live !== undefined && live < policy.minLiveScore) {
        fail('ERR_LIVENESS_SPOOF', 'liveness score too low', { live: round3(live) });
      }
      return {
        challengeId: challenge.id,
        performed: performed as { step: LivenessStep; frame: number }[],
        referenceSimilarity,
        consistency,
        signals: { real, live },
        engine: this.#o.matcher.engine,
      };
    });
  }

  #checkTiming(challenge: LivenessChallenge, frames: readonly LivenessFrame[]): void {
    const policy = this.#o.policy;
    // Server clock first: a late upload fails whatever the client claims about its timestamps.
    if (this.#o.now() > challenge.deadline + policy.graceMs) {
      fail('ERR_LIVENESS_EXPIRED', 'the challenge has expired', { deadline: challenge.deadline });
    }
    if (
      frames.length < Math.max(policy.minFrames, challenge.steps.length + 1) ||
      frames.length > policy.maxFrames
    ) {
      fail('ERR_LIVENESS_TOO_FEW_FRAMES', 'wrong number of frames', {
        frames: frames.length,
        min: Math.max(policy.minFrames, challenge.steps.length + 1),
        max: policy.maxFrames,
      });
    }
    const ttl = challenge.deadline - challenge.issuedAt;
    let previous = 0;
    for (const [frame, f] of frames.entries()) {
      if (!Number.isFinite(f.at) || f.at < previous) {
        fail('ERR_LIVENESS_TIMESTAMPS', 'frame timestamps must increase', { frame });
      }
      if (f.at > ttl)
        fail('ERR_LIVENESS_EXPIRED', 'frame captured after the deadline', { frame, at: f.at, ttl });
      previous = f.at;
    }
  }
}

function fail(code: VisionErrorCode, message: string, details: Record<string, unknown>): never {
  throw new VisionError(code, message, { details });
}

/** Re-labels a per-frame capture error with the frame's index. */
async function withFrame<T>(frame: number, job: () => Promise<T>): Promise<T> {
  try {
    return await job();
  } catch (e) {
    if (e instanceof VisionError) {
      throw new VisionError(e.code, `frame ${frame}: ${e.message}`, {
        details: { ...e.details, frame },
        cause: e,
      });
    }
    throw e;
  }
}

function median(values: (number | undefined)[]): number | undefined {
  const v = values.filter((x): x is number => typeof x === 'number').sort((a, b) => a - b);
  if (v.length === 0) return undefined;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
