// Chip Authentication protocol identifiers and session keys (ICAO 9303-11 §6.2, §9.2.5, §9.7.1):
// which cipher an id-CA OID means and the SM session that replaces the old one (SSC reset to zero).
import { KDF_ENC, KDF_MAC, kdf } from '../crypto/kdf.ts';
import { MrtdError } from '../errors.ts';
import { createSmSession, type SmSession } from '../sm/secure-messaging.ts';
import { ID_CA } from './dg14-protocol-infos.ts';

export interface CaParameters {
  readonly oid: string;
  readonly agreement: 'DH' | 'ECDH';
  readonly cipher: '3DES' | 'AES';
  readonly keyLength: 16 | 24 | 32;
}

/** §6.2.4: without a ChipAuthenticationInfo, the chip implements CA version 1 with 3DES. */
export const DEFAULT_CA_ECDH_OID = `${ID_CA}.2.1`;

export function caParameters(oid: string): CaParameters {
  const m = /^0\.4\.0\.127\.0\.7\.2\.2\.3\.([12])\.([1-4])$/.exec(oid);
  if (!m) throw new MrtdError('ERR_CRYPTO_UNSUPPORTED', `unknown Chip Authentication protocol ${oid}`);
  const suffix = Number(m[2]);
  return {
    oid,
    agreement: m[1] === '1' ? 'DH' : 'ECDH',
    cipher: suffix === 1 ? '3DES' : 'AES',
    keyLength: suffix === 3 ? 24 : suffix === 4 ? 32 : 16,
  };
}

/** §6.2.3: KSenc = KDF(K, 1), KSmac = KDF(K, 2), SSC = 0. */
export function caSession(params: CaParameters, sharedSecret: Uint8Array): SmSession {
  return createSmSession({
    cipher: params.cipher,
    kEnc: kdf(sharedSecret, KDF_ENC, params.cipher, params.keyLength),
    kMac: kdf(sharedSecret, KDF_MAC, params.cipher, params.keyLength),
  });
}

/** A keyId as the minimal big-endian bytes of DO'84' (§6.2.4). */
export function keyIdBytes(keyId: number): Uint8Array {
  const out: number[] = [];
  for (let v = keyId; v > 0 || out.length === 0; v = Math.floor(v / 256)) out.unshift(v % 256);
  return Uint8Array.from(out);
}
