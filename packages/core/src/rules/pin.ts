// App PIN rules (DESIGN.md §2): 6 digits, entered twice, and not one of the PINs a thief tries first.
// Wrong-PIN counting is the server's job (a keyed hash plus an attempt counter per app instance).

import { constantTimeEqual } from '../lib/constant-time.ts';
import { fail, ok, type Result, type RuleError } from '../result.ts';

export const PIN_LENGTH = 6;

export type TrivialPinReason = 'progression' | 'repeating' | 'common' | 'birthDate';

export interface PinOptions {
  /** The holder's birth date ('YYYY-MM-DD'); when given, PINs spelling it (DDMMYY, YYMMDD, MMDDYY) are refused. */
  readonly birthDate?: string;
}

/**
 * A short hand-picked list of the pattern kinds that published analyses of leaked 6-digit PINs
 * (Wang et al. 2017; Markert et al. 2020) rank near the top and that the structural rules below do
 * not catch: keypad shapes (147258, 159753), mirrors (123321), pairs and counting (112233, 102030).
 */
const COMMON_PINS: ReadonlySet<string> = new Set(
  (
    '112233 123321 159753 159357 147258 147852 258369 369258 789456 456123 741852 852963 963852 ' +
    '951753 753951 123654 321654 654123 102030 101112 111222 112211 000111 111000 121314 123000 ' +
    '100200 998877 332211 778899'
  ).split(' '),
);

/**
 * Trivial PINs, decided as follows:
 * - progression: every digit differs from the one before by the same step modulo 10. This covers
 *   all-same (111111, step 0), runs up and down (123456, 654321) including wrap-around (890123,
 *   210987: a keypad user perceives them as runs too) and even/odd runs (135791, 246802). 100 PINs.
 * - repeating: the PIN is a 2- or 3-digit block repeated (121212, 123123, 520520). ~1,000 PINs.
 * - common: the short list above.
 * - birthDate: the holder's birth date, when known.
 * About 0.12% of the 10^6 PINs are refused, which costs an attacker's first guesses the most.
 */
export function trivialPinReason(pin: string, options: PinOptions = {}): TrivialPinReason | undefined {
  const d = [...pin].map(Number);
  const step = (d[1]! - d[0]! + 10) % 10;
  if (d.every((x, i) => i === 0 || (x - d[i - 1]! + 10) % 10 === step)) return 'progression';
  if (pin === pin.slice(0, 2).repeat(3) || pin === pin.slice(0, 3).repeat(2)) return 'repeating';
  if (COMMON_PINS.has(pin)) return 'common';
  const b = options.birthDate === undefined ? null : /^\d{2}(\d{2})-(\d{2})-(\d{2})$/.exec(options.birthDate);
  if (b !== null) {
    const [, yy, mm, dd] = b as unknown as [string, string, string, string];
    if (pin === dd + mm + yy || pin === yy + mm + dd || pin === mm + dd + yy) return 'birthDate';
  }
  return undefined;
}

/** Validates a new app PIN. Never throws. */
export function validatePin(
  input: unknown,
  options: PinOptions = {},
): Result<string, RuleError<'ERR_PIN_FORMAT' | 'ERR_PIN_TRIVIAL'>> {
  if (typeof input !== 'string' || !/^\d{6}$/.test(input))
    return fail('ERR_PIN_FORMAT', { length: PIN_LENGTH });
  const reason = trivialPinReason(input, options);
  return reason === undefined ? ok(input) : fail('ERR_PIN_TRIVIAL', { reason });
}

/** Whether the PIN typed twice is the same (constant time, though both come from the same person). */
export function pinsMatch(a: string, b: string): boolean {
  return typeof a === 'string' && typeof b === 'string' && constantTimeEqual(a, b);
}

/** The "set twice" step: the first PIN validated, the second equal to it. */
export function validateNewPin(
  first: unknown,
  second: unknown,
  options: PinOptions = {},
): Result<string, RuleError<'ERR_PIN_FORMAT' | 'ERR_PIN_TRIVIAL' | 'ERR_PIN_MISMATCH'>> {
  const r = validatePin(first, options);
  if (!r.ok) return r;
  return typeof second === 'string' && pinsMatch(r.value, second) ? r : fail('ERR_PIN_MISMATCH');
}
