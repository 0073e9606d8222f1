// Text and small helpers shared by the LDS file codecs.
import { utf8 } from '../bytes.ts';
import { MrtdError } from '../errors.ts';
import { expectTlv, type Tlv } from '../tlv/tlv.ts';

const FATAL_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** LDS text is UTF-8 (ICAO 9303-10 §4.7); older chips wrote ISO 8859-1, read as such when not valid UTF-8. */
export function decodeText(bytes: Uint8Array): string {
  try {
    return FATAL_UTF8.decode(bytes);
  } catch {
    let s = '';
    for (const b of bytes) s += String.fromCharCode(b);
    return s;
  }
}

export function encodeText(s: string): Uint8Array {
  return utf8(s);
}

/**
 * Decodes `bytes` as exactly one TLV with tag `tag`, turning any structural failure into ERR_LDS_FORMAT
 * (cause kept) so callers of an LDS decoder see one code for "this file is malformed".
 */
export function unwrapFile(bytes: Uint8Array, tag: number, what: string): Tlv {
  if (!(bytes instanceof Uint8Array)) throw new MrtdError('ERR_USAGE', `${what}: expected bytes`);
  try {
    const t = expectTlv(bytes, tag, what);
    if (!t.constructed)
      throw new MrtdError('ERR_LDS_FORMAT', `${what}: tag ${tag.toString(16)} is primitive`);
    return t;
  } catch (e) {
    throw asLdsError(e, what);
  }
}

export function asLdsError(e: unknown, what: string): MrtdError {
  if (e instanceof MrtdError && !e.code.startsWith('ERR_TLV_')) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new MrtdError('ERR_LDS_FORMAT', `${what}: ${message}`, { cause: e });
}

/** Runs `f`, mapping TLV errors to ERR_LDS_FORMAT and letting other MrtdErrors through. */
export function ldsGuard<T>(what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw asLdsError(e, what);
  }
}
