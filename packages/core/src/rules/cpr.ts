// Danish CPR numbers (personnummer): format, calendar date, century and sex. Modulus 11 is not
// required, because the CPR office has issued numbers that fail it since 2007.

import { fail, ok, type Result, type RuleError } from '../result.ts';

export interface Cpr {
  /** The 10 digits, no dash. */
  readonly cpr: string;
  /** ISO 8601 calendar date, 'YYYY-MM-DD'. */
  readonly birthDate: string;
  readonly sex: 'M' | 'F';
}

export type CprError = RuleError<'ERR_CPR_FORMAT' | 'ERR_CPR_DATE' | 'ERR_CPR_FUTURE_DATE'>;

export interface ParseCprOptions {
  /** When given, a birth date after this day (UTC) is refused (ERR_CPR_FUTURE_DATE). */
  readonly today?: Date;
}

const CPR_PATTERN = /^(\d{2})(\d{2})(\d{2})-?(\d)(\d{3})$/;

/**
 * The full birth year from the two-digit year and the 7th digit (the first of the serial number),
 * per the CPR office's table (CPR-kontoret, "Personnummeret i CPR"):
 *   7th digit 0-3      → 1900-1999
 *   7th digit 4 or 9   → 2000-2036 when YY ≤ 36, else 1937-1999
 *   7th digit 5-8      → 2000-2057 when YY ≤ 57, else 1858-1899
 */
export function cprBirthYear(yy: number, seventhDigit: number): number {
  if (seventhDigit <= 3) return 1900 + yy;
  if (seventhDigit === 4 || seventhDigit === 9) return yy <= 36 ? 2000 + yy : 1900 + yy;
  return yy <= 57 ? 2000 + yy : 1800 + yy;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/**
 * Parses 'DDMMYY-SSSS' or 'DDMMYYSSSS' (surrounding white space ignored). Never throws: any input,
 * including a non-string, gives a Result.
 */
export function parseCpr(input: unknown, options: ParseCprOptions = {}): Result<Cpr, CprError> {
  if (typeof input !== 'string' || input.length > 32) return fail('ERR_CPR_FORMAT');
  const m = CPR_PATTERN.exec(input.trim());
  if (m === null) return fail('ERR_CPR_FORMAT');
  const [, dd, mm, yy, seventh, rest] = m as unknown as [string, string, string, string, string, string];
  const day = Number(dd);
  const month = Number(mm);
  const year = cprBirthYear(Number(yy), Number(seventh));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return fail('ERR_CPR_DATE');
  const birthDate = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
  if (options.today !== undefined) {
    const t = options.today;
    const todayIso = Number.isFinite(t.getTime()) ? t.toISOString().slice(0, 10) : '';
    if (todayIso === '' || birthDate > todayIso) return fail('ERR_CPR_FUTURE_DATE', { birthDate });
  }
  const serial = seventh + rest;
  const lastDigit = Number(serial[3]);
  return ok({ cpr: dd + mm + yy + serial, birthDate, sex: lastDigit % 2 === 1 ? 'M' : 'F' });
}

/** Whether the string is a CPR number by the rules above (format and date; no modulus 11). */
export function isCpr(input: unknown): boolean {
  return parseCpr(input).ok;
}

const MOD11_WEIGHTS = [4, 3, 2, 7, 6, 5, 4, 3, 2, 1] as const;

/**
 * The old modulus-11 check, for information only (e.g. statistics); never use it to refuse a number.
 * Takes the normalised 10 digits.
 */
export function cprPassesModulus11(cpr: string): boolean {
  if (!/^\d{10}$/.test(cpr)) return false;
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += Number(cpr[i]) * MOD11_WEIGHTS[i]!;
  return sum % 11 === 0;
}

/** 'DDMMYY-SSSS' for display. */
export function formatCpr(cpr: string): string {
  return `${cpr.slice(0, 6)}-${cpr.slice(6)}`;
}
