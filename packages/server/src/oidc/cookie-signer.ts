// The signatures of oidc-provider's cookies (its `cookies.keys`, used by the `cookies` package as a Keygrip):
// HMAC-SHA256, base64url, checked with one constant-time comparison. Keygrip's own check (through tsscmp)
// draws fresh random bytes and computes three HMACs for every comparison; oidc-provider checks several signed
// cookies per request, which made it a noticeable share of a login's CPU.
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

export class CookieSigner {
  /** The first key signs; any of them verifies (a rotation keeps the previous ones for a while). */
  readonly #keys: readonly Buffer[];

  constructor(keys: readonly Uint8Array[]) {
    if (keys.length === 0) throw new TypeError('cookie signing needs a key');
    this.#keys = keys.map((k) => Buffer.from(k));
  }

  /** Keys for every node of one deployment: derived from its HMAC key (HKDF-SHA256). */
  static fromHmacKey(hmacKey: Uint8Array): CookieSigner {
    return new CookieSigner([Buffer.from(hkdfSync('sha256', hmacKey, 'tillid/oidc-cookies', 'v2', 32))]);
  }

  #mac(key: Buffer, data: string): string {
    return createHmac('sha256', key).update(data, 'utf8').digest('base64url');
  }

  sign(data: string): string {
    return this.#mac(this.#keys[0] as Buffer, data);
  }

  verify(data: string, digest: string): boolean {
    return this.index(data, digest) > -1;
  }

  /** The index of the key that made `digest` for `data`, or -1. */
  index(data: string, digest: string): number {
    if (typeof digest !== 'string') return -1;
    const presented = Buffer.from(digest, 'latin1');
    for (let i = 0; i < this.#keys.length; i++) {
      const expected = Buffer.from(this.#mac(this.#keys[i] as Buffer, data), 'latin1');
      // The length of a MAC is public (43 characters); only its content is compared in constant time.
      if (presented.length === expected.length && timingSafeEqual(presented, expected)) return i;
    }
    return -1;
  }
}
