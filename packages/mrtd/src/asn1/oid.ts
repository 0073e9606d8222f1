// OBJECT IDENTIFIERs as dotted text ⇄ DER content octets (ITU-T X.690 §8.19): the one codec the LDS
// files, the protocols (MSE:Set AT, tokens, SubjectPublicKeyInfo) and the PKI all use.
import { MrtdError, type MrtdErrorCode } from '../errors.ts';

export interface DecodeOidOptions {
  /** The error code a malformed value raises (default ERR_TLV_UNEXPECTED; LDS files: ERR_LDS_FORMAT, ...). */
  readonly code?: MrtdErrorCode;
  /** Names the field in error messages. */
  readonly what?: string;
}

function fail(options: DecodeOidOptions, message: string): never {
  const text = options.what === undefined ? message : `${options.what}: ${message}`;
  throw new MrtdError(options.code ?? 'ERR_TLV_UNEXPECTED', text);
}

/** X.690 §8.19: the content octets of an OBJECT IDENTIFIER as dotted text (DER: minimal arcs only). */
export function decodeOid(value: Uint8Array, options: DecodeOidOptions = {}): string {
  if (value.length === 0 || value.length > 64) fail(options, 'bad OBJECT IDENTIFIER length');
  const arcs: number[] = [];
  let arc = 0;
  let started = false;
  for (let i = 0; i < value.length; i++) {
    const b = value[i] ?? 0;
    if (!started && b === 0x80) fail(options, 'non-minimal OBJECT IDENTIFIER arc');
    started = true;
    arc = arc * 128 + (b & 0x7f);
    if (arc > Number.MAX_SAFE_INTEGER / 256) fail(options, 'OBJECT IDENTIFIER arc too large');
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
  if (started) fail(options, 'OBJECT IDENTIFIER truncated');
  return arcs.join('.');
}

/** The content octets of an OBJECT IDENTIFIER given as dotted text; a malformed OID is ERR_USAGE. */
export function encodeOid(oid: string): Uint8Array {
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
