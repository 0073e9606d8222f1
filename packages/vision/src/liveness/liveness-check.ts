// Active liveness behind the LivenessCheck port: verifies that the submitted frames show one and
// the same person, matching the chip portrait, performing exactly the challenged head movements
// in order and in time. human's antispoof/liveness scores are extra signals. This is NOT an
// ISO/IEC 30107-3 certified presentation-attack detector: see docs/vision.md for what it resists.

import type { WorkQueue } from '../engine/work-queue.ts';
import { VisionError, type VisionErrorCode } from '../errors.ts';
import type { FaceTemplate, HumanFaceMatcher, TrackedFace } from '../face/face-matcher.ts';
import { SELFIE_FORMATS } from '../face/face-matcher.ts';
import { cosineSimilarity } from '../face/similarity.ts';
import { decodeImage } from '../image/decode-image.ts';
import {
  type ChallengeOptions,
  createChallenge,
  type LivenessChallenge,
  type LivenessStep,
} from './challenge.ts';
import {
  classifyPose,
  type FramePose,
  movementRuns,
  movementStrength,
  type PoseThresholds,
} from './pose-sequence.ts';

export interface LivenessFrame {
  image: Uint8Array;
  /** ms since the client displayed the challenge (client monotonic clock). */
  at: number;
}

export interface LivenessResult {
  challengeId: string;
  performed: { step: LivenessStep; frame: number }[];
  /** Similarity of the first (frontal, neutral) frame to the chip portrait. */
  referenceSimilarity: number;
  /** Lowest similarity to the first frame of the frames showing each movement. */
  consistency: number;
  /** Medians of human's scores over the first frame and the movement frames (1 = real/live). */
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
  /** Minimum similarity to the first frame of a frontal (neutral or closer) movement frame. */
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
      const matcher = this.#o.matcher;
      const tracked: TrackedFace[] = [];
      try {
        // Stage 1, every frame: detector + mesh only (one face, head pose, size, light).
        for (const [index, frame] of frames.entries()) {
          const rgb = await withFrame(index, () => decodeImage(frame.image, { accept: SELFIE_FORMATS }));
          tracked.push(await withFrame(index, () => matcher.trackFace(rgb)));
        }
        const baseline = tracked[0]!.face;
        if (Math.abs(baseline.yaw) > policy.pose.neutral || Math.abs(baseline.pitch) > policy.pose.neutral) {
          fail('ERR_LIVENESS_SEQUENCE', 'the first frame must face the camera', { frame: 0 });
        }
        const poses: FramePose[] = tracked.map((t) => classifyPose(t.face, baseline, policy.pose));
        const runs = movementRuns(poses);
        // Stage 2, identity, on the frames that carry evidence: the first frame (compared with the
        // chip), for every movement the frame showing it most, and the last frame. Every step of an
        // accepted sequence is thus shown by the face of the first frame, and a face spliced in for
        // the rest of the session is named as such. Frames that only repeat a movement or stand
        // between movements add no step, so they need no descriptor (docs/vision.md).
        const evidence = new Set([
          0,
          ...runs.map((r) =>
            r.frames.reduce((best, f) =>
              movementStrength(tracked[f]!.face, baseline, policy.pose) >
              movementStrength(tracked[best]!.face, baseline, policy.pose)
                ? f
                : best,
            ),
          ),
          tracked.length - 1,
        ]);
        const templates = new Map<number, FaceTemplate>();
        for (const frame of [...evidence].sort((x, y) => x - y)) {
          templates.set(
            frame,
            await withFrame(frame, () => matcher.describeTracked(tracked[frame]!, { spoofScores: true })),
          );
        }
        const first = templates.get(0)!;
        // Same face throughout: turned faces legitimately score lower against the frontal first
        // frame, so they get a lower bar.
        let consistency = 1;
        for (const [frame, t] of templates) {
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
        }
        const asked = challenge.steps;
        if (runs.length !== asked.length || runs.some((r, i) => r.step !== asked[i])) {
          fail('ERR_LIVENESS_SEQUENCE', 'the movements do not follow the challenge', {
            asked: [...asked],
            performed: runs.map((r) => r.step),
          });
        }
        // The first frame is frontal and neutral by construction; turned faces score lower against a
        // frontal portrait, so it is the one compared with the chip.
        const referenceSimilarity = matcher.compare(reference, first).similarity;
        if (!(referenceSimilarity >= policy.matchThreshold)) {
          fail('ERR_LIVENESS_NOT_MATCHING', 'the face does not match the document portrait', {
            similarity: round3(referenceSimilarity),
          });
        }
        const described = [...templates.values()];
        const live = median(described.map((t) => t.face.live));
        const real = median(described.map((t) => t.face.real));
        if (live !== undefined && live < policy.minLiveScore) {
          fail('ERR_LIVENESS_SPOOF', 'liveness score too low', { live: round3(live) });
        }
        return {
          challengeId: challenge.id,
          performed: runs.map((r) => ({ step: r.step as LivenessStep, frame: r.frames[0]! })),
          referenceSimilarity,
          consistency,
          signals: { real, live },
          engine: matcher.engine,
        };
      } finally {
        for (const t of tracked) t.crop?.dispose();
      }
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
