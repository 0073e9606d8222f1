// The library's one ASN.1 BER reader (ITU-T X.690), for CMS, X.509, master lists and the value codecs of
// the LDS files. It accepts BER (indefinite lengths, constructed strings: real SODs use them) and keeps
// every node's raw bytes, because signatures cover exact encodings; every failure is an MrtdError.
import { ascii, concatBytes } from '../bytes.ts';
import { MrtdError, type MrtdErrorCode } from '../errors.ts';
import { encodeLength } from '../tlv/tlv.ts';
import { decodeOid } from './oid.ts';

export const TagClass = { universal: 0, application: 1, context: 2, private: 3 } as const;

export const Tag = {
  boolean: 1,
  integer: 2,
  bitString: 3,
  octetString: 4,
  null: 5,
  oid: 6,
  utf8String: 12,
  sequence: 16,
  set: 17,
  printableString: 19,
  t61String: 20,
  ia5String: 22,
  utcTime: 23,
  generalizedTime: 24,
  universalString: 28,
  bmpString: 30,
} as const;

export interface Asn1Node {
  readonly tagClass: number;
  readonly constructed: boolean;
  readonly tagNumber: number;
  /** The whole encoding, including end-of-contents octets of an indefinite length. */
  readonly raw: Uint8Array;
  /** The contents octets (without end-of-contents). */
  readonly value: Uint8Array;
  readonly indefinite: boolean;
  readonly children: readonly Asn1Node[];
}

const MAX_DEPTH = 40;

export function asn1Fail(code: MrtdErrorCode, message: string): never {
  throw new MrtdError(code, message);
}

function parseAt(
  bytes: Uint8Array,
  offset: number,
  end: number,
  depth: number,
  code: MrtdErrorCode,
): Asn1Node {
  if (depth > MAX_DEPTH) asn1Fail(code, 'ASN.1 nesting too deep');
  let i = offset;
  const first = bytes[i++];
  if (first === undefined || i > end) asn1Fail(code, `ASN.1 truncated at offset ${offset}`);
  const tagClass = first >> 6;
  const constructed = (first & 0x20) !== 0;
  let tagNumber = first & 0x1f;
  if (tagNumber === 0x1f) {
    // X.690 §8.1.2.4: high tag numbers, base 128.
    tagNumber = 0;
    for (let k = 0; ; k++) {
      const b = bytes[i++];
      if (b === undefined || i > end || k > 3) asn1Fail(code, 'ASN.1 tag truncated or too long');
      tagNumber = tagNumber * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) break;
    }
  }
  const lenByte = bytes[i++];
  if (lenByte === undefined || i > end) asn1Fail(code, 'ASN.1 length truncated');
  if (lenByte === 0x80) {
    // X.690 §8.1.3.6: indefinite form, constructed only, contents end with 00 00.
    if (!constructed) asn1Fail(code, 'indefinite length on a primitive encoding');
    const children: Asn1Node[] = [];
    const valueStart = i;
    for (;;) {
      if (i + 2 > end) asn1Fail(code, 'ASN.1 indefinite length without end-of-contents');
      if (bytes[i] === 0 && bytes[i + 1] === 0) {
        const node: Asn1Node = {
          tagClass,
          constructed,
          tagNumber,
          raw: bytes.subarray(offset, i + 2),
          value: bytes.subarray(valueStart, i),
          indefinite: true,
          children,
        };
        return node;
      }
      const child = parseAt(bytes, i, end, depth + 1, code);
      children.push(child);
      i += child.raw.length;
    }
  }
  let length = lenByte;
  if (lenByte > 0x80) {
    const n = lenByte & 0x7f;
    if (n > 4) asn1Fail(code, 'ASN.1 length too long');
    length = 0;
    for (let k = 0; k < n; k++) {
      const b = bytes[i++];
      if (b === undefined || i > end) asn1Fail(code, 'ASN.1 length truncated');
      length = length * 256 + b;
    }
  }
  const valueEnd = i + length;
  if (valueEnd > end) asn1Fail(code, `ASN.1 value needs ${length} bytes, ${end - i} available`);
  const value = bytes.subarray(i, valueEnd);
  const children: Asn1Node[] = [];
  if (constructed) {
    let j = i;
    while (j < valueEnd) {
      const child = parseAt(bytes, j, valueEnd, depth + 1, code);
      children.push(child);
      j += child.raw.length;
    }
  }
  return {
    tagClass,
    constructed,
    tagNumber,
    raw: bytes.subarray(offset, valueEnd),
    value,
    indefinite: false,
    children,
  };
}

