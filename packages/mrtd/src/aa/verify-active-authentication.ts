// Verifies an Active Authentication response (ICAO 9303-11 §6.1) from the challenge, the response and
// the DG15 bytes alone (plus DG14's ActiveAuthenticationInfo for ECDSA): RSA with ISO/IEC 9796-2
// digital signature scheme 1, or ECDSA with the plain r ‖ s format of BSI TR-03111 §5.2.1.
import { bigIntToBytes, bytesToBigInt, concatBytes, constantTimeEqual } from '../bytes.ts';
import { readDg14ProtocolInfos } from '../ca/dg14-protocol-infos.ts';
import { parseSpki } from '../crypto/spki.ts';
import { MrtdError, type MrtdErrorCode } from '../errors.ts';
import { decodeTlv, decodeTlvSequence } from '../tlv/tlv.ts';
import {
  type AaHash,
  EC_PUBLIC_KEY_OID,
  ECDSA_SIGNATURE_OIDS,
  HASHES,
  hashByIsoId,
  modPow,
  RSA_ENCRYPTION_OID,
} from './aa-algorithms.ts';

export interface ActiveAuthenticationInput {
  /** The 8-byte challenge the verifier chose (on the server: a server-chosen nonce). */
  readonly challenge: Uint8Array;
  /** The INTERNAL AUTHENTICATE response data. */
  readonly response: Uint8Array;
  /** EF.DG15 (with its 6F tag) or the bare SubjectPublicKeyInfo DER. */
  readonly dg15: Uint8Array;
  /** EF.DG14, for the ECDSA hash named by ActiveAuthenticationInfo. */
  readonly dg14?: Uint8Array;
  /** The ActiveAuthenticationInfo signatureAlgorithm OID, if already decoded (overrides dg14). */
  readonly signatureAlgorithm?: string;
}

export type ActiveAuthenticationResult =
  | { readonly ok: true; readonly algorithm: 'RSA' | 'ECDSA'; readonly hash: AaHash }
  | { readonly ok: false; readonly code: MrtdErrorCode; readonly reason: string };

function failed(reason: string, code: MrtdErrorCode = 'ERR_AA_FAILED'): ActiveAuthenticationResult {
  return { ok: false, code, reason };
}

function spkiFromDg15(dg15: Uint8Array): Uint8Array {
  const outer = decodeTlv(dg15);
  return outer.tag === 0x6f ? decodeTlv(outer.value).raw : outer.raw;
}

/** Checks the response; never throws for bad input, every failure is a result with a code. */
export function verifyActiveAuthentication(input: ActiveAuthenticationInput): ActiveAuthenticationResult {
  try {
    const spki = parseSpki(spkiFromDg15(input.dg15), 'ERR_AA_FAILED');
    if (spki.algorithm === RSA_ENCRYPTION_OID) return verifyRsa(spki.publicKey, input);
    if (spki.algorithm === EC_PUBLIC_KEY_OID) return verifyEcdsa(spki, input);
    return failed(`AA key algorithm ${spki.algorithm} is not supported`, 'ERR_CRYPTO_UNSUPPORTED');
  } catch (e) {
    const code = e instanceof MrtdError ? e.code : 'ERR_AA_FAILED';
    return failed(e instanceof Error ? e.message : 'malformed input', code);
  }
}

/** ISO/IEC 9796-2 scheme 1 with partial message recovery: F = 6A ‖ M1 ‖ H(M1 ‖ M2) ‖ trailer, M2 = challenge. */
function verifyRsa(publicKey: Uint8Array, input: ActiveAuthenticationInput): ActiveAuthenticationResult {
  const [nTlv, eTlv] = decodeTlvSequence(decodeTlv(publicKey).value);
  if (nTlv?.tag !== 0x02 || eTlv?.tag !== 0x02) return failed('malformed RSAPublicKey');
  const n = bytesToBigInt(nTlv.value);
  const e = bytesToBigInt(eTlv.value);
  const k = Math.ceil(n.toString(2).length / 8);
  const s = bytesToBigInt(input.response);
  if (input.response.length !== k || s >= n) return failed('signature length does not match the key');
  const f = bigIntToBytes(modPow(s, e, n), k);
  const last = f[k - 1];
  let hash: AaHash | undefined;
  let trailer: number;
  if (last === 0xbc) {
    hash = 'SHA-1';
    trailer = 1;
  } else if (last === 0xcc) {
    hash = hashByIsoId(f[k - 2] ?? 0);
    trailer = 2;
  } else {
    return failed('signature does not recover a 9796-2 trailer');
  }
  if (hash === undefined) return failed('unknown 9796-2 hash identifier', 'ERR_CRYPTO_UNSUPPORTED');
  if (f[0] !== 0x6a) return failed('signature does not recover a 9796-2 partial-recovery header');
  const h = HASHES[hash];
  const digestStart = k - trailer - h.length;
  if (digestStart < 2) return failed('key too short for the hash');
  const m1 = f.subarray(1, digestStart);
  const digest = f.subarray(digestStart, k - trailer);
  if (!constantTimeEqual(digest, h.fn(concatBytes(m1, input.challenge)))) {
    return failed('signature does not cover the challenge');
  }
  return { ok: true, algorithm: 'RSA', hash };
}

function verifyEcdsa(
  spki: ReturnType<typeof parseSpki>,
  input: ActiveAuthenticationInput,
): ActiveAuthenticationResult {
  const curve = spki.curve;
  if (!curve) return failed('AA key on an unsupported curve', 'ERR_CRYPTO_UNSUPPORTED');
  const oid =
    input.signatureAlgorithm ??
    (input.dg14 ? readDg14ProtocolInfos(input.dg14).activeAuthenticationSignatureAlgorithm : undefined);
  if (oid === undefined) return failed('ECDSA Active Authentication needs DG14 ActiveAuthenticationInfo');
  const hash = ECDSA_SIGNATURE_OIDS[oid];
  if (!hash) return failed(`unknown AA signature algorithm ${oid}`, 'ERR_CRYPTO_UNSUPPORTED');
  const digest = HASHES[hash].fn(input.challenge);
  const plainLength = 2 * curve.ecdsa.Point.Fn.BYTES;
  const format =
    input.response.length === plainLength ? 'compact' : input.response[0] === 0x30 ? 'der' : undefined;
  if (!format) return failed('ECDSA signature has neither the plain nor the DER format');
  let ok = false;
  try {
    ok = curve.ecdsa.verify(input.response, digest, spki.publicKey, { prehash: false, lowS: false, format });
  } catch {
    ok = false;
  }
  return ok ? { ok: true, algorithm: 'ECDSA', hash } : failed('ECDSA signature does not verify');
}
