// Active liveness challenge: the server draws a random sequence of head movements and a deadline.
// The challenge must be stored server-side with the flow and used once (the caller's job).

import { randomBytes, randomInt } from 'node:crypto';
import { VisionError } from '../errors.ts';

export const LIVENESS_STEPS = ['turn-left', 'turn-right', 'look-up', 'move-closer'] as const;
export type LivenessStep = (typeof LIVENESS_STEPS)[number];

export interface LivenessChallenge {
  readonly id: string;
  readonly steps: readonly LivenessStep[];
  /** ms since the epoch, server clock */
  readonly issuedAt: number;
  readonly deadline: number;
}

export interface ChallengeOptions {
  /** Number of movements, 2-4. */
  steps: number;
  /** Time the person has to perform them, ms. */
  ttlMs: number;
}

export const DEFAULT_CHALLENGE: Readonly<ChallengeOptions> = Object.freeze({ steps: 3, ttlMs: 20_000 });

export interface ChallengeDeps {
  now: () => number;
  /** Uniform integer in [0, max); crypto.randomInt by default. */
  randomInt?: (max: number) => number;
  randomId?: () => string;
}

export function createChallenge(
  deps: ChallengeDeps,
  options: ChallengeOptions = DEFAULT_CHALLENGE,
): LivenessChallenge {
  if (!Number.isInteger(options.steps) || options.steps < 2 || options.steps > LIVENESS_STEPS.length) {
    throw new VisionError('ERR_USAGE', 'a challenge has 2-4 steps');
  }
  if (!(options.ttlMs >= 3_000 && options.ttlMs <= 120_000)) {
    throw new VisionError('ERR_USAGE', 'challenge lifetime must be 3-120 s');
  }
  const pick = deps.randomInt ?? ((max: number) => randomInt(max));
  // Distinct steps in random order: a partial Fisher-Yates shuffle.
  const pool: LivenessStep[] = [...LIVENESS_STEPS];
  for (let i = 0; i < options.steps; i++) {
    const j = i + pick(pool.length - i);
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  const issuedAt = deps.now();
  return Object.freeze({
    id: deps.randomId?.() ?? randomBytes(16).toString('base64url'),
    steps: Object.freeze(pool.slice(0, options.steps)),
    issuedAt,
    deadline: issuedAt + options.ttlMs,
  });
}