/** Parses exactly one BER element filling `bytes`. */
export function parseBer(bytes: Uint8Array, code: MrtdErrorCode = 'ERR_CMS_FORMAT'): Asn1Node {
  const node = parseAt(bytes, 0, bytes.length, 0, code);
  if (node.raw.length !== bytes.length) asn1Fail(code, `${bytes.length - node.raw.length} trailing bytes`);
  return node;
}

/** Parses the first BER element of `bytes`, ignoring what follows (e.g. EF padding). */
export function parseBerPrefix(bytes: Uint8Array, code: MrtdErrorCode = 'ERR_CMS_FORMAT'): Asn1Node {
  return parseAt(bytes, 0, bytes.length, 0, code);
}

export function isUniversal(node: Asn1Node, tagNumber: number): boolean {
  return node.tagClass === TagClass.universal && node.tagNumber === tagNumber;
}

export function isContext(node: Asn1Node, tagNumber: number): boolean {
  return node.tagClass === TagClass.context && node.tagNumber === tagNumber;
}

/** The children of a SEQUENCE (or SET when `tag` says so). */
export function expectConstructed(
  node: Asn1Node | undefined,
  what: string,
  code: MrtdErrorCode,
  tag: number = Tag.sequence,
): readonly Asn1Node[] {
  if (node === undefined) asn1Fail(code, `${what}: missing`);
  if (!node.constructed || !isUniversal(node, tag)) asn1Fail(code, `${what}: expected a ${tagName(tag)}`);
  return node.children;
}

function tagName(tag: number): string {
  return tag === Tag.set ? 'SET' : tag === Tag.sequence ? 'SEQUENCE' : `tag ${tag}`;
}

export function expectPrimitive(
  node: Asn1Node | undefined,
  tag: number,
  what: string,
  code: MrtdErrorCode,
): Uint8Array {
  if (node === undefined) asn1Fail(code, `${what}: missing`);
  if (node.constructed || !isUniversal(node, tag)) asn1Fail(code, `${what}: expected universal tag ${tag}`);
  return node.value;
}

export function readOid(node: Asn1Node | undefined, what: string, code: MrtdErrorCode): string {
  return decodeOid(expectPrimitive(node, Tag.oid, what, code), { code, what });
}

/** INTEGER contents as bytes (two's complement, as encoded). */
export function readIntegerBytes(node: Asn1Node | undefined, what: string, code: MrtdErrorCode): Uint8Array {
  const v = expectPrimitive(node, Tag.integer, what, code);
  if (v.length === 0) asn1Fail(code, `${what}: empty INTEGER`);
  return v;
}

export function readBigInt(node: Asn1Node | undefined, what: string, code: MrtdErrorCode): bigint {
  const v = readIntegerBytes(node, what, code);
  let n = 0n;
  for (const b of v) n = (n << 8n) | BigInt(b);
  if (((v[0] ?? 0) & 0x80) !== 0) n -= 1n << BigInt(v.length * 8);
  return n;
}

export function readSmallInt(node: Asn1Node | undefined, what: string, code: MrtdErrorCode): number {
  const n = readBigInt(node, what, code);
  if (n < -(2n ** 31n) || n > 2n ** 31n) asn1Fail(code, `${what}: INTEGER out of range`);
  return Number(n);
}

/** OCTET STRING contents; BER constructed strings (X.690 §8.7.3) are concatenated. */
export function readOctets(node: Asn1Node | undefined, what: string, code: MrtdErrorCode): Uint8Array {
  if (node === undefined) asn1Fail(code, `${what}: missing`);
  if (!isUniversal(node, Tag.octetString)) asn1Fail(code, `${what}: expected an OCTET STRING`);
  if (!node.constructed) return node.value;
  return concatBytes(...node.children.map((c) => readOctets(c, what, code)));
}

/** BIT STRING contents for octet-aligned values (keys, signatures). */
export function readBitStringBytes(
  node: Asn1Node | undefined,
  what: string,
  code: MrtdErrorCode,
): Uint8Array {
  const v = expectPrimitive(node, Tag.bitString, what, code);
  if (v.length === 0 || v[0] !== 0) asn1Fail(code, `${what}: BIT STRING is not octet-aligned`);
  return v.subarray(1);
}

/** BIT STRING as named bits (bit 0 = most significant bit of the first content octet). */
export function readBitFlags(node: Asn1Node | undefined, what: string, code: MrtdErrorCode): boolean[] {
  const v = expectPrimitive(node, Tag.bitString, what, code);
  if (v.length === 0 || (v[0] ?? 8) > 7) asn1Fail(code, `${what}: bad BIT STRING`);
  const bits: boolean[] = [];
  const total = (v.length - 1) * 8 - (v[0] ?? 0);
  for (let i = 0; i < total; i++) bits.push((((v[1 + (i >> 3)] ?? 0) >> (7 - (i & 7))) & 1) === 1);
  return bits;
}

