// AES-CBC/ECB without padding and AES-CMAC (RFC 4493) for AES secure messaging and PACE
// (ICAO 9303-11 §9.8.6.2, BSI TR-03110-3). The AES rounds are @noble/ciphers'; the key schedules are
// expanded once per key and the modes run here, since noble's one-shot wrappers cost ~30 µs per call.
import { unsafe } from '@noble/ciphers/aes.js';
import { MrtdError } from '../errors.ts';

function checkKey(key: Uint8Array): void {
  if (key.length !== 16 && key.length !== 24 && key.length !== 32) {
    throw new MrtdError('ERR_USAGE', `an AES key has 16, 24 or 32 bytes, not ${key.length}`);
  }
}

function checkBlocks(data: Uint8Array, iv?: Uint8Array): void {
  if (data.length % 16 !== 0) throw new MrtdError('ERR_USAGE', 'AES input is not whole 16-byte blocks');
  if (iv !== undefined && iv.length !== 16) throw new MrtdError('ERR_USAGE', 'an AES IV has 16 bytes');
}

function word(b: Uint8Array, o: number): number {
  return (b[o] ?? 0) | ((b[o + 1] ?? 0) << 8) | ((b[o + 2] ?? 0) << 16) | ((b[o + 3] ?? 0) << 24);
}

function put(b: Uint8Array, o: number, w: number): void {
  b[o] = w & 0xff;
  b[o + 1] = (w >>> 8) & 0xff;
  b[o + 2] = (w >>> 16) & 0xff;
  b[o + 3] = (w >>> 24) & 0xff;
}

/** RFC 4493 §2.3: doubling in GF(2^128). */
function dbl(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = (((b[i] ?? 0) << 1) | ((b[i + 1] ?? 0) >>> 7)) & 0xff;
  if ((b[0] ?? 0) & 0x80) out[15] = (out[15] ?? 0) ^ 0x87;
  return out;
}

/** One AES key with its encryption (and, on first use, decryption) schedule expanded once. */
export class AesKey {
  readonly #enc: Uint32Array;
  readonly #key: Uint8Array;
  #dec: Uint32Array | undefined;
  #cmacKeys: [Uint8Array, Uint8Array] | undefined;

  constructor(key: Uint8Array) {
    checkKey(key);
    this.#key = key.slice();
    this.#enc = unsafe.expandKeyLE(this.#key);
  }

  /** Encrypts the 16 bytes at `b[o]` in place. */
  #encryptAt(b: Uint8Array, o: number): void {
    const r = unsafe.encrypt(this.#enc, word(b, o), word(b, o + 4), word(b, o + 8), word(b, o + 12));
    put(b, o, r.s0);
    put(b, o + 4, r.s1);
    put(b, o + 8, r.s2);
    put(b, o + 12, r.s3);
  }

  #decryptAt(b: Uint8Array, o: number): void {
    this.#dec ??= unsafe.expandKeyDecLE(this.#key);
    const r = unsafe.decrypt(this.#dec, word(b, o), word(b, o + 4), word(b, o + 8), word(b, o + 12));
    put(b, o, r.s0);
    put(b, o + 4, r.s1);
    put(b, o + 8, r.s2);
    put(b, o + 12, r.s3);
  }

  ecbEncrypt(data: Uint8Array): Uint8Array {
    checkBlocks(data);
    const out = data.slice();
    for (let o = 0; o < out.length; o += 16) this.#encryptAt(out, o);
    return out;
  }

  cbcEncrypt(data: Uint8Array, iv: Uint8Array = new Uint8Array(16)): Uint8Array {
    checkBlocks(data, iv);
    const out = data.slice();
    for (let o = 0; o < out.length; o += 16) {
      const prev = o === 0 ? iv : out.subarray(o - 16, o);
      for (let j = 0; j < 16; j++) out[o + j] = (out[o + j] ?? 0) ^ (prev[j] ?? 0);
      this.#encryptAt(out, o);
    }
    return out;
  }

  cbcDecrypt(data: Uint8Array, iv: Uint8Array = new Uint8Array(16)): Uint8Array {
    checkBlocks(data, iv);
    const out = data.slice();
    for (let o = 0; o < out.length; o += 16) {
      this.#decryptAt(out, o);
      const prev = o === 0 ? iv : data.subarray(o - 16, o);
      for (let j = 0; j < 16; j++) out[o + j] = (out[o + j] ?? 0) ^ (prev[j] ?? 0);
    }
    return out;
  }

  /** AES-CMAC (RFC 4493 §2.4), the full 16-byte tag. */
  cmac(data: Uint8Array): Uint8Array {
    if (!this.#cmacKeys) {
      const l = new Uint8Array(16);
      this.#encryptAt(l, 0);
      const k1 = dbl(l);
      this.#cmacKeys = [k1, dbl(k1)];
    }
    const [k1, k2] = this.#cmacKeys;
    const n = Math.max(1, Math.ceil(data.length / 16));
    const complete = data.length > 0 && data.length % 16 === 0;
    const x = new Uint8Array(16);
    for (let i = 0; i < n; i++) {
      const o = i * 16;
      const last = i === n - 1;
      for (let j = 0; j < 16; j++) {
        let m = data[o + j] ?? 0;
        if (last) {
          if (!complete) m = o + j < data.length ? m : o + j === data.length ? 0x80 : 0;
          m ^= (complete ? k1[j] : k2[j]) ?? 0;
        }
        x[j] = (x[j] ?? 0) ^ m;
      }
      this.#encryptAt(x, 0);
    }
    return x;
  }
}

export function aesCbcEncrypt(key: Uint8Array, data: Uint8Array, iv?: Uint8Array): Uint8Array {
  return new AesKey(key).cbcEncrypt(data, iv);
}

export function aesCbcDecrypt(key: Uint8Array, data: Uint8Array, iv?: Uint8Array): Uint8Array {
  return new AesKey(key).cbcDecrypt(data, iv);
}

export function aesEcbEncrypt(key: Uint8Array, data: Uint8Array): Uint8Array {
  return new AesKey(key).ecbEncrypt(data);
}

/** AES-CMAC (RFC 4493, NIST SP 800-38B), the full 16-byte tag. */
export function aesCmac(key: Uint8Array, data: Uint8Array): Uint8Array {
  return new AesKey(key).cmac(data);
}
