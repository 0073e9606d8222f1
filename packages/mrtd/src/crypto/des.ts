// DES and two/three-key Triple-DES (FIPS 46-3, NIST SP 800-67) in plain TypeScript, for BAC and
// 3DES secure messaging (ICAO 9303-11 §9.8.6.1); OpenSSL 3 and browsers no longer offer single DES.
import { MrtdError } from '../errors.ts';

// FIPS 46-3 tables, bit numbers counted from 1 at the most significant bit.
const IP = [
  58, 50, 42, 34, 26, 18, 10, 2, 60, 52, 44, 36, 28, 20, 12, 4, 62, 54, 46, 38, 30, 22, 14, 6, 64, 56, 48, 40,
  32, 24, 16, 8, 57, 49, 41, 33, 25, 17, 9, 1, 59, 51, 43, 35, 27, 19, 11, 3, 61, 53, 45, 37, 29, 21, 13, 5,
  63, 55, 47, 39, 31, 23, 15, 7,
];
const P = [
  16, 7, 20, 21, 29, 12, 28, 17, 1, 15, 23, 26, 5, 18, 31, 10, 2, 8, 24, 14, 32, 27, 3, 9, 19, 13, 30, 6, 22,
  11, 4, 25,
];
const PC1 = [
  57, 49, 41, 33, 25, 17, 9, 1, 58, 50, 42, 34, 26, 18, 10, 2, 59, 51, 43, 35, 27, 19, 11, 3, 60, 52, 44, 36,
  63, 55, 47, 39, 31, 23, 15, 7, 62, 54, 46, 38, 30, 22, 14, 6, 61, 53, 45, 37, 29, 21, 13, 5, 28, 20, 12, 4,
];
const PC2 = [
  14, 17, 11, 24, 1, 5, 3, 28, 15, 6, 21, 10, 23, 19, 12, 4, 26, 8, 16, 7, 27, 20, 13, 2, 41, 52, 31, 37, 47,
  55, 30, 40, 51, 45, 33, 48, 44, 49, 39, 56, 34, 53, 46, 42, 50, 36, 29, 32,
];
const SHIFTS = [1, 1, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2, 1];
const S = [
  [
    14, 4, 13, 1, 2, 15, 11, 8, 3, 10, 6, 12, 5, 9, 0, 7, 0, 15, 7, 4, 14, 2, 13, 1, 10, 6, 12, 11, 9, 5, 3,
    8, 4, 1, 14, 8, 13, 6, 2, 11, 15, 12, 9, 7, 3, 10, 5, 0, 15, 12, 8, 2, 4, 9, 1, 7, 5, 11, 3, 14, 10, 0, 6,
    13,
  ],
  [
    15, 1, 8, 14, 6, 11, 3, 4, 9, 7, 2, 13, 12, 0, 5, 10, 3, 13, 4, 7, 15, 2, 8, 14, 12, 0, 1, 10, 6, 9, 11,
    5, 0, 14, 7, 11, 10, 4, 13, 1, 5, 8, 12, 6, 9, 3, 2, 15, 13, 8, 10, 1, 3, 15, 4, 2, 11, 6, 7, 12, 0, 5,
    14, 9,
  ],
  [
    10, 0, 9, 14, 6, 3, 15, 5, 1, 13, 12, 7, 11, 4, 2, 8, 13, 7, 0, 9, 3, 4, 6, 10, 2, 8, 5, 14, 12, 11, 15,
    1, 13, 6, 4, 9, 8, 15, 3, 0, 11, 1, 2, 12, 5, 10, 14, 7, 1, 10, 13, 0, 6, 9, 8, 7, 4, 15, 14, 3, 11, 5, 2,
    12,
  ],
  [
    7, 13, 14, 3, 0, 6, 9, 10, 1, 2, 8, 5, 11, 12, 4, 15, 13, 8, 11, 5, 6, 15, 0, 3, 4, 7, 2, 12, 1, 10, 14,
    9, 10, 6, 9, 0, 12, 11, 7, 13, 15, 1, 3, 14, 5, 2, 8, 4, 3, 15, 0, 6, 10, 1, 13, 8, 9, 4, 5, 11, 12, 7, 2,
    14,
  ],
  [
    2, 12, 4, 1, 7, 10, 11, 6, 8, 5, 3, 15, 13, 0, 14, 9, 14, 11, 2, 12, 4, 7, 13, 1, 5, 0, 15, 10, 3, 9, 8,
    6, 4, 2, 1, 11, 10, 13, 7, 8, 15, 9, 12, 5, 6, 3, 0, 14, 11, 8, 12, 7, 1, 14, 2, 13, 6, 15, 0, 9, 10, 4,
    5, 3,
  ],
  [
    12, 1, 10, 15, 9, 2, 6, 8, 0, 13, 3, 4, 14, 7, 5, 11, 10, 15, 4, 2, 7, 12, 9, 5, 6, 1, 13, 14, 0, 11, 3,
    8, 9, 14, 15, 5, 2, 8, 12, 3, 7, 0, 4, 10, 1, 13, 11, 6, 4, 3, 2, 12, 9, 5, 15, 10, 11, 14, 1, 7, 6, 0, 8,
    13,
  ],
  [
    4, 11, 2, 14, 15, 0, 8, 13, 3, 12, 9, 7, 5, 10, 6, 1, 13, 0, 11, 7, 4, 9, 1, 10, 14, 3, 5, 12, 2, 15, 8,
    6, 1, 4, 11, 13, 12, 3, 7, 14, 10, 15, 6, 8, 0, 5, 9, 2, 6, 11, 13, 8, 1, 4, 10, 7, 9, 5, 0, 15, 14, 2, 3,
    12,
  ],
  [
    13, 2, 8, 4, 6, 15, 11, 1, 10, 9, 3, 14, 5, 0, 12, 7, 1, 15, 13, 8, 10, 3, 7, 4, 12, 5, 6, 11, 0, 14, 9,
    2, 7, 11, 4, 1, 9, 12, 14, 2, 0, 6, 10, 13, 15, 3, 5, 8, 2, 1, 14, 7, 4, 10, 8, 13, 15, 12, 9, 0, 3, 5, 6,
    11,
  ],
];

