// Key derivation function of ICAO 9303-11 §9.7.1: KDF(K, c) = H(K ‖ c), c a 32-bit big-endian counter.
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes } from '../bytes.ts';
import { MrtdError } from '../errors.ts';
import { adjustDesParity } from './des.ts';

/** ICAO 9303-11 §9.7.1: counter 1 = encryption key, 2 = MAC key, 3 = PACE password key. */
export const KDF_ENC = 1;
export const KDF_MAC = 2;
export const KDF_PACE = 3;

export type KdfCipher = '3DES' | 'AES';

/**
 * ICAO 9303-11 §9.7.1.1/§9.7.1.2: 3DES takes SHA-1 bytes 1-16 as Ka ‖ Kb with DES parity adjusted;
 * AES-128 takes SHA-1 bytes 1-16; AES-192 and AES-256 take SHA-256 bytes 1-24 and 1-32.
 */
export function kdf(seed: Uint8Array, counter: number, cipher: KdfCipher, keyLength = 16): Uint8Array {
  const c = Uint8Array.of(counter >>> 24, (counter >>> 16) & 0xff, (counter >>> 8) & 0xff, counter & 0xff);
  const input = concatBytes(seed, c);
  if (cipher === '3DES') {
    if (keyLength !== 16)
      throw new MrtdError('ERR_CRYPTO_UNSUPPORTED', '3DES keys here are two-key (16 bytes)');
    return adjustDesParity(sha1(input).subarray(0, 16));
  }
  if (keyLength === 16) return sha1(input).slice(0, 16);
  if (keyLength === 24 || keyLength === 32) return sha256(input).slice(0, keyLength);
  throw new MrtdError('ERR_CRYPTO_UNSUPPORTED', `no AES key length ${keyLength}`);
}
