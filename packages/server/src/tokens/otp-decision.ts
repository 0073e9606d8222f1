// What one entered one-time code does to a device's state (DESIGN §2): each code accepted once (the last
// accepted time step is kept), a short block after 3 wrong codes. Pure; the caller writes by compare-and-set.
import { ServerError } from '../errors.ts';
import { TOTP_POLICY } from './totp.ts';

export interface OtpState {
  readonly lastCounter: number | null;
  readonly failedAttempts: number;
  readonly blockedUntil: number | null;
}

export type OtpDecision =
  | { readonly outcome: 'accepted'; readonly counter: number; readonly next: OtpState }
  | { readonly outcome: 'wrong'; readonly next: OtpState; readonly attemptsLeft: number }
  | { readonly outcome: 'blocked'; readonly blockedUntil: number; readonly next?: OtpState }
  | { readonly outcome: 'replayed' };

export interface OtpPolicy {
  readonly maxFailures: number;
  readonly blockMs: number;
}

/**
 * `matches` are the time steps (within the window) whose code equals the entered one. A step at or
 * below the last accepted one is a replay (RFC 6238 §5.2: the verifier MUST NOT accept the second
 * attempt of the OTP after the successful validation has been issued for the first OTP).
 */
export function decideOtpAttempt(
  state: OtpState,
  input: { readonly matches: readonly number[]; readonly now: number },
  policy: OtpPolicy = TOTP_POLICY,
): OtpDecision {
  if (state.blockedUntil !== null && input.now < state.blockedUntil) {
    return { outcome: 'blocked', blockedUntil: state.blockedUntil };
  }
  const fresh = input.matches.filter((c) => state.lastCounter === null || c > state.lastCounter);
  if (fresh.length > 0) {
    const counter = Math.min(...fresh);
    return {
      outcome: 'accepted',
      counter,
      next: { lastCounter: counter, failedAttempts: 0, blockedUntil: null },
    };
  }
  if (input.matches.length > 0) return { outcome: 'replayed' };
  const failed = state.failedAttempts + 1;
  if (failed >= policy.maxFailures) {
    const blockedUntil = input.now + policy.blockMs;
    return {
      outcome: 'blocked',
      blockedUntil,
      next: { lastCounter: state.lastCounter, failedAttempts: 0, blockedUntil },
    };
  }
  return {
    outcome: 'wrong',
    attemptsLeft: policy.maxFailures - failed,
    next: { lastCounter: state.lastCounter, failedAttempts: failed, blockedUntil: null },
  };
}

/** The typed error for a refused code. */
export function otpError(d: Exclude<OtpDecision, { outcome: 'accepted' }>, now: number): ServerError {
  switch (d.outcome) {
    case 'wrong':
      return new ServerError('ERR_OTP_WRONG', 'the one-time code is wrong', {
        status: 422,
        messageId: 'error.otp.wrong',
        details: { attemptsLeft: d.attemptsLeft },
      });
    case 'replayed':
      return new ServerError('ERR_OTP_REPLAYED', 'this one-time code has been used; wait for the next one', {
        status: 422,
        messageId: 'error.otp.replayed',
      });
    case 'blocked':
      return new ServerError('ERR_OTP_BLOCKED', 'too many wrong one-time codes; try again in a few minutes', {
        status: 423,
        messageId: 'error.otp.blocked',
        details: { retryAfterSeconds: Math.max(1, Math.ceil((d.blockedUntil - now) / 1000)) },
      });
  }
}
