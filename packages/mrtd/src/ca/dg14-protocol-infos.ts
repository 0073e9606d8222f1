// Just the SecurityInfos of EF.DG14 that Chip and Active Authentication need (ICAO 9303-11 §9.2.5,
// §9.2.6, §9.2.7), read with the TLV module; the full DG14 model lives in lds/.
import { decodeOid } from '../asn1/oid.ts';
import { MrtdError } from '../errors.ts';
import { SECURITY_PROTOCOL_OIDS } from '../lds/security-infos.ts';
import { decodeTlv, decodeTlvSequence, type Tlv } from '../tlv/tlv.ts';

export const ID_CA = SECURITY_PROTOCOL_OIDS.CA;
export const ID_PK_DH = SECURITY_PROTOCOL_OIDS.PK_DH;
export const ID_PK_ECDH = SECURITY_PROTOCOL_OIDS.PK_ECDH;
export const ID_AA = SECURITY_PROTOCOL_OIDS.AA;

export interface CaInfo {
  readonly protocol: string;
  readonly version: number;
  readonly keyId?: number;
}

export interface CaPublicKeyInfo {
  readonly protocol: string;
  /** SubjectPublicKeyInfo DER. */
  readonly subjectPublicKeyInfo: Uint8Array;
  readonly keyId?: number;
}

export interface Dg14ProtocolInfos {
  readonly chipAuthentication: readonly CaInfo[];
  readonly chipAuthenticationPublicKeys: readonly CaPublicKeyInfo[];
  /** ActiveAuthenticationInfo's signatureAlgorithm OID (the ECDSA hash, §9.2.7). */
  readonly activeAuthenticationSignatureAlgorithm?: string;
}

function integer(t: Tlv | undefined): number | undefined {
  if (t?.tag !== 0x02 || t.value.length === 0 || t.value.length > 6) return undefined;
  let v = 0;
  for (const b of t.value) v = v * 256 + b;
  return v;
}

/** Reads EF.DG14 (with or without its 6E wrapper). Unknown SecurityInfos are skipped. */
export function readDg14ProtocolInfos(dg14: Uint8Array): Dg14ProtocolInfos {
  const chipAuthentication: CaInfo[] = [];
  const chipAuthenticationPublicKeys: CaPublicKeyInfo[] = [];
  let aa: string | undefined;
  try {
    let t = decodeTlv(dg14);
    if (t.tag === 0x6e) t = decodeTlv(t.value);
    if (t.tag !== 0x31) throw new MrtdError('ERR_LDS_FORMAT', 'DG14 does not hold a SET of SecurityInfos');
    for (const info of decodeTlvSequence(t.value)) {
      if (info.tag !== 0x30) continue;
      const [oid, required, optional] = decodeTlvSequence(info.value);
      if (oid?.tag !== 0x06 || !required) continue;
      const protocol = decodeOid(oid.value);
      const keyId = integer(optional);
      if (protocol.startsWith(`${ID_CA}.`)) {
        chipAuthentication.push({
          protocol,
          version: integer(required) ?? -1,
          ...(keyId !== undefined ? { keyId } : {}),
        });
      } else if (protocol === ID_PK_DH || protocol === ID_PK_ECDH) {
        chipAuthenticationPublicKeys.push({
          protocol,
          subjectPublicKeyInfo: required.raw.slice(),
          ...(keyId !== undefined ? { keyId } : {}),
        });
      } else if (protocol === ID_AA && optional?.tag === 0x06) {
        aa = decodeOid(optional.value);
      }
    }
  } catch (e) {
    if (e instanceof MrtdError && e.code === 'ERR_LDS_FORMAT') throw e;
    throw new MrtdError('ERR_LDS_FORMAT', 'malformed DG14', { cause: e });
  }
  return {
    chipAuthentication,
    chipAuthenticationPublicKeys,
    ...(aa !== undefined ? { activeAuthenticationSignatureAlgorithm: aa } : {}),
  };
}