/** Reads bit `pos` (1 = most significant) of a big-endian bit string held in bytes. */
function bitAt(bytes: ArrayLike<number>, pos: number): number {
  return ((bytes[(pos - 1) >> 3] ?? 0) >> (7 - ((pos - 1) & 7))) & 1;
}

// Lookup tables built once from the FIPS tables above; they are never written after construction.
// SP[i][v]: the S-box i output for the 6-bit input v, already moved through the permutation P.
const SP: Uint32Array[] = S.map((box, i) => {
  const table = new Uint32Array(64);
  for (let v = 0; v < 64; v++) {
    const row = ((v >> 4) & 2) | (v & 1);
    const col = (v >> 1) & 15;
    const pre = ((box[row * 16 + col] ?? 0) << (28 - 4 * i)) >>> 0;
    const preBytes = [pre >>> 24, (pre >>> 16) & 0xff, (pre >>> 8) & 0xff, pre & 0xff];
    let out = 0;
    for (let j = 0; j < 32; j++) out |= bitAt(preBytes, P[j] ?? 0) << (31 - j);
    table[v] = out >>> 0;
  }
  return table;
});

/** Byte-wise tables for a 64-bit permutation: entry [pos*256+v] = (hi, lo) of the permuted byte. */
function permutationTable(perm: readonly number[]): Uint32Array {
  const table = new Uint32Array(8 * 256 * 2);
  for (let pos = 0; pos < 8; pos++) {
    for (let v = 0; v < 256; v++) {
      const input = new Uint8Array(8);
      input[pos] = v;
      let hi = 0;
      let lo = 0;
      for (let j = 0; j < 64; j++) {
        const b = bitAt(input, perm[j] ?? 0);
        if (j < 32) hi |= b << (31 - j);
        else lo |= b << (63 - j);
      }
      table[(pos * 256 + v) * 2] = hi >>> 0;
      table[(pos * 256 + v) * 2 + 1] = lo >>> 0;
    }
  }
  return table;
}

const FP = (() => {
  const inv = new Array<number>(64);
  IP.forEach((from, to) => {
    inv[from - 1] = to + 1;
  });
  return inv;
})();
const IP_TABLE = permutationTable(IP);
const FP_TABLE = permutationTable(FP);

/** The 16 round keys of one DES key, each as eight 6-bit S-box inputs. */
export type DesKeySchedule = Uint8Array;

