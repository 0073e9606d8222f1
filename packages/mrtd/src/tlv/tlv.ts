// BER-TLV as used by ISO/IEC 7816-4 and the LDS (ICAO 9303-10 §4.7): tags of up to three bytes,
// definite lengths of up to four bytes. Every failure is an MrtdError; nothing else escapes.
import { concatBytes } from '../bytes.ts';
import { MrtdError } from '../errors.ts';

export interface Tlv {
  /** The tag bytes read big-endian as one number, e.g. 0x5F1F, 0x7F61. */
  readonly tag: number;
  readonly constructed: boolean;
  readonly value: Uint8Array;
  /** The whole encoding: tag, length and value. */
  readonly raw: Uint8Array;
  readonly headerLength: number;
}

const MAX_TAG_BYTES = 3;
const MAX_LENGTH_BYTES = 4;

function readTag(bytes: Uint8Array, offset: number): { tag: number; next: number } {
  const first = bytes[offset];
  if (first === undefined) throw new MrtdError('ERR_TLV_TRUNCATED', `no tag at offset ${offset}`);
  if (first === 0x00 || first === 0xff) {
    throw new MrtdError('ERR_TLV_TAG', `invalid tag byte 0x${first.toString(16)} at offset ${offset}`);
  }
  let tag = first;
  let i = offset + 1;
  if ((first & 0x1f) === 0x1f) {
    // ISO/IEC 8825-1 §8.1.2.4: subsequent bytes while bit 8 is set.
    for (;;) {
      const b = bytes[i];
      if (b === undefined) throw new MrtdError('ERR_TLV_TRUNCATED', `tag cut off at offset ${i}`);
      tag = tag * 256 + b;
      i++;
      if (i - offset > MAX_TAG_BYTES)
        throw new MrtdError('ERR_TLV_TAG', `tag longer than ${MAX_TAG_BYTES} bytes`);
      if ((b & 0x80) === 0) break;
    }
  }
  return { tag, next: i };
}

function readLength(bytes: Uint8Array, offset: number): { length: number; next: number } {
  const first = bytes[offset];
  if (first === undefined) throw new MrtdError('ERR_TLV_TRUNCATED', `no length at offset ${offset}`);
  if (first < 0x80) return { length: first, next: offset + 1 };
  const n = first & 0x7f;
  if (n === 0) throw new MrtdError('ERR_TLV_LENGTH', 'indefinite length is not allowed here');
  if (n > MAX_LENGTH_BYTES) throw new MrtdError('ERR_TLV_LENGTH', `length of ${n} bytes is too long`);
  let length = 0;
  for (let k = 1; k <= n; k++) {
    const b = bytes[offset + k];
    if (b === undefined) throw new MrtdError('ERR_TLV_TRUNCATED', `length cut off at offset ${offset + k}`);
    length = length * 256 + b;
  }
  return { length, next: offset + 1 + n };
}

/** Decodes the one TLV that starts at `offset`. */
export function decodeTlv(bytes: Uint8Array, offset = 0): Tlv {
  const { tag, next } = readTag(bytes, offset);
  const { length, next: valueStart } = readLength(bytes, next);
  const end = valueStart + length;
  if (end > bytes.length) {
    throw new MrtdError('ERR_TLV_TRUNCATED', `value of tag ${tag.toString(16)} needs ${length} bytes`, {
      details: { tag, length, available: bytes.length - valueStart },
    });
  }
  const firstByte = bytes[offset] ?? 0;
  return {
    tag,
    constructed: (firstByte & 0x20) !== 0,
    value: bytes.subarray(valueStart, end),
    raw: bytes.subarray(offset, end),
    headerLength: valueStart - offset,
  };
}

/** Decodes consecutive TLVs filling `bytes` exactly. */
export function decodeTlvSequence(bytes: Uint8Array): Tlv[] {
  const out: Tlv[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const t = decodeTlv(bytes, offset);
    out.push(t);
    offset += t.raw.length;
  }
  return out;
}

/** The children of a constructed TLV. */
export function childrenOf(t: Tlv): Tlv[] {
  if (!t.constructed) throw new MrtdError('ERR_TLV_UNEXPECTED', `tag ${t.tag.toString(16)} is primitive`);
  return decodeTlvSequence(t.value);
}

export function findTlv(list: readonly Tlv[], tag: number): Tlv | undefined {
  return list.find((t) => t.tag === tag);
}

/** Like findTlv, but a missing tag is a typed error. */
export function requireTlv(list: readonly Tlv[], tag: number, what: string): Tlv {
  const t = findTlv(list, tag);
  if (t === undefined) throw new MrtdError('ERR_TLV_UNEXPECTED', `${what}: tag ${tag.toString(16)} missing`);
  return t;
}

/** Decodes `bytes` as exactly one TLV with the expected tag. */
export function expectTlv(bytes: Uint8Array, tag: number, what: string): Tlv {
  const t = decodeTlv(bytes);
  if (t.tag !== tag) {
    throw new MrtdError(
      'ERR_TLV_UNEXPECTED',
      `${what}: expected tag ${tag.toString(16)}, got ${t.tag.toString(16)}`,
    );
  }
  if (t.raw.length !== bytes.length) {
    throw new MrtdError('ERR_TLV_UNEXPECTED', `${what}: ${bytes.length - t.raw.length} trailing bytes`);
  }
  return t;
}

export function encodeTag(tag: number): Uint8Array {
  if (!Number.isInteger(tag) || tag <= 0 || tag > 0xffffff)
    throw new MrtdError('ERR_TLV_TAG', `bad tag ${tag}`);
  const bytes =
    tag > 0xffff
      ? Uint8Array.of(tag >>> 16, (tag >>> 8) & 0xff, tag & 0xff)
      : tag > 0xff
        ? Uint8Array.of(tag >>> 8, tag & 0xff)
        : Uint8Array.of(tag);
  // ISO/IEC 8825-1 §8.1.2.4: tag number 31 in the first byte announces subsequent bytes, each with bit 8
  // set except the last; anything else would decode as a different tag.
  const first = bytes[0] ?? 0;
  const multi = (first & 0x1f) === 0x1f;
  const wellFormed =
    first !== 0xff &&
    (bytes.length === 1
      ? !multi
      : multi && bytes.subarray(1).every((b, i) => ((b & 0x80) !== 0) === i < bytes.length - 2));
  if (!wellFormed) throw new MrtdError('ERR_TLV_TAG', `0x${tag.toString(16)} is not a well-formed BER tag`);
  return bytes;
}

/** ISO/IEC 8825-1 §8.1.3: definite length, short or long form. */
export function encodeLength(n: number): Uint8Array {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff)
    throw new MrtdError('ERR_TLV_LENGTH', `bad length ${n}`);
  if (n < 0x80) return Uint8Array.of(n);
  if (n <= 0xff) return Uint8Array.of(0x81, n);
  if (n <= 0xffff) return Uint8Array.of(0x82, n >>> 8, n & 0xff);
  if (n <= 0xffffff) return Uint8Array.of(0x83, n >>> 16, (n >>> 8) & 0xff, n & 0xff);
  return Uint8Array.of(0x84, n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}

export function encodeTlv(tag: number, value: Uint8Array): Uint8Array {
  return concatBytes(encodeTag(tag), encodeLength(value.length), value);
}

/** Encodes a constructed TLV from already encoded children. */
export function encodeConstructed(tag: number, children: readonly Uint8Array[]): Uint8Array {
  return encodeTlv(tag, concatBytes(...children));
}
