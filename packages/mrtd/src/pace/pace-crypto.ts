// The cryptographic steps PACE shares between terminal and chip (ICAO 9303-11 §4.4.3, BSI TR-03110-2
// §3.2 and TR-03110-3 §A.3): password key, nonce encryption, generic mapping, tokens, session keys.
import { sha1 } from '@noble/hashes/legacy.js';
import { encodeOid } from '../asn1/oid.ts';
import { concatBytes, utf8 } from '../bytes.ts';
import { aesCbcDecrypt, aesCbcEncrypt, aesCmac } from '../crypto/aes.ts';
import { DesCipher } from '../crypto/des.ts';
import type { EcCurve, EcPoint } from '../crypto/ec-curves.ts';
import { KDF_ENC, KDF_MAC, KDF_PACE, kdf } from '../crypto/kdf.ts';
import { pad } from '../crypto/padding.ts';
import { RetailMac } from '../crypto/retail-mac.ts';
import { MrtdError } from '../errors.ts';
import { createSmSession, type SmSession } from '../sm/secure-messaging.ts';
import { encodeTlv } from '../tlv/tlv.ts';
import type { PaceParameters } from './pace-parameters.ts';

export type PacePasswordKind = 'mrz' | 'can';

export interface PacePassword {
  readonly kind: PacePasswordKind;
  /** For 'mrz' the MRZ information string (§4.3.2 / mrzInformation()), for 'can' the CAN digits. */
  readonly value: string;
}

/** ICAO 9303-11 §9.2.4 MSE:Set AT key reference: 01 = MRZ, 02 = CAN. */
export const PASSWORD_REFERENCE: Record<PacePasswordKind, number> = { mrz: 0x01, can: 0x02 };

/** §4.4.3.1 / §9.7.3: π = SHA-1(MRZ information) or the CAN; K_π = KDF(π, 3). */
export function passwordKey(params: PaceParameters, password: PacePassword): Uint8Array {
  const pi = password.kind === 'mrz' ? sha1(utf8(password.value)) : utf8(password.value);
  return kdf(pi, KDF_PACE, params.cipher, params.keyLength);
}

/** §4.4.3.1: z = E(K_π, s), CBC with a zero IV. */
export function encryptNonce(params: PaceParameters, kPi: Uint8Array, s: Uint8Array): Uint8Array {
  return params.cipher === 'AES' ? aesCbcEncrypt(kPi, s) : new DesCipher(kPi).cbcEncrypt(s);
}

export function decryptNonce(params: PaceParameters, kPi: Uint8Array, z: Uint8Array): Uint8Array {
  const block = params.cipher === 'AES' ? 16 : 8;
  if (z.length === 0 || z.length % block !== 0)
    throw new MrtdError('ERR_PACE_FAILED', 'encrypted nonce has a bad length');
  return params.cipher === 'AES' ? aesCbcDecrypt(kPi, z) : new DesCipher(kPi).cbcDecrypt(z);
}

/** ICAO 9303-11 §4.4.3.3.1 generic mapping (ECDH): G' = s·G + H, H = SK_map·PK_map(peer). */
export function genericMapping(curve: EcCurve, nonce: Uint8Array, sharedPointH: EcPoint): EcPoint {
  let s = 0n;
  for (const b of nonce) s = (s << 8n) | BigInt(b);
  s %= curve.n;
  if (s === 0n) throw new MrtdError('ERR_PACE_FAILED', 'nonce reduces to zero');
  const g = curve.ecdsa.Point.BASE.multiply(s).add(sharedPointH);
  if (g.is0()) throw new MrtdError('ERR_PACE_FAILED', 'mapped generator is the point at infinity');
  return g;
}

/** §4.4.3.4 / TR-03110-3 §D.3.4: the public key data object 7F49 { 06 OID, 86 point } the tokens cover. */
export function publicKeyDataObject(params: PaceParameters, publicKey: Uint8Array): Uint8Array {
  return encodeTlv(0x7f49, concatBytes(encodeTlv(0x06, encodeOid(params.oid)), encodeTlv(0x86, publicKey)));
}

/** §4.4.3.4: T = MAC(KSmac, PK data object); AES-CMAC truncated to 8 bytes, or retail MAC over padded data. */
export function authenticationToken(
  params: PaceParameters,
  ksMac: Uint8Array,
  publicKey: Uint8Array,
): Uint8Array {
  const data = publicKeyDataObject(params, publicKey);
  return params.cipher === 'AES' ? aesCmac(ksMac, data).slice(0, 8) : new RetailMac(ksMac).mac(pad(data, 8));
}

export interface PaceSessionKeys {
  readonly ksEnc: Uint8Array;
  readonly ksMac: Uint8Array;
}

/** §4.4.3.3.3 / §9.7.1: KSenc = KDF(K, 1), KSmac = KDF(K, 2). */
export function paceSessionKeys(params: PaceParameters, sharedSecret: Uint8Array): PaceSessionKeys {
  return {
    ksEnc: kdf(sharedSecret, KDF_ENC, params.cipher, params.keyLength),
    ksMac: kdf(sharedSecret, KDF_MAC, params.cipher, params.keyLength),
  };
}

/** §9.8.2: after PACE the SSC starts at zero. */
export function paceSmSession(params: PaceParameters, keys: PaceSessionKeys): SmSession {
  return createSmSession({ cipher: params.cipher, kEnc: keys.ksEnc, kMac: keys.ksMac });
}

/** TR-03110-2 §3.4.1 (PACE-CAM): A_IC is encrypted with KSenc, AES-CBC with IV = E(KSenc, -1). */
export function camIv(ksEnc: Uint8Array): Uint8Array {
  return aesCbcEncrypt(ksEnc, new Uint8Array(16).fill(0xff));
}