/** FIPS 46-3 key schedule (PC-1, rotations, PC-2); parity bits are ignored as the standard says. */
export function desKeySchedule(key: Uint8Array, offset = 0): DesKeySchedule {
  if (key.length < offset + 8) throw new MrtdError('ERR_USAGE', 'a DES key has 8 bytes');
  const k = key.subarray(offset, offset + 8);
  const cd = PC1.map((p) => bitAt(k, p));
  const c = cd.slice(0, 28);
  const d = cd.slice(28);
  const out = new Uint8Array(16 * 8);
  for (let round = 0; round < 16; round++) {
    for (let s = 0; s < (SHIFTS[round] ?? 0); s++) {
      c.push(c.shift() ?? 0);
      d.push(d.shift() ?? 0);
    }
    const merged = c.concat(d);
    for (let j = 0; j < 48; j++) {
      const bit = merged[(PC2[j] ?? 1) - 1] ?? 0;
      const idx = round * 8 + Math.floor(j / 6);
      out[idx] = ((out[idx] ?? 0) | (bit << (5 - (j % 6)))) & 0x3f;
    }
  }
  return out;
}

function permute(table: Uint32Array, hiIn: number, loIn: number): [number, number] {
  let hi = 0;
  let lo = 0;
  for (let pos = 0; pos < 8; pos++) {
    const byte = pos < 4 ? (hiIn >>> (24 - 8 * pos)) & 0xff : (loIn >>> (56 - 8 * pos)) & 0xff;
    const i = (pos * 256 + byte) * 2;
    hi |= table[i] ?? 0;
    lo |= table[i + 1] ?? 0;
  }
  return [hi >>> 0, lo >>> 0];
}

const SP0 = SP[0] ?? new Uint32Array(64);
const SP1 = SP[1] ?? new Uint32Array(64);
const SP2 = SP[2] ?? new Uint32Array(64);
const SP3 = SP[3] ?? new Uint32Array(64);
const SP4 = SP[4] ?? new Uint32Array(64);
const SP5 = SP[5] ?? new Uint32Array(64);
const SP6 = SP[6] ?? new Uint32Array(64);
const SP7 = SP[7] ?? new Uint32Array(64);

/** The 16 Feistel rounds on (l, r), without IP/FP; `decrypt` walks the round keys backwards. */
function rounds(ks: DesKeySchedule, l0: number, r0: number, decrypt: boolean): [number, number] {
  let l = l0;
  let r = r0;
  for (let n = 0; n < 16; n++) {
    const k = (decrypt ? 15 - n : n) * 8;
    // The expansion E: chunk i holds bits 4i..4i+5 of r (bit 0 meaning bit 32).
    const y = ((r >>> 1) | (r << 31)) >>> 0;
    const z = ((r << 1) | (r >>> 31)) >>> 0;
    const f =
      (SP0[((y >>> 26) & 63) ^ (ks[k] ?? 0)] ?? 0) |
      (SP1[((y >>> 22) & 63) ^ (ks[k + 1] ?? 0)] ?? 0) |
      (SP2[((y >>> 18) & 63) ^ (ks[k + 2] ?? 0)] ?? 0) |
      (SP3[((y >>> 14) & 63) ^ (ks[k + 3] ?? 0)] ?? 0) |
      (SP4[((y >>> 10) & 63) ^ (ks[k + 4] ?? 0)] ?? 0) |
      (SP5[((y >>> 6) & 63) ^ (ks[k + 5] ?? 0)] ?? 0) |
      (SP6[((y >>> 2) & 63) ^ (ks[k + 6] ?? 0)] ?? 0) |
      (SP7[(z & 63) ^ (ks[k + 7] ?? 0)] ?? 0);
    const next = (l ^ f) >>> 0;
    l = r;
    r = next;
  }
  return [r, l];
}

function readWord(b: Uint8Array, o: number): number {
  return (((b[o] ?? 0) << 24) | ((b[o + 1] ?? 0) << 16) | ((b[o + 2] ?? 0) << 8) | (b[o + 3] ?? 0)) >>> 0;
}

function writeWord(b: Uint8Array, o: number, w: number): void {
  b[o] = w >>> 24;
  b[o + 1] = (w >>> 16) & 0xff;
  b[o + 2] = (w >>> 8) & 0xff;
  b[o + 3] = w & 0xff;
}

/**
 * A DES or Triple-DES (EDE) key with its schedules computed once. Two-key 3DES (16 bytes) is
 * K1 K2 K1 as ICAO 9303-11 §9.8.6.1 uses; an 8-byte key gives single DES (used by the retail MAC).
 */
export class DesCipher {
  readonly #k1: DesKeySchedule;
  readonly #k2: DesKeySchedule | undefined;
  readonly #k3: DesKeySchedule | undefined;

