// The library's one DER writer (ITU-T X.690 §10): CMS, certificates and CRLs of test PKIs, SubjectPublicKeyInfo,
// and the INTEGERs and OBJECT IDENTIFIERs of LDS SecurityInfos and data groups.
import { compareBytes, concatBytes, utf8 } from '../bytes.ts';
import { MrtdError } from '../errors.ts';
import { encodeTlv } from '../tlv/tlv.ts';
import { encodeOid } from './oid.ts';

// Identifier octets (X.690 §8.1.2) of the universal types, as the BER-TLV module sees them.
export const DER_BOOLEAN = 0x01;
export const DER_INTEGER = 0x02;
export const DER_BIT_STRING = 0x03;
export const DER_OCTET_STRING = 0x04;
export const DER_NULL = 0x05;
export const DER_OID = 0x06;
export const DER_UTF8_STRING = 0x0c;
export const DER_PRINTABLE_STRING = 0x13;
export const DER_UTC_TIME = 0x17;
export const DER_GENERALIZED_TIME = 0x18;
export const DER_SEQUENCE = 0x30;
export const DER_SET = 0x31;

export const der = {
  sequence: (...children: Uint8Array[]): Uint8Array => encodeTlv(DER_SEQUENCE, concatBytes(...children)),
  /** SET OF in DER order (X.690 §11.6): elements sorted by their encodings. */
  setOf: (...children: Uint8Array[]): Uint8Array =>
    encodeTlv(DER_SET, concatBytes(...[...children].sort(compareBytes))),
  integer: (value: bigint | number | Uint8Array): Uint8Array => encodeTlv(DER_INTEGER, integerContent(value)),
  oid: (dotted: string): Uint8Array => encodeTlv(DER_OID, encodeOid(dotted)),
  octetString: (v: Uint8Array): Uint8Array => encodeTlv(DER_OCTET_STRING, v),
  bitString: (v: Uint8Array, unusedBits = 0): Uint8Array =>
    encodeTlv(DER_BIT_STRING, concatBytes(Uint8Array.of(unusedBits), v)),
  null: (): Uint8Array => Uint8Array.of(DER_NULL, 0x00),
  boolean: (v: boolean): Uint8Array => Uint8Array.of(DER_BOOLEAN, 0x01, v ? 0xff : 0x00),
  utf8: (s: string): Uint8Array => encodeTlv(DER_UTF8_STRING, utf8(s)),
  printable: (s: string): Uint8Array => encodeTlv(DER_PRINTABLE_STRING, utf8(s)),
  /** RFC 5280 §4.1.2.5: UTCTime up to 2049, GeneralizedTime from 2050. */
  time: (d: Date): Uint8Array => {
    const iso = d.toISOString();
    const digits = iso.slice(0, 19).replace(/[-:T]/g, '');
    const year = d.getUTCFullYear();
    if (year >= 1950 && year < 2050) return encodeTlv(DER_UTC_TIME, utf8(`${digits.slice(2)}Z`));
    return encodeTlv(DER_GENERALIZED_TIME, utf8(`${digits}Z`));
  },
  /** [n] EXPLICIT / constructed context-specific. */
  contextConstructed: (n: number, ...children: Uint8Array[]): Uint8Array =>
    encodeTlv(0xa0 | n, concatBytes(...children)),
  /** [n] IMPLICIT primitive context-specific. */
  contextPrimitive: (n: number, content: Uint8Array): Uint8Array => encodeTlv(0x80 | n, content),
};

/**
 * X.690 §8.3: INTEGER content octets, minimal two's complement. Bytes are an unsigned magnitude (leading
 * zeros stripped, a sign octet added when the top bit is set); a number must be a safe integer.
 */
export function integerContent(value: bigint | number | Uint8Array): Uint8Array {
  if (value instanceof Uint8Array) {
    let i = 0;
    while (i < value.length - 1 && value[i] === 0) i++;
    const v = value.subarray(i);
    if (v.length === 0) return Uint8Array.of(0);
    return ((v[0] ?? 0) & 0x80) !== 0 ? concatBytes(Uint8Array.of(0), v) : v;
  }
  if (typeof value === 'number' && !Number.isSafeInteger(value))
    throw new MrtdError('ERR_USAGE', `bad INTEGER ${value}`);
  let n = BigInt(value);
  const out: number[] = [];
  for (;;) {
    const b = Number(n & 0xffn);
    out.unshift(b);
    n >>= 8n;
    const sign = (b & 0x80) !== 0;
    if ((n === 0n && !sign) || (n === -1n && sign)) break;
  }
  return Uint8Array.from(out);
}
