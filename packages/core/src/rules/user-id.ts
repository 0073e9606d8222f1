// User-ID rules (DESIGN.md §2, MitID's public limits, slightly tightened): allowed characters and
// length, no edge spaces, and no CPR number or 10-digit number inside it.

import { fail, ok, type Result, type RuleError } from '../result.ts';
import { parseCpr } from './cpr.ts';

export const USER_ID_MIN_LENGTH = 5;
export const USER_ID_MAX_LENGTH = 48;

export type UserIdErrorCode =
  | 'ERR_INVALID_INPUT'
  | 'ERR_USER_ID_TOO_SHORT'
  | 'ERR_USER_ID_TOO_LONG'
  | 'ERR_USER_ID_CHARSET'
  | 'ERR_USER_ID_EDGE_SPACE'
  | 'ERR_USER_ID_CPR'
  | 'ERR_USER_ID_TEN_DIGITS';

export interface UserId {
  /** Lower case, NFC: the form stored, compared and kept unique. */
  readonly canonical: string;
  /** NFC as the person typed it (case kept), for showing back to its owner only. */
  readonly display: string;
}

// a-z æøå 0-9 {}!#$ ^,*()_+-=:;?.@ and space; upper case accepted and folded. Checked on the NFC form
// before folding: canonical equivalents (U+212B ANGSTROM SIGN → Å) are the same user-ID, while
// compatibility look-alikes (full-width letters) and anything whose lower case merely resembles an
// allowed letter are refused.
const ALLOWED_CHAR = /^[a-zA-ZæøåÆØÅ0-9{}!#$ ^,*()_+\-=:;?.@]$/;

/**
 * Ten or more digits in a row, where neighbouring digits may be split by one space, dash or dot.
 * MitID forbids a user-ID that *is* a CPR number or 10 digits; we also refuse one that *contains*
 * them ('jens010190-1234', '12 34 56 78 90'), since a user-ID is shown and typed in public and must
 * not leak a CPR number.
 */
const DIGIT_RUN = /\d(?:[ .-]?\d){9,}/g;

function firstInvalidChars(chars: readonly string[]): string[] {
  const bad = new Set<string>();
  for (const c of chars) {
    if (!ALLOWED_CHAR.test(c)) bad.add(c);
    if (bad.size >= 10) break;
  }
  return [...bad];
}

function digitRunsFinding(text: string): 'cpr' | 'digits' | undefined {
  let found: 'digits' | undefined;
  for (const m of text.matchAll(DIGIT_RUN)) {
    found = 'digits';
    const digits = m[0].replace(/[ .-]/g, '');
    for (let i = 0; i + 10 <= digits.length; i++) {
      if (parseCpr(digits.slice(i, i + 10)).ok) return 'cpr';
    }
  }
  return found;
}

/**
 * Validates a user-ID and returns its canonical form. Checks in order: edge space, length (5-48
 * characters, counted as code points after NFC), characters, CPR number, ten digits. Never throws.
 * For login look-ups use the same function and treat any failure as "unknown user-ID".
 */
export function parseUserId(input: unknown): Result<UserId, RuleError<UserIdErrorCode>> {
  const limits = { min: USER_ID_MIN_LENGTH, max: USER_ID_MAX_LENGTH };
  if (typeof input !== 'string') return fail('ERR_INVALID_INPUT');
  // Even fully decomposed (a + U+030A per 'å'), a valid user-ID has at most 2 × 48 UTF-16 units;
  // refusing early bounds the work done on hostile input.
  if (input.length > USER_ID_MAX_LENGTH * 4) return fail('ERR_USER_ID_TOO_LONG', limits);
  const display = input.normalize('NFC');
  if (display.startsWith(' ') || display.endsWith(' ')) return fail('ERR_USER_ID_EDGE_SPACE');
  const chars = [...display];
  if (chars.length < USER_ID_MIN_LENGTH) return fail('ERR_USER_ID_TOO_SHORT', limits);
  if (chars.length > USER_ID_MAX_LENGTH) return fail('ERR_USER_ID_TOO_LONG', limits);
  const invalid = firstInvalidChars(chars);
  if (invalid.length > 0) return fail('ERR_USER_ID_CHARSET', { characters: invalid });
  const canonical = display.toLowerCase();
  const digits = digitRunsFinding(canonical);
  if (digits === 'cpr') return fail('ERR_USER_ID_CPR');
  if (digits === 'digits') return fail('ERR_USER_ID_TEN_DIGITS');
  return ok({ canonical, display });
}
