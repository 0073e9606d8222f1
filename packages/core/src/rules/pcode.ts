// P-codes: 8-digit one-time codes an operator (bank, support, citizen service) issues to a person
// without a CPR number, used once to prove who they are during enrollment (DESIGN.md §2).

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

export const PCODE_POLICY = Object.freeze({
  length: 8,
  validityMs: 60 * 24 * 60 * 60 * 1000,
  maxAttempts: 3,
} as const satisfies AttemptPolicy & { length: number });

export type PcodeState = SecretState;

export type PcodeAttemptErrorCode =
  | 'ERR_PCODE_WRONG'
  | 'ERR_PCODE_EXPIRED'
  | 'ERR_PCODE_EXHAUSTED'
  | 'ERR_PCODE_USED';

export type PcodeAttemptDecision = SecretAttemptDecision<PcodeAttemptErrorCode>;

const P_CODE_PATTERN = /^\d{8}$/;

/**
 * Normalises what the person typed: spaces and dashes between digit groups are dropped ('1234 5678'
 * and '1234-5678' are what letters and screens show). Returns the 8 digits.
 */
export function parsePcode(input: unknown): Result<string, RuleError<'ERR_PCODE_FORMAT'>> {
  if (typeof input !== 'string' || input.length > 32) return fail('ERR_PCODE_FORMAT');
  const digits = input.replace(/[\s-]/g, '');
  return P_CODE_PATTERN.test(digits) ? ok(digits) : fail('ERR_PCODE_FORMAT');
}

/** A fresh P-code (the server stores only its keyed hash). */
export function generatePcode(fill?: RandomFill): string {
  return randomDigits(PCODE_POLICY.length, fill);
}

const OUTCOME_CODE = {
  wrong: 'ERR_PCODE_WRONG',
  expired: 'ERR_PCODE_EXPIRED',
  exhausted: 'ERR_PCODE_EXHAUSTED',
  used: 'ERR_PCODE_USED',
} as const satisfies Record<FailedOutcome, PcodeAttemptErrorCode>;

/**
 * Decides one attempt at a stored P-code: valid for 60 days from issue, 3 wrong entries kill it, one
 * successful use. `matches` is the caller's constant-time comparison of keyed hashes. The caller
 * persists `next` (if any) with compare-and-set, then answers with `error` (if any).
 */
export function decidePcodeAttempt(state: PcodeState, input: AttemptInput): PcodeAttemptDecision {
  return decideSecretAttempt(PCODE_POLICY, OUTCOME_CODE, state, input);
}