/** UTCTime / GeneralizedTime (RFC 5280 §4.1.2.5: UTC, seconds, 'Z'; a few real certs omit seconds). */
export function readTime(node: Asn1Node | undefined, what: string, code: MrtdErrorCode): Date {
  if (node === undefined) asn1Fail(code, `${what}: missing`);
  if (node.value.length > 32) asn1Fail(code, `${what}: time too long`);
  const text = ascii(node.value);
  let m: RegExpExecArray | null = null;
  let year: number;
  if (isUniversal(node, Tag.utcTime) && !node.constructed) {
    m = /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)?Z$/.exec(text);
    if (m === null) asn1Fail(code, `${what}: bad UTCTime`);
    const yy = Number(m[1]);
    year = yy >= 50 ? 1900 + yy : 2000 + yy; // RFC 5280 §4.1.2.5.1
  } else if (isUniversal(node, Tag.generalizedTime) && !node.constructed) {
    m = /^(\d\d\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)?(?:\.\d+)?Z$/.exec(text);
    if (m === null) asn1Fail(code, `${what}: bad GeneralizedTime`);
    year = Number(m[1]);
  } else {
    asn1Fail(code, `${what}: expected a time`);
  }
  const [mo, d, h, mi, s] = [m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
    asn1Fail(code, `${what}: time out of range`);
  return new Date(Date.UTC(year, mo - 1, d, h, mi, s));
}

/** A directory string (X.520) as text. */
export function readString(node: Asn1Node, what: string, code: MrtdErrorCode): string {
  if (node.constructed || node.tagClass !== TagClass.universal) asn1Fail(code, `${what}: expected a string`);
  const v = node.value;
  switch (node.tagNumber) {
    case Tag.utf8String:
      return new TextDecoder('utf-8', { fatal: false }).decode(v);
    case Tag.bmpString: {
      let s = '';
      for (let i = 0; i + 1 < v.length; i += 2)
        s += String.fromCharCode(((v[i] ?? 0) << 8) | (v[i + 1] ?? 0));
      return s;
    }
    case Tag.universalString: {
      let s = '';
      for (let i = 0; i + 3 < v.length; i += 4) {
        const cp = ((v[i] ?? 0) << 24) | ((v[i + 1] ?? 0) << 16) | ((v[i + 2] ?? 0) << 8) | (v[i + 3] ?? 0);
        s += cp >= 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : '\uFFFD';
      }
      return s;
    }
    default:
      // PrintableString, IA5String, TeletexString, NumericString, VisibleString: read as Latin-1.
      return ascii(v);
  }
}

/** Re-encodes a BER element in definite-length form (X.690 §10.1), keeping definite parts byte for byte. */
export function toDefiniteLength(node: Asn1Node): Uint8Array {
  if (!node.indefinite && !node.children.some(hasIndefinite)) return node.raw;
  const header = node.raw.subarray(0, headerTagLength(node.raw));
  const content = node.constructed ? concatBytes(...node.children.map(toDefiniteLength)) : node.value;
  return concatBytes(header, encodeLength(content.length), content);
}

function hasIndefinite(node: Asn1Node): boolean {
  return node.indefinite || node.children.some(hasIndefinite);
}

function headerTagLength(raw: Uint8Array): number {
  if (((raw[0] ?? 0) & 0x1f) !== 0x1f) return 1;
  let i = 1;
  while (((raw[i] ?? 0) & 0x80) !== 0) i++;
  return i + 1;
}

/** Unsigned big-endian bytes of a positive INTEGER's value, without the sign octet. */
export function unsignedBytes(intContent: Uint8Array): Uint8Array {
  let i = 0;
  while (i < intContent.length - 1 && intContent[i] === 0) i++;
  return intContent.subarray(i);
}

/** X.690 §8.3: INTEGER content octets (two's complement) that fit in a safe JavaScript number. */
export function decodeInteger(value: Uint8Array, code: MrtdErrorCode): number {
  if (value.length === 0 || value.length > 6) {
    throw new MrtdError(code, `INTEGER of ${value.length} bytes is not supported here`);
  }
  let n = 0;
  for (const b of value) n = n * 256 + b;
  if (((value[0] ?? 0) & 0x80) !== 0) n -= 2 ** (8 * value.length);
  return n;
}
