// Uniform random numeric codes (P-codes, temporary PINs) from a cryptographic random source.

import { CoreError } from '../errors.ts';

/** Fills the array with cryptographically strong random bytes (WebCrypto's getRandomValues by default). */
export type RandomFill = (bytes: Uint8Array<ArrayBuffer>) => void;

const defaultFill: RandomFill = (bytes) => {
  globalThis.crypto.getRandomValues(bytes);
};

/**
 * A string of `length` decimal digits, each uniform: bytes ≥ 250 are rejected so that `byte % 10`
 * carries no modulo bias.
 */
export function randomDigits(length: number, fill: RandomFill = defaultFill): string {
  if (!Number.isSafeInteger(length) || length < 1 || length > 64) {
    throw new CoreError('ERR_INTERNAL', `randomDigits: bad length ${length}`);
  }
  let out = '';
  const buf = new Uint8Array(length * 2);
  for (let rounds = 0; out.length < length; rounds++) {
    if (rounds > 100) throw new CoreError('ERR_INTERNAL', 'randomDigits: random source is not random');
    fill(buf);
    for (const b of buf) {
      if (b < 250 && out.length < length) out += String(b % 10);
    }
  }
  return out;
}
