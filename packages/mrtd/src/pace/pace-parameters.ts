// PACE protocol identifiers and standardized domain parameters (ICAO 9303-11 §9.2.4 and §9.5.1,
// BSI TR-03110-3 §A.1): which mapping, key agreement, cipher, key length and curve an OID + id mean.
import { curveByParameterId, type EcCurve } from '../crypto/ec-curves.ts';
import { MrtdError } from '../errors.ts';
import { SECURITY_PROTOCOL_OIDS } from '../lds/security-infos.ts';

export type PaceMapping = 'GM' | 'IM' | 'CAM';
export type PaceAgreement = 'ECDH' | 'DH';

export interface PaceParameters {
  readonly oid: string;
  readonly mapping: PaceMapping;
  readonly agreement: PaceAgreement;
  readonly cipher: '3DES' | 'AES';
  readonly keyLength: 16 | 24 | 32;
  readonly parameterId: number;
  /** The curve for ECDH with a standardized id this library implements; undefined otherwise. */
  readonly curve: EcCurve | undefined;
}

const ID_PACE = SECURITY_PROTOCOL_OIDS.PACE;

// §9.2.4: id-PACE-{DH,ECDH}-{GM,IM,CAM} arcs under id-PACE.
const MAPPINGS: Record<string, { agreement: PaceAgreement; mapping: PaceMapping }> = {
  '1': { agreement: 'DH', mapping: 'GM' },
  '2': { agreement: 'ECDH', mapping: 'GM' },
  '3': { agreement: 'DH', mapping: 'IM' },
  '4': { agreement: 'ECDH', mapping: 'IM' },
  '6': { agreement: 'ECDH', mapping: 'CAM' },
};

const CIPHERS: Record<string, { cipher: '3DES' | 'AES'; keyLength: 16 | 24 | 32 }> = {
  '1': { cipher: '3DES', keyLength: 16 },
  '2': { cipher: 'AES', keyLength: 16 },
  '3': { cipher: 'AES', keyLength: 24 },
  '4': { cipher: 'AES', keyLength: 32 },
};

/** Builds the PACE OID for a mapping/agreement/cipher combination (the inverse of paceParameters). */
export function paceOid(
  agreement: PaceAgreement,
  mapping: PaceMapping,
  cipher: '3DES' | 'AES',
  keyLength = 16,
): string {
  const m = Object.entries(MAPPINGS).find(([, v]) => v.agreement === agreement && v.mapping === mapping)?.[0];
  const c = Object.entries(CIPHERS).find(([, v]) => v.cipher === cipher && v.keyLength === keyLength)?.[0];
  if (!m || !c)
    throw new MrtdError('ERR_PACE_UNSUPPORTED', `no PACE OID for ${agreement}-${mapping} ${cipher}`);
  return `${ID_PACE}.${m}.${c}`;
}

/** Interprets a PACEInfo protocol OID and its parameterId; throws ERR_PACE_UNSUPPORTED for unknown ones. */
export function paceParameters(oid: string, parameterId: number): PaceParameters {
  if (!oid.startsWith(`${ID_PACE}.`))
    throw new MrtdError('ERR_PACE_UNSUPPORTED', `not a PACE protocol: ${oid}`);
  const [m, c, ...extra] = oid.slice(ID_PACE.length + 1).split('.');
  const mapping = m === undefined ? undefined : MAPPINGS[m];
  const cipher = c === undefined ? undefined : CIPHERS[c];
  if (!mapping || !cipher || extra.length > 0 || (mapping.mapping === 'CAM' && cipher.cipher === '3DES')) {
    throw new MrtdError('ERR_PACE_UNSUPPORTED', `unknown PACE protocol ${oid}`);
  }
  return { oid, ...mapping, ...cipher, parameterId, curve: curveByParameterId(parameterId) };
}
