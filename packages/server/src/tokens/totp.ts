// TOTP codes of code displays (RFC 6238 over RFC 4226 HOTP, via otpauth) and the constant-time match
// of an entered code against the time steps of the accepted window.
import { timingSafeEqual } from 'node:crypto';
import { HOTP, Secret } from 'otpauth';

export type TotpAlgorithm = 'SHA1' | 'SHA256' | 'SHA512';

/** DESIGN §2: 6 digits, 30-second steps; ±1 step of clock drift; a short block after 3 wrong codes. */
export const TOTP_POLICY = {
  digits: 6,
  periodSeconds: 30,
  window: 1,
  maxFailures: 3,
  blockMs: 5 * 60_000,
} as const;

export interface TotpParams {
  readonly secret: Uint8Array;
  readonly digits?: number;
  readonly periodSeconds?: number;
  readonly algorithm?: TotpAlgorithm;
}

/** RFC 6238 §4.2: T = floor((unix time - T0) / X), with T0 = 0. */
export function timeStep(nowMs: number, periodSeconds: number = TOTP_POLICY.periodSeconds): number {
  return Math.floor(Math.floor(nowMs / 1000) / periodSeconds);
}

/** The code for time step (or HOTP counter) `counter`: RFC 4226 §5.3 dynamic truncation mod 10^digits. */
export function codeAt(p: TotpParams, counter: number): string {
  return HOTP.generate({
    secret: new Secret({ buffer: Uint8Array.from(p.secret).buffer }),
    algorithm: p.algorithm ?? 'SHA1',
    digits: p.digits ?? TOTP_POLICY.digits,
    counter,
  });
}

export function codeNow(p: TotpParams, nowMs: number): { code: string; counter: number; validForMs: number } {
  const period = p.periodSeconds ?? TOTP_POLICY.periodSeconds;
  const counter = timeStep(nowMs, period);
  return { code: codeAt(p, counter), counter, validForMs: (counter + 1) * period * 1000 - nowMs };
}

/**
 * The time steps within ±window of now whose code equals `code`. Every candidate is computed and
 * compared (timingSafeEqual on equal-length buffers), so the time taken does not depend on which matched.
 */
export function matchingSteps(
  p: TotpParams,
  code: string,
  nowMs: number,
  window: number = TOTP_POLICY.window,
): number[] {
  const digits = p.digits ?? TOTP_POLICY.digits;
  const current = timeStep(nowMs, p.periodSeconds ?? TOTP_POLICY.periodSeconds);
  // A code of the wrong shape is compared against a dummy so the work is the same.
  const entered = Buffer.from(/^\d+$/.test(code) && code.length === digits ? code : '\u0000'.repeat(digits));
  const shapeOk = entered[0] !== 0;
  const matches: number[] = [];
  for (let counter = current - window; counter <= current + window; counter++) {
    if (counter < 0) continue;
    const expected = Buffer.from(codeAt(p, counter));
    if (timingSafeEqual(expected, entered) && shapeOk) matches.push(counter);
  }
  return matches;
}
