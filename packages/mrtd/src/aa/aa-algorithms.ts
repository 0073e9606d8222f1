// Active Authentication algorithm tables (ICAO 9303-11 §6.1, §9.2.7): hash functions by ISO/IEC 10118-3
// identifier (the ISO/IEC 9796-2 trailer) and by the ECDSA signature OIDs of BSI TR-03111 and X9.62.
import { sha1 } from '@noble/hashes/legacy.js';
import { sha224, sha256, sha384, sha512 } from '@noble/hashes/sha2.js';

export type AaHash = 'SHA-1' | 'SHA-224' | 'SHA-256' | 'SHA-384' | 'SHA-512';

export const HASHES: Record<AaHash, { fn: (m: Uint8Array) => Uint8Array; length: number; isoId: number }> = {
  'SHA-1': { fn: sha1, length: 20, isoId: 0x33 },
  'SHA-256': { fn: sha256, length: 32, isoId: 0x34 },
  'SHA-512': { fn: sha512, length: 64, isoId: 0x35 },
  'SHA-384': { fn: sha384, length: 48, isoId: 0x36 },
  'SHA-224': { fn: sha224, length: 28, isoId: 0x38 },
};

export function hashByIsoId(id: number): AaHash | undefined {
  return (Object.keys(HASHES) as AaHash[]).find((h) => HASHES[h].isoId === id);
}

/** ActiveAuthenticationInfo signatureAlgorithm OIDs: TR-03111 ecdsa-plain-* and X9.62 ecdsa-with-*. */
export const ECDSA_SIGNATURE_OIDS: Record<string, AaHash> = {
  '0.4.0.127.0.7.1.1.4.1.1': 'SHA-1',
  '0.4.0.127.0.7.1.1.4.1.2': 'SHA-224',
  '0.4.0.127.0.7.1.1.4.1.3': 'SHA-256',
  '0.4.0.127.0.7.1.1.4.1.4': 'SHA-384',
  '0.4.0.127.0.7.1.1.4.1.5': 'SHA-512',
  '1.2.840.10045.4.1': 'SHA-1',
  '1.2.840.10045.4.3.1': 'SHA-224',
  '1.2.840.10045.4.3.2': 'SHA-256',
  '1.2.840.10045.4.3.3': 'SHA-384',
  '1.2.840.10045.4.3.4': 'SHA-512',
};

/** The TR-03111 ecdsa-plain OID for a hash, as a test document's DG14 ActiveAuthenticationInfo carries it. */
export function ecdsaPlainOid(hash: AaHash): string {
  const oid = Object.entries(ECDSA_SIGNATURE_OIDS).find(([o, h]) => h === hash && o.startsWith('0.4.0'))?.[0];
  return oid ?? '0.4.0.127.0.7.1.1.4.1.3';
}

export const RSA_ENCRYPTION_OID = '1.2.840.113549.1.1.1';
export const EC_PUBLIC_KEY_OID = '1.2.840.10045.2.1';

export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}
