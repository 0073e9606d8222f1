// The shared decision for short one-time secrets (P-code, temporary PIN, activation code): given the
// stored state, whether the entered value matched, and the clock, what happened and what to persist.

import type { CoreErrorCode } from '../errors.ts';
import { type RuleError, ruleError } from '../result.ts';

/** What the store keeps about an issued secret (besides its keyed hash). */
export interface SecretState {
  readonly issuedAt: Date;
  /** When the secret was successfully used; null while unused. */
  readonly usedAt: Date | null;
  readonly failedAttempts: number;
}

export interface AttemptPolicy {
  /** Wrong entries allowed; the secret is dead once this many have been made. */
  readonly maxAttempts: number;
  /** How long after issue the secret may be used; undefined = no time limit. */
  readonly validityMs: number | undefined;
}

export interface AttemptInput {
  /** Whether the entered value matched the stored hash, computed by the caller in constant time. */
  readonly matches: boolean;
  readonly now: Date;
}

export type AttemptOutcome = 'ok' | 'wrong' | 'expired' | 'exhausted' | 'used';

export interface AttemptDecision {
  readonly outcome: AttemptOutcome;
  /** The state to write (with compare-and-set on the old one); undefined = nothing changes. */
  readonly next: SecretState | undefined;
  /** Wrong entries still allowed after this attempt. */
  readonly attemptsLeft: number;
}

function validTime(d: unknown): d is Date {
  return d instanceof Date && Number.isFinite(d.getTime());
}

/**
 * Order of checks: used → exhausted → expired → match. The state checks come first so that a dead
 * secret answers the same whether or not the guess was right (no oracle on a used or blocked code).
 * Corrupt state (bad dates, negative or fractional counters) fails closed.
 */
export function decideAttempt(
  policy: AttemptPolicy,
  state: SecretState,
  input: AttemptInput,
): AttemptDecision {
  const failed = state.failedAttempts;
  const counterOk = Number.isSafeInteger(failed) && failed >= 0;
  const attemptsLeft = counterOk ? Math.max(0, policy.maxAttempts - failed) : 0;

  if (state.usedAt !== null) return { outcome: 'used', next: undefined, attemptsLeft };
  if (!counterOk || failed >= policy.maxAttempts) {
    return { outcome: 'exhausted', next: undefined, attemptsLeft: 0 };
  }
  if (!validTime(state.issuedAt) || !validTime(input.now)) {
    return { outcome: 'expired', next: undefined, attemptsLeft };
  }
  const validity = policy.validityMs;
  if (
    validity !== undefined &&
    !(validity > 0 && input.now.getTime() < state.issuedAt.getTime() + validity)
  ) {
    return { outcome: 'expired', next: undefined, attemptsLeft };
  }
  if (input.matches === true) {
    return { outcome: 'ok', next: { ...state, usedAt: input.now }, attemptsLeft };
  }
  const next: SecretState = { ...state, failedAttempts: failed + 1 };
  const left = policy.maxAttempts - next.failedAttempts;
  // The wrong entry that uses up the last try is reported as 'exhausted', so the user learns at once.
  return left <= 0
    ? { outcome: 'exhausted', next, attemptsLeft: 0 }
    : { outcome: 'wrong', next, attemptsLeft: left };
}

export type FailedOutcome = Exclude<AttemptOutcome, 'ok'>;

/** An AttemptDecision with the error to answer with, typed by the kind of secret. */
export type SecretAttemptDecision<C extends CoreErrorCode> =
  | (AttemptDecision & { readonly outcome: 'ok'; readonly error?: undefined })
  | (AttemptDecision & { readonly outcome: FailedOutcome; readonly error: RuleError<C> });

/** decideAttempt plus the kind's own error code for each failed outcome (details: attemptsLeft). */
export function decideSecretAttempt<C extends CoreErrorCode>(
  policy: AttemptPolicy,
  codes: Readonly<Record<FailedOutcome, C>>,
  state: SecretState,
  input: AttemptInput,
): SecretAttemptDecision<C> {
  const d = decideAttempt(policy, state, input);
  if (d.outcome === 'ok') return { ...d, outcome: 'ok' };
  return { ...d, outcome: d.outcome, error: ruleError(codes[d.outcome], { attemptsLeft: d.attemptsLeft }) };
}
