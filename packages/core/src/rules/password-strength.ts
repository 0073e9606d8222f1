// A small, explainable password strength estimate (0-4) for the "strength shown" line of DESIGN.md
// §2. No network, no large dictionary: character classes, length, repetition, sequences, a few words.

import { isSequenceStep } from './keyboard-sequences.ts';

export type PasswordStrength = 0 | 1 | 2 | 3 | 4;

/** Words so common in (Danish and English) passwords that each counts as one guess, not its letters. */
const COMMON_WORDS: readonly string[] = (
  'password adgangskode kodeord qwerty sommer vinter foraar efteraar danmark denmark kobenhavn ' +
  'københavn velkommen welcome letmein iloveyou elsker monkey dragon football fodbold master admin ' +
  'login mitid nemid tillid secret hemmelig hunden katten love jesus test hello summer winter'
).split(' ');

const SYMBOLS = /[!-/:-@[-`{-~ ]/;

function poolSize(chars: readonly string[]): number {
  let lower = false;
  let upper = false;
  let digit = false;
  let symbol = false;
  let other = false;
  for (const c of chars) {
    if (/[a-zæøå]/.test(c)) lower = true;
    else if (/[A-ZÆØÅ]/.test(c)) upper = true;
    else if (/[0-9]/.test(c)) digit = true;
    else if (SYMBOLS.test(c)) symbol = true;
    else other = true;
  }
  return (lower ? 29 : 0) + (upper ? 29 : 0) + (digit ? 10 : 0) + (symbol ? 33 : 0) + (other ? 100 : 0);
}

/**
 * The estimate, in bits, is (sum of character weights) × log2(pool), where
 * - pool: 29 per letter case used (a-z æøå), 10 for digits, 33 for ASCII symbols and space, 100 for
 *   anything else;
 * - weight: 1 for a fresh character; 0.5 when it already occurred twice before; when it repeats the
 *   previous character or is next to it on a keyboard row or in the alphabet, 0.25 for the first two
 *   such characters in a row and 0 for the rest ('aaaa…' and 'abcd…' are one guess whatever their
 *   length); a common word counts as one character in all.
 * Score: < 25 bits → 0, < 35 → 1, < 50 → 2, < 65 → 3, else 4. Eight random characters from all four
 * classes give ~53 bits (3); "sommer2024" gives ~26 (1); "Hund1234!" ~45 (2).
 */
export function passwordStrengthBits(password: string): number {
  const chars = [...password];
  const lower = chars.map((c) => c.toLowerCase());
  const weight = new Array<number>(chars.length).fill(1);
  const seen = new Map<string, number>();
  let follow = 0;
  for (let i = 0; i < lower.length; i++) {
    const c = lower[i]!;
    const count = seen.get(c) ?? 0;
    if (i > 0 && (lower[i - 1] === c || isSequenceStep(lower[i - 1]!, c))) {
      follow++;
      weight[i] = follow <= 2 ? 0.25 : 0;
    } else {
      follow = 0;
      if (count >= 2) weight[i] = 0.5;
    }
    seen.set(c, count + 1);
  }
  for (const word of COMMON_WORDS) {
    const len = [...word].length;
    for (let at = 0; at + len <= lower.length; at++) {
      if (lower.slice(at, at + len).join('') !== word) continue;
      for (let k = at; k < at + len; k++) weight[k] = k === at ? 1 : 0;
      at += len - 1;
    }
  }
  const total = weight.reduce((a, b) => a + b, 0);
  const pool = poolSize(chars);
  return pool === 0 ? 0 : total * Math.log2(pool);
}

export function passwordStrength(password: string): PasswordStrength {
  const bits = passwordStrengthBits(password);
  if (bits < 25) return 0;
  if (bits < 35) return 1;
  if (bits < 50) return 2;
  if (bits < 65) return 3;
  return 4;
}
