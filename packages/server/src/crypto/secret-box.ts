// Encryption of PII at rest: AES-256-GCM under a per-purpose key derived (HKDF-SHA256) from
// TILLID_ENCRYPTION_KEY, with the record's identity as associated data so ciphertexts cannot be swapped.
import { createCipheriv, createDecipheriv, hkdfSync, randomFillSync } from 'node:crypto';
import { ServerError } from '../errors.ts';

const VERSION = 'v1';
const IV_BYTES = 12;

/**
 * Random GCM nonces (NIST SP 800-38D §8.2.2), drawn from a buffer refilled from the CSPRNG 4 KiB at a time:
 * asking the CSPRNG for 12 bytes per record cost more than the encryption. Each byte is handed out once.
 */
class NoncePool {
  readonly #pool = Buffer.alloc(4096);
  #at = this.#pool.length;

  take(): Buffer {
    if (this.#at + IV_BYTES > this.#pool.length) {
      randomFillSync(this.#pool);
      this.#at = 0;
    }
    const iv = Buffer.from(this.#pool.subarray(this.#at, this.#at + IV_BYTES));
    this.#at += IV_BYTES;
    return iv;
  }
}

export class SecretBox {
  readonly #keys = new Map<string, Buffer>();
  readonly #master: Uint8Array;
  readonly #nonces = new NoncePool();

  constructor(masterKey: Uint8Array) {
    if (masterKey.length < 32) throw new ServerError('ERR_CRYPTO', 'encryption key shorter than 32 bytes');
    this.#master = masterKey;
  }

  #key(purpose: string): Buffer {
    let k = this.#keys.get(purpose);
    if (!k) {
      k = Buffer.from(hkdfSync('sha256', this.#master, 'tillid/secret-box', `purpose:${purpose}`, 32));
      this.#keys.set(purpose, k);
    }
    return k;
  }

  /** Encrypts `plaintext` for `purpose`, bound to `aad` (e.g. the record id). Returns a printable token. */
  seal(purpose: string, plaintext: string, aad: string): string {
    const iv = this.#nonces.take();
    const cipher = createCipheriv('aes-256-gcm', this.#key(purpose), iv);
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, iv.toString('base64url'), ct.toString('base64url'), tag.toString('base64url')].join('.');
  }

  open(purpose: string, token: string, aad: string): string {
    const parts = token.split('.');
    if (parts.length !== 4 || parts[0] !== VERSION) throw new ServerError('ERR_CRYPTO', 'not a sealed value');
    const [, ivText, ctText, tagText] = parts as [string, string, string, string];
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key(purpose), Buffer.from(ivText, 'base64url'));
      decipher.setAAD(Buffer.from(aad, 'utf8'));
      decipher.setAuthTag(Buffer.from(tagText, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ctText, 'base64url')), decipher.final()]).toString(
        'utf8',
      );
    } catch (cause) {
      throw new ServerError('ERR_CRYPTO', 'sealed value does not open with this key and context', { cause });
    }
  }
}
