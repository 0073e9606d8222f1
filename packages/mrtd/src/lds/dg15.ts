// EF.DG15, the Active Authentication public key as a DER SubjectPublicKeyInfo (ICAO 9303-10 §4.7.15, 9303-11 §6.1).

import { DER_BIT_STRING, DER_OID, DER_SEQUENCE } from '../asn1/der-writer.ts';
import { decodeOid } from '../asn1/oid.ts';
import { MrtdError } from '../errors.ts';
import { childrenOf, decodeTlv, encodeTlv } from '../tlv/tlv.ts';
import { ldsGuard, unwrapFile } from './lds-text.ts';

export interface Dg15 {
  /** The SubjectPublicKeyInfo DER (RFC 5280 §4.1.2.7). */
  readonly subjectPublicKeyInfo: Uint8Array;
  /** Its algorithm OID: 1.2.840.113549.1.1.1 (RSA) or 1.2.840.10045.2.1 (EC). */
  readonly algorithm: string;
}

export function decodeDg15(bytes: Uint8Array): Dg15 {
  const file = unwrapFile(bytes, 0x6f, 'DG15');
  return ldsGuard('DG15', () => {
    const spki = decodeTlv(file.value);
    if (spki.tag !== DER_SEQUENCE || spki.raw.length !== file.value.length) {
      throw new MrtdError('ERR_LDS_FORMAT', 'DG15: content is not one SubjectPublicKeyInfo');
    }
    const [algorithmIdentifier, key] = childrenOf(spki);
    if (algorithmIdentifier?.tag !== DER_SEQUENCE || key?.tag !== DER_BIT_STRING) {
      throw new MrtdError('ERR_LDS_FORMAT', 'DG15: malformed SubjectPublicKeyInfo');
    }
    const [oid] = childrenOf(algorithmIdentifier);
    if (oid?.tag !== DER_OID)
      throw new MrtdError('ERR_LDS_FORMAT', 'DG15: AlgorithmIdentifier without an OID');
    const algorithm = decodeOid(oid.value, { code: 'ERR_LDS_FORMAT' });
    return { subjectPublicKeyInfo: spki.raw.slice(), algorithm };
  });
}

export function encodeDg15(dg15: { readonly subjectPublicKeyInfo: Uint8Array }): Uint8Array {
  return encodeTlv(0x6f, dg15.subjectPublicKeyInfo);
}