  constructor(key: Uint8Array) {
    if (key.length !== 8 && key.length !== 16 && key.length !== 24) {
      throw new MrtdError('ERR_USAGE', `a DES/3DES key has 8, 16 or 24 bytes, not ${key.length}`);
    }
    this.#k1 = desKeySchedule(key, 0);
    this.#k2 = key.length >= 16 ? desKeySchedule(key, 8) : undefined;
    if (key.length === 24) this.#k3 = desKeySchedule(key, 16);
    else if (key.length === 16) this.#k3 = this.#k1;
  }

  /** Transforms one 8-byte block from `input[inOff]` into `out[outOff]`. */
  processBlock(decrypt: boolean, input: Uint8Array, inOff: number, out: Uint8Array, outOff: number): void {
    let [l, r] = permute(IP_TABLE, readWord(input, inOff), readWord(input, inOff + 4));
    if (this.#k2 === undefined || this.#k3 === undefined) {
      [l, r] = rounds(this.#k1, l, r, decrypt);
    } else if (!decrypt) {
      // FP and IP between the three stages cancel, so they are skipped.
      [l, r] = rounds(this.#k1, l, r, false);
      [l, r] = rounds(this.#k2, l, r, true);
      [l, r] = rounds(this.#k3, l, r, false);
    } else {
      [l, r] = rounds(this.#k3, l, r, true);
      [l, r] = rounds(this.#k2, l, r, false);
      [l, r] = rounds(this.#k1, l, r, true);
    }
    const [hi, lo] = permute(FP_TABLE, l, r);
    writeWord(out, outOff, hi);
    writeWord(out, outOff + 4, lo);
  }

  encryptBlock(block: Uint8Array): Uint8Array {
    const out = new Uint8Array(8);
    this.processBlock(false, block, 0, out, 0);
    return out;
  }

  decryptBlock(block: Uint8Array): Uint8Array {
    const out = new Uint8Array(8);
    this.processBlock(true, block, 0, out, 0);
    return out;
  }

  /** CBC without padding; `data` must be whole blocks. */
  cbcEncrypt(data: Uint8Array, iv: Uint8Array = new Uint8Array(8)): Uint8Array {
    checkBlocks(data, iv);
    const out = new Uint8Array(data.length);
    const x = iv.slice(0, 8);
    for (let o = 0; o < data.length; o += 8) {
      for (let j = 0; j < 8; j++) x[j] = (x[j] ?? 0) ^ (data[o + j] ?? 0);
      this.processBlock(false, x, 0, out, o);
      x.set(out.subarray(o, o + 8));
    }
    return out;
  }

  cbcDecrypt(data: Uint8Array, iv: Uint8Array = new Uint8Array(8)): Uint8Array {
    checkBlocks(data, iv);
    const out = new Uint8Array(data.length);
    for (let o = 0; o < data.length; o += 8) {
      this.processBlock(true, data, o, out, o);
      const prev = o === 0 ? iv : data.subarray(o - 8, o);
      for (let j = 0; j < 8; j++) out[o + j] = (out[o + j] ?? 0) ^ (prev[j] ?? 0);
    }
    return out;
  }
}

function checkBlocks(data: Uint8Array, iv: Uint8Array): void {
  if (data.length % 8 !== 0) throw new MrtdError('ERR_USAGE', 'DES-CBC input is not whole 8-byte blocks');
  if (iv.length !== 8) throw new MrtdError('ERR_USAGE', 'a DES IV has 8 bytes');
}

/** 3DES-CBC encryption without padding (ICAO 9303-11 §9.8.6.1: IV of zeros unless given). */
export function des3CbcEncrypt(key: Uint8Array, data: Uint8Array, iv?: Uint8Array): Uint8Array {
  return new DesCipher(key).cbcEncrypt(data, iv);
}

export function des3CbcDecrypt(key: Uint8Array, data: Uint8Array, iv?: Uint8Array): Uint8Array {
  return new DesCipher(key).cbcDecrypt(data, iv);
}

/** Sets each byte's least significant bit so the byte has odd parity (FIPS 46-3 §"key"). */
export function adjustDesParity(key: Uint8Array): Uint8Array {
  const out = key.slice();
  for (let i = 0; i < out.length; i++) {
    const b = (out[i] ?? 0) & 0xfe;
    let ones = 0;
    for (let v = b; v !== 0; v >>= 1) ones += v & 1;
    out[i] = b | (ones % 2 === 0 ? 1 : 0);
  }
  return out;
}
