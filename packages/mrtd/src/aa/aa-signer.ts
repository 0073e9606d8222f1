// Chip side of Active Authentication (ICAO 9303-11 §6.1): signs INTERNAL AUTHENTICATE challenges with
// RSA (ISO/IEC 9796-2 scheme 1, partial recovery) or ECDSA (plain r ‖ s, BSI TR-03111 §5.2.1).
import { bigIntToBytes, bytesToBigInt, concatBytes } from '../bytes.ts';
import type { EcCurve } from '../crypto/ec-curves.ts';
import { type RandomSource, secureRandom } from '../crypto/random.ts';
import { MrtdError } from '../errors.ts';
import { type AaHash, HASHES, modPow } from './aa-algorithms.ts';

export interface RsaAaPrivateKey {
  readonly kind: 'rsa';
  readonly n: bigint;
  readonly d: bigint;
  /** CRT parameters (RFC 8017 §3.2), used when present for a 4x faster signature. */
  readonly crt?: {
    readonly p: bigint;
    readonly q: bigint;
    readonly dp: bigint;
    readonly dq: bigint;
    readonly qi: bigint;
  };
  /** SHA-1 gives trailer BC; others a two-byte trailer with the ISO/IEC 10118-3 id and CC. */
  readonly hash: AaHash;
}

export interface EcAaPrivateKey {
  readonly kind: 'ec';
  readonly curve: EcCurve;
  readonly d: Uint8Array;
  readonly hash: AaHash;
}

export type AaPrivateKey = RsaAaPrivateKey | EcAaPrivateKey;

function rsaPrivate(key: RsaAaPrivateKey, m: bigint): bigint {
  if (!key.crt) return modPow(m, key.d, key.n);
  const { p, q, dp, dq, qi } = key.crt;
  const m1 = modPow(m, dp, p);
  const m2 = modPow(m, dq, q);
  const h = (((m1 - m2) % p) + p) % p;
  return m2 + q * ((qi * h) % p);
}

/** §6.1.2: the chip's signature over the 8-byte challenge (M2), with fresh random M1 for RSA. */
export function signAaChallenge(
  key: AaPrivateKey,
  challenge: Uint8Array,
  options: { random?: RandomSource } = {},
): Uint8Array {
  const h = HASHES[key.hash];
  if (key.kind === 'ec') {
    return key.curve.ecdsa.sign(h.fn(challenge), key.d, { prehash: false, lowS: false, format: 'compact' });
  }
  const k = Math.ceil(key.n.toString(2).length / 8);
  const trailer = key.hash === 'SHA-1' ? Uint8Array.of(0xbc) : Uint8Array.of(h.isoId, 0xcc);
  const m1Length = k - 1 - h.length - trailer.length;
  if (m1Length < 8) throw new MrtdError('ERR_USAGE', 'RSA key too small for ISO/IEC 9796-2 with this hash');
  const m1 = (options.random ?? secureRandom)(m1Length);
  const f = concatBytes(Uint8Array.of(0x6a), m1, h.fn(concatBytes(m1, challenge)), trailer);
  return bigIntToBytes(rsaPrivate(key, bytesToBigInt(f)), k);
}
