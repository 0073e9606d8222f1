// Object identifiers as dotted strings ⇄ DER content bytes (ITU-T X.690 §8.19), for protocol OIDs in
// MSE:Set AT, authentication tokens and SecurityInfos.
import { MrtdError } from '../errors.ts';

export function encodeOid(oid: string): Uint8Array {
  const arcs = oid.split('.').map((a) => {
    if (!/^\d+$/.test(a)) throw new MrtdError('ERR_USAGE', `bad OID ${oid}`);
    return BigInt(a);
  });
  const [first, second, ...rest] = arcs;
  if (first === undefined || second === undefined || first > 2n)
    throw new MrtdError('ERR_USAGE', `bad OID ${oid}`);
  const out: number[] = [];
  for (const arc of [first * 40n + second, ...rest]) {
    const chunk: number[] = [Number(arc & 0x7fn)];
    for (let v = arc >> 7n; v > 0n; v >>= 7n) chunk.unshift(Number(v & 0x7fn) | 0x80);
    out.push(...chunk);
  }
  return Uint8Array.from(out);
}

export function decodeOid(bytes: Uint8Array): string {
  if (bytes.length === 0 || (bytes[bytes.length - 1] ?? 0) & 0x80) {
    throw new MrtdError('ERR_TLV_UNEXPECTED', 'malformed OBJECT IDENTIFIER');
  }
  const arcs: bigint[] = [];
  let v = 0n;
  for (const b of bytes) {
    v = (v << 7n) | BigInt(b & 0x7f);
    if ((b & 0x80) === 0) {
      arcs.push(v);
      v = 0n;
    }
  }
  const [head, ...rest] = arcs;
  if (head === undefined) throw new MrtdError('ERR_TLV_UNEXPECTED', 'malformed OBJECT IDENTIFIER');
  const first = head < 40n ? 0n : head < 80n ? 1n : 2n;
  return [first, head - first * 40n, ...rest].join('.');
}
