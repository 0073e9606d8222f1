// Temporary PINs: 8-digit codes sent by SMS when the app is copied to another phone (DESIGN.md §2),
// and the rule that none is sent to a mobile number that was changed in the last 5 days.

import {
  type AttemptInput,
  type AttemptPolicy,
  decideSecretAttempt,
  type FailedOutcome,
  type SecretAttemptDecision,
  type SecretState,
} from '../lib/attempt-decision.ts';
import { type RandomFill, randomDigits } from '../lib/numeric-code.ts';
import { fail, ok, type Result, type RuleError } from '../result.ts';

/**
 * "Short validity, few attempts, single use": 15 minutes is enough to read an SMS and type it on
 * the new phone; 3 wrong entries end it (the person can ask for a new one).
 */
export const TEMPORARY_PIN_POLICY = Object.freeze({
  length: 8,
  validityMs: 15 * 60 * 1000,
  maxAttempts: 3,
  /** No temporary PIN to a number changed less than this long ago (a hijacked number cannot copy the app). */
  phoneChangeQuarantineMs: 5 * 24 * 60 * 60 * 1000,
} as const satisfies AttemptPolicy & { length: number; phoneChangeQuarantineMs: number });

export type TemporaryPinState = SecretState;

export type TemporaryPinAttemptErrorCode =
  | 'ERR_TEMPORARY_PIN_WRONG'
  | 'ERR_TEMPORARY_PIN_EXPIRED'
  | 'ERR_TEMPORARY_PIN_EXHAUSTED'
  | 'ERR_TEMPORARY_PIN_USED';

export type TemporaryPinAttemptDecision = SecretAttemptDecision<TemporaryPinAttemptErrorCode>;

export function parseTemporaryPin(input: unknown): Result<string, RuleError<'ERR_TEMPORARY_PIN_FORMAT'>> {
  if (typeof input !== 'string' || input.length > 32) return fail('ERR_TEMPORARY_PIN_FORMAT');
  const digits = input.replace(/[\s-]/g, '');
  return /^\d{8}$/.test(digits) ? ok(digits) : fail('ERR_TEMPORARY_PIN_FORMAT');
}

export function generateTemporaryPin(fill?: RandomFill): string {
  return randomDigits(TEMPORARY_PIN_POLICY.length, fill);
}

const OUTCOME_CODE = {
  wrong: 'ERR_TEMPORARY_PIN_WRONG',
  expired: 'ERR_TEMPORARY_PIN_EXPIRED',
  exhausted: 'ERR_TEMPORARY_PIN_EXHAUSTED',
  used: 'ERR_TEMPORARY_PIN_USED',
} as const satisfies Record<FailedOutcome, TemporaryPinAttemptErrorCode>;

/** Decides one attempt at a temporary PIN; same contract as decidePcodeAttempt. */
export function decideTemporaryPinAttempt(
  state: TemporaryPinState,
  input: AttemptInput,
): TemporaryPinAttemptDecision {
  return decideSecretAttempt(TEMPORARY_PIN_POLICY, OUTCOME_CODE, state, input);
}

export interface TemporaryPinSendInput {
  /**
   * When the identity's mobile number was last replaced by another number; undefined if it was
   * only ever registered once. The first registration (enrollment) is not a change: the assisted
   * flow sends a temporary PIN to the number it has just verified.
   */
  readonly phoneNumberChangedAt: Date | undefined;
  readonly now: Date;
}

/**
 * Whether a temporary PIN may be sent now. Refused while the number was changed less than 5 days ago
 * (details.allowedFrom says when). Unreadable dates fail closed.
 */
export function mayTemporaryPinBeSent(
  input: TemporaryPinSendInput,
): Result<true, RuleError<'ERR_TEMPORARY_PIN_PHONE_RECENTLY_CHANGED'>> {
  const { phoneNumberChangedAt: changedAt, now } = input;
  if (changedAt === undefined) return ok(true);
  const allowedFromMs = changedAt.getTime() + TEMPORARY_PIN_POLICY.phoneChangeQuarantineMs;
  if (!Number.isFinite(allowedFromMs) || !Number.isFinite(now.getTime())) {
    return fail('ERR_TEMPORARY_PIN_PHONE_RECENTLY_CHANGED');
  }
  if (now.getTime() < allowedFromMs) {
    return fail('ERR_TEMPORARY_PIN_PHONE_RECENTLY_CHANGED', {
      allowedFrom: new Date(allowedFromMs).toISOString(),
    });
  }
  return ok(true);
}
