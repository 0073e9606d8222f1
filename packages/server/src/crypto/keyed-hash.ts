// Keyed hashes for short secrets (6-digit PINs, 8-digit codes): hashing cost cannot protect a space of
// 10^6-10^8, so an HMAC with a server key kept outside the database does (DESIGN §2), plus attempt counters.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The purpose separates domains, so a PIN hash can never be replayed as a P-code hash. */
export type KeyedHashPurpose =
  | 'pin'
  | 'pcode'
  | 'temporary-pin'
  | 'activation-code'
  | 'sms-code'
  | 'otp'
  | 'lookup';

export function keyedHash(key: Uint8Array, purpose: KeyedHashPurpose, value: string): string {
  return createHmac('sha256', key).update(`tillid/${purpose}\u0000`).update(value, 'utf8').digest('hex');
}

/** Compares in constant time; a malformed stored hash simply does not match. */
export function verifyKeyedHash(
  key: Uint8Array,
  purpose: KeyedHashPurpose,
  value: string,
  storedHex: string,
): boolean {
  const actual = Buffer.from(keyedHash(key, purpose, value), 'hex');
  const expected = /^[0-9a-f]{64}$/.test(storedHex) ? Buffer.from(storedHex, 'hex') : Buffer.alloc(32);
  const same = timingSafeEqual(actual, expected);
  return same && storedHex.length === 64;
}
