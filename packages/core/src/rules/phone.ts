// Mobile numbers for SMS codes: normalised to E.164 (ITU-T E.164 §6), Danish numbers accepted without
// +45, and Danish numbers outside the mobile series refused early with a message the person understands.

import { fail, ok, type Result, type RuleError } from '../result.ts';

export interface MobileNumber {
  /** '+' and 8-15 digits, e.g. '+4520123456'. */
  readonly e164: string;
  /** Whether it is a Danish (+45) number. */
  readonly danish: boolean;
}

export type PhoneErrorCode = 'ERR_PHONE_FORMAT' | 'ERR_PHONE_NOT_MOBILE';

/**
 * Danish mobile series per the Danish numbering plan (Energistyrelsen's "nummerplan"): 20-31, 40-42,
 * 50-53, 60-61, 71, 81, 91-93, plus the mobile exceptions 431x and 4911 inside landline series.
 * 54-55 are accepted too because published summaries disagree on them, and refusing a real mobile
 * number is worse than letting a landline reach the SMS step. This check only gives a clear early
 * message: the SMS code sent next is what proves the number receives SMS.
 */
const DANISH_MOBILE = /^(?:2\d|3[01]|4[0-2]|431|4911|5[0-5]|6[01]|71|81|9[1-3])/;

/** Characters people put inside phone numbers: spaces, dashes, dots, brackets. */
const SEPARATORS = /[\s\-.()/]/g;

/**
 * Accepted: '20 12 34 56' (Danish, 8 digits), '+45 20123456', '004520123456', and any other
 * country as '+' (or '00') with 8-15 digits in all, the first not 0. Never throws.
 */
export function parseMobileNumber(input: unknown): Result<MobileNumber, RuleError<PhoneErrorCode>> {
  if (typeof input !== 'string' || input.length > 40) return fail('ERR_PHONE_FORMAT');
  let s = input.replace(SEPARATORS, '');
  if (s.startsWith('00')) s = `+${s.slice(2)}`;
  let digits: string;
  if (/^\d{8}$/.test(s)) digits = `45${s}`;
  else if (/^\+[1-9]\d{7,14}$/.test(s)) digits = s.slice(1);
  else return fail('ERR_PHONE_FORMAT');
  if (digits.startsWith('45')) {
    const national = digits.slice(2);
    if (national.length !== 8) return fail('ERR_PHONE_FORMAT');
    if (!DANISH_MOBILE.test(national)) return fail('ERR_PHONE_NOT_MOBILE');
    return ok({ e164: `+${digits}`, danish: true });
  }
  return ok({ e164: `+${digits}`, danish: false });
}
