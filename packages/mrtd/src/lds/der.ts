// The few DER primitives the LDS files need beyond BER-TLV: OBJECT IDENTIFIER and small INTEGERs (X.690 §8.3, §8.19).
import { MrtdError } from '../errors.ts';
import { encodeTlv } from '../tlv/tlv.ts';

export const DER_INTEGER = 0x02;
export const DER_OCTET_STRING = 0x04;
export const DER_OID = 0x06;
export const DER_SEQUENCE = 0x30;
export const DER_SET = 0x31;

/** X.690 §8.19: the content octets of an OBJECT IDENTIFIER as dotted text. */
export function decodeOid(value: Uint8Array): string {
  if (value.length === 0 || value.length > 64)
    throw new MrtdError('ERR_LDS_FORMAT', 'bad OBJECT IDENTIFIER length');
  const arcs: number[] = [];
  let arc = 0;
  let started = false;
  for (let i = 0; i < value.length; i++) {
    const b = value[i] ?? 0;
    if (!started && b === 0x80) throw new MrtdError('ERR_LDS_FORMAT', 'non-minimal OBJECT IDENTIFIER arc');
    started = true;
    arc = arc * 128 + (b & 0x7f);
    if (arc > Number.MAX_SAFE_INTEGER / 256)
      throw new MrtdError('ERR_LDS_FORMAT', 'OBJECT IDENTIFIER arc too large');
    if ((b & 0x80) === 0) {
      if (arcs.length === 0) {
        const first = arc < 40 ? 0 : arc < 80 ? 1 : 2;
        arcs.push(first, arc - first * 40);
      } else {
        arcs.push(arc);
      }
      arc = 0;
      started = false;
    }
  }
  if (started) throw new MrtdError('ERR_LDS_FORMAT', 'OBJECT IDENTIFIER ends inside an arc');
  return arcs.join('.');
}

/** The content octets of an OBJECT IDENTIFIER given as dotted text. */
export function encodeOidValue(oid: string): Uint8Array {
  if (!/^[0-2](\.(0|[1-9][0-9]*))+$/.test(oid))
    throw new MrtdError('ERR_USAGE', `bad OBJECT IDENTIFIER ${oid}`);
  const arcs = oid.split('.').map(Number);
  const [a = 0, b = 0, ...rest] = arcs;
  if (a < 2 && b >= 40) throw new MrtdError('ERR_USAGE', `bad OBJECT IDENTIFIER ${oid}`);
  const out: number[] = [];
  for (const arc of [a * 40 + b, ...rest]) {
    if (!Number.isSafeInteger(arc)) throw new MrtdError('ERR_USAGE', `bad OBJECT IDENTIFIER ${oid}`);
    const groups: number[] = [];
    let v = arc;
    do {
      groups.unshift(v % 128);
      v = Math.floor(v / 128);
    } while (v > 0);
    for (let i = 0; i < groups.length; i++) out.push((groups[i] ?? 0) | (i < groups.length - 1 ? 0x80 : 0));
  }
  return Uint8Array.from(out);
}

export function encodeOid(oid: string): Uint8Array {
  return encodeTlv(DER_OID, encodeOidValue(oid));
}

/** X.690 §8.3: a two's complement INTEGER that fits in a safe JavaScript number. */
export function decodeInteger(value: Uint8Array): number {
  if (value.length === 0 || value.length > 6) {
    throw new MrtdError('ERR_LDS_FORMAT', `INTEGER of ${value.length} bytes is not supported here`);
  }
  let n = 0;
  for (const b of value) n = n * 256 + b;
  if (((value[0] ?? 0) & 0x80) !== 0) n -= 2 ** (8 * value.length);
  return n;
}

export function encodeIntegerValue(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n >= 2 ** 47 || n < -(2 ** 47))
    throw new MrtdError('ERR_USAGE', `bad INTEGER ${n}`);
  const bytes: number[] = [];
  let v = n;
  for (;;) {
    const b = ((v % 256) + 256) % 256;
    bytes.unshift(b);
    v = (v - b) / 256;
    const sign = (b & 0x80) !== 0;
    if ((v === 0 && !sign) || (v === -1 && sign)) break;
  }
  return Uint8Array.from(bytes);
}

export function encodeInteger(n: number): Uint8Array {
  return encodeTlv(DER_INTEGER, encodeIntegerValue(n));
}
