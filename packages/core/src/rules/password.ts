// Password rules (DESIGN.md §2, MitID's public limits): 8-64 characters, no user-ID, no 10 digits in a
// row, no "password"/"adgangskode", no keyboard or alphabet sequences; with a strength estimate.

import { constantTimeEqual } from '../lib/constant-time.ts';
import { fail, ok, type Result, type RuleError } from '../result.ts';
import { longestSequenceStretch } from './keyboard-sequences.ts';
import { type PasswordStrength, passwordStrength } from './password-strength.ts';

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 64;
/** Sequences of this many keys (or more) from a row or alphabet are refused. */
export const PASSWORD_MAX_SEQUENCE = 7;

export type PasswordErrorCode =
  | 'ERR_INVALID_INPUT'
  | 'ERR_PASSWORD_TOO_SHORT'
  | 'ERR_PASSWORD_TOO_LONG'
  | 'ERR_PASSWORD_CHARSET'
  | 'ERR_PASSWORD_CONTAINS_USER_ID'
  | 'ERR_PASSWORD_TEN_DIGITS'
  | 'ERR_PASSWORD_FORBIDDEN_WORD'
  | 'ERR_PASSWORD_KEYBOARD_SEQUENCE';

export interface PasswordOptions {
  /** The holder's user-ID (any case); the password may not contain it. */
  readonly userId?: string;
}

export interface ValidPassword {
  /** The NFC form: hash and verify this, so the same password typed on another keyboard still matches. */
  readonly password: string;
  readonly strength: PasswordStrength;
}

/** "password"/"adgangskode" (DESIGN.md §2) plus "kodeord", the other Danish word for it. */
const FORBIDDEN_WORDS: readonly string[] = ['password', 'adgangskode', 'kodeord'];

/** Common look-alike substitutions, undone before looking for forbidden words ("p@ssw0rd"). */
const LEET: Readonly<Record<string, string>> = { '@': 'a', '4': 'a', '0': 'o', $: 's', '5': 's', '3': 'e' };

// Control characters and lone surrogates cannot be typed and break hashing input encodings.
const INVALID_CHAR = /[\p{Cc}\p{Cs}]/u;

/** NFC, so that composed and decomposed 'å' are the same password. */
export function normalisePassword(password: string): string {
  return password.normalize('NFC');
}

/** Validates a new password and estimates its strength. Never throws. */
export function validatePassword(
  input: unknown,
  options: PasswordOptions = {},
): Result<ValidPassword, RuleError<PasswordErrorCode>> {
  const limits = { min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_LENGTH };
  if (typeof input !== 'string') return fail('ERR_INVALID_INPUT');
  if (input.length > PASSWORD_MAX_LENGTH * 4) return fail('ERR_PASSWORD_TOO_LONG', limits);
  if (INVALID_CHAR.test(input)) return fail('ERR_PASSWORD_CHARSET');
  const password = normalisePassword(input);
  const chars = [...password];
  if (chars.length < PASSWORD_MIN_LENGTH) return fail('ERR_PASSWORD_TOO_SHORT', limits);
  if (chars.length > PASSWORD_MAX_LENGTH) return fail('ERR_PASSWORD_TOO_LONG', limits);
  const lower = password.toLowerCase();
  const userId = options.userId?.normalize('NFC').toLowerCase();
  if (userId !== undefined && userId.length > 0 && lower.includes(userId)) {
    return fail('ERR_PASSWORD_CONTAINS_USER_ID');
  }
  if (/\d{10}/.test(password)) return fail('ERR_PASSWORD_TEN_DIGITS');
  const unLeet = [...lower].map((c) => LEET[c] ?? c).join('');
  const word = FORBIDDEN_WORDS.find((w) => lower.includes(w) || unLeet.includes(w));
  if (word !== undefined) return fail('ERR_PASSWORD_FORBIDDEN_WORD', { word });
  if (longestSequenceStretch(chars) > PASSWORD_MAX_SEQUENCE) return fail('ERR_PASSWORD_KEYBOARD_SEQUENCE');
  return ok({ password, strength: passwordStrength(password) });
}

/** Whether the password typed twice is the same, after normalisation; constant time. */
export function passwordsMatch(a: string, b: string): boolean {
  return (
    typeof a === 'string' &&
    typeof b === 'string' &&
    constantTimeEqual(normalisePassword(a), normalisePassword(b))
  );
}

/** The "twice" step: the first validated, the second equal to it. */
export function validateNewPassword(
  first: unknown,
  second: unknown,
  options: PasswordOptions = {},
): Result<ValidPassword, RuleError<PasswordErrorCode | 'ERR_PASSWORD_MISMATCH'>> {
  const r = validatePassword(first, options);
  if (!r.ok) return r;
  return typeof second === 'string' && passwordsMatch(r.value.password, second)
    ? r
    : fail('ERR_PASSWORD_MISMATCH');
}
