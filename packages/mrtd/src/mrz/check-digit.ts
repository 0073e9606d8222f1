// The MRZ character set and the 7-3-1 check digit (ICAO 9303-3 §4.9).
import { MrtdError } from '../errors.ts';

/** ICAO 9303-3 §4.3: the MRZ uses only A-Z, 0-9 and the filler '<'. */
export const MRZ_CHARSET = /^[A-Z0-9<]*$/;

function charValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30; // 0-9
  if (c >= 0x41 && c <= 0x5a) return c - 0x41 + 10; // A-Z = 10..35
  if (c === 0x3c) return 0; // '<'
  return -1;
}

/**
 * ICAO 9303-3 §4.9: each character's value times the weights 7, 3, 1 (repeating), summed, modulo 10.
 * Throws ERR_MRZ_CHARSET when `s` holds a character outside the MRZ set.
 */
export function checkDigit(s: string): number {
  let sum = 0;
  for (let i = 0; i < s.length; i++) {
    const v = charValue(s.charCodeAt(i));
    if (v < 0) {
      throw new MrtdError('ERR_MRZ_CHARSET', `character ${JSON.stringify(s[i])} is not allowed in an MRZ`, {
        details: { position: i + 1 },
      });
    }
    sum += v * ([7, 3, 1][i % 3] ?? 1);
  }
  return sum % 10;
}
