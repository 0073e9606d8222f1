// SecurityInfos, the DER SET OF SecurityInfo that announces PACE, Chip Authentication, Terminal
// Authentication and Active Authentication (ICAO 9303-11 §9.2; BSI TR-03110-3 §A.1.1). Used by DG14,
// EF.CardAccess and the signed content of EF.CardSecurity.

import { decodeInteger } from '../asn1/der.ts';
import { DER_INTEGER, DER_OID, DER_SEQUENCE, DER_SET, der } from '../asn1/der-writer.ts';
import { decodeOid } from '../asn1/oid.ts';
import { compareBytes } from '../bytes.ts';
import { MrtdError } from '../errors.ts';
import { childrenOf, decodeTlv, encodeConstructed, type Tlv } from '../tlv/tlv.ts';
import { ldsGuard } from './lds-text.ts';

const BSI = '0.4.0.127.0.7.2.2';

/** Protocol OID roots (BSI TR-03110-3 §A.1.1; ICAO 9303-11 §9.2). */
export const SECURITY_PROTOCOL_OIDS = {
  PK: `${BSI}.1`,
  PK_DH: `${BSI}.1.1`,
  PK_ECDH: `${BSI}.1.2`,
  TA: `${BSI}.2`,
  CA: `${BSI}.3`,
  CA_DH: `${BSI}.3.1`,
  CA_ECDH: `${BSI}.3.2`,
  PACE: `${BSI}.4`,
  PACE_DH_GM: `${BSI}.4.1`,
  PACE_ECDH_GM: `${BSI}.4.2`,
  PACE_DH_IM: `${BSI}.4.3`,
  PACE_ECDH_IM: `${BSI}.4.4`,
  PACE_ECDH_CAM: `${BSI}.4.6`,
  /** id-icao-mrtd-security-aaProtocolObject (ICAO 9303-11 §9.2.4). */
  AA: '2.23.136.1.1.5',
} as const;

export interface PaceInfo {
  readonly type: 'PACEInfo';
  readonly protocol: string;
  readonly version: number;
  /** Standardized domain parameter id (ICAO 9303-11 §9.5.1), e.g. 13 = brainpoolP256r1. */
  readonly parameterId?: number;
}
export interface PaceDomainParameterInfo {
  readonly type: 'PACEDomainParameterInfo';
  readonly protocol: string;
  /** AlgorithmIdentifier DER with explicit domain parameters. */
  readonly domainParameter: Uint8Array;
  readonly parameterId?: number;
}
export interface ChipAuthenticationInfo {
  readonly type: 'ChipAuthenticationInfo';
  readonly protocol: string;
  readonly version: number;
  readonly keyId?: number;
}
export interface ChipAuthenticationDomainParameterInfo {
  readonly type: 'ChipAuthenticationDomainParameterInfo';
  readonly protocol: string;
  readonly domainParameter: Uint8Array;
  readonly keyId?: number;
}
export interface ChipAuthenticationPublicKeyInfo {
  readonly type: 'ChipAuthenticationPublicKeyInfo';
  readonly protocol: string;
  /** SubjectPublicKeyInfo DER (may carry explicit EC parameters). */
  readonly subjectPublicKeyInfo: Uint8Array;
  readonly keyId?: number;
}
export interface TerminalAuthenticationInfo {
  readonly type: 'TerminalAuthenticationInfo';
  readonly protocol: string;
  readonly version: number;
  /** The efCVCA FileID DER, when present. */
  readonly efCvca?: Uint8Array;
}
export interface ActiveAuthenticationInfo {
  readonly type: 'ActiveAuthenticationInfo';
  readonly protocol: string;
  readonly version: number;
  /** e.g. ecdsa-with-SHA256 1.2.840.10045.4.3.2 (ICAO 9303-11 §9.2.4). */
  readonly signatureAlgorithm: string;
}
/** A SecurityInfo this library does not interpret, kept whole. */
export interface UnknownSecurityInfo {
  readonly type: 'unknown';
  readonly protocol: string;
  /** The whole SecurityInfo SEQUENCE DER. */
  readonly raw: Uint8Array;
}

export type SecurityInfo =
  | PaceInfo
  | PaceDomainParameterInfo
  | ChipAuthenticationInfo
  | ChipAuthenticationDomainParameterInfo
  | ChipAuthenticationPublicKeyInfo
  | TerminalAuthenticationInfo
  | ActiveAuthenticationInfo
  | UnknownSecurityInfo;

function fail(message: string): MrtdError {
  return new MrtdError('ERR_LDS_FORMAT', `SecurityInfo: ${message}`);
}

/** Arcs below `root`, or undefined when `oid` is not under it. */
function arcsBelow(oid: string, root: string): number | undefined {
  if (!oid.startsWith(`${root}.`)) return undefined;
  return oid.slice(root.length + 1).split('.').length;
}

function integer(t: Tlv | undefined, what: string): number {
  if (t?.tag !== DER_INTEGER) throw fail(`${what} is not an INTEGER`);
  return decodeInteger(t.value, 'ERR_LDS_FORMAT');
}

function optionalInteger(t: Tlv | undefined, what: string): number | undefined {
  return t === undefined ? undefined : integer(t, what);
}

function sequence(t: Tlv | undefined, what: string): Uint8Array {
  if (t?.tag !== DER_SEQUENCE) throw fail(`${what} is not a SEQUENCE`);
  return t.raw.slice();
}

function decodeSecurityInfo(t: Tlv): SecurityInfo {
  if (t.tag !== DER_SEQUENCE) throw fail('not a SEQUENCE');
  const [oidTlv, a, b, ...rest] = childrenOf(t);
  if (oidTlv?.tag !== DER_OID) throw fail('protocol is not an OBJECT IDENTIFIER');
  const protocol = decodeOid(oidTlv.value, { code: 'ERR_LDS_FORMAT' });
  const O = SECURITY_PROTOCOL_OIDS;
  const pace = arcsBelow(protocol, O.PACE);
  const ca = arcsBelow(protocol, O.CA);
  const known =
    pace === 1 ||
    pace === 2 ||
    ca === 1 ||
    ca === 2 ||
    arcsBelow(protocol, O.PK) === 1 ||
    protocol === O.TA ||
    protocol === O.AA;
  if (!known) return { type: 'unknown', protocol, raw: t.raw.slice() };
  if (rest.length > 0 || a === undefined) throw fail(`${protocol}: unexpected number of fields`);
  const opt = <K extends string>(key: K, v: number | undefined): { [P in K]?: number } =>
    (v === undefined ? {} : { [key]: v }) as { [P in K]?: number };
  if (pace === 2) {
    // ICAO 9303-11 §9.2.1 PACEInfo.
    return {
      type: 'PACEInfo',
      protocol,
      version: integer(a, 'version'),
      ...opt('parameterId', optionalInteger(b, 'parameterId')),
    };
  }
  if (pace === 1) {
    // §9.2.2 PACEDomainParameterInfo.
    return {
      type: 'PACEDomainParameterInfo',
      protocol,
      domainParameter: sequence(a, 'domainParameter'),
      ...opt('parameterId', optionalInteger(b, 'parameterId')),
    };
  }
  if (ca === 2) {
    // §9.2.5 ChipAuthenticationInfo.
    return {
      type: 'ChipAuthenticationInfo',
      protocol,
      version: integer(a, 'version'),
      ...opt('keyId', optionalInteger(b, 'keyId')),
    };
  }
  if (ca === 1) {
    return {
      type: 'ChipAuthenticationDomainParameterInfo',
      protocol,
      domainParameter: sequence(a, 'domainParameter'),
      ...opt('keyId', optionalInteger(b, 'keyId')),
    };
  }
  if (protocol === O.TA) {
    // §9.2.6 TerminalAuthenticationInfo: version, efCVCA FileID OPTIONAL.
    return {
      type: 'TerminalAuthenticationInfo',
      protocol,
      version: integer(a, 'version'),
      ...(b === undefined ? {} : { efCvca: sequence(b, 'efCVCA') }),
    };
  }
  if (protocol === O.AA) {
    // §9.2.4 ActiveAuthenticationInfo.
    if (b?.tag !== DER_OID) throw fail('ActiveAuthenticationInfo without signatureAlgorithm');
    return {
      type: 'ActiveAuthenticationInfo',
      protocol,
      version: integer(a, 'version'),
      signatureAlgorithm: decodeOid(b.value, { code: 'ERR_LDS_FORMAT' }),
    };
  }
  // §9.2.5 ChipAuthenticationPublicKeyInfo.
  return {
    type: 'ChipAuthenticationPublicKeyInfo',
    protocol,
    subjectPublicKeyInfo: sequence(a, 'chipAuthenticationPublicKey'),
    ...opt('keyId', optionalInteger(b, 'keyId')),
  };
}

/** Decodes a DER `SecurityInfos ::= SET OF SecurityInfo` filling `bytes` exactly. */
export function decodeSecurityInfos(bytes: Uint8Array): SecurityInfo[] {
  return ldsGuard('SecurityInfos', () => {
    const set = decodeTlv(bytes);
    if (set.tag !== DER_SET || set.raw.length !== bytes.length) throw fail('SecurityInfos is not one SET');
    return childrenOf(set).map(decodeSecurityInfo);
  });
}

function checkDer(bytes: Uint8Array, what: string): Uint8Array {
  const t = ldsGuard(what, () => decodeTlv(bytes));
  if (t.tag !== DER_SEQUENCE || t.raw.length !== bytes.length)
    throw new MrtdError('ERR_USAGE', `${what} must be one SEQUENCE`);
  return bytes;
}

function encodeSecurityInfo(info: SecurityInfo): Uint8Array {
  if (info.type === 'unknown') return checkDer(info.raw, 'unknown SecurityInfo');
  const parts = [der.oid(info.protocol)];
  switch (info.type) {
    case 'PACEInfo':
      parts.push(der.integer(info.version));
      if (info.parameterId !== undefined) parts.push(der.integer(info.parameterId));
      break;
    case 'PACEDomainParameterInfo':
      parts.push(checkDer(info.domainParameter, 'domainParameter'));
      if (info.parameterId !== undefined) parts.push(der.integer(info.parameterId));
      break;
    case 'ChipAuthenticationInfo':
      parts.push(der.integer(info.version));
      if (info.keyId !== undefined) parts.push(der.integer(info.keyId));
      break;
    case 'ChipAuthenticationDomainParameterInfo':
      parts.push(checkDer(info.domainParameter, 'domainParameter'));
      if (info.keyId !== undefined) parts.push(der.integer(info.keyId));
      break;
    case 'ChipAuthenticationPublicKeyInfo':
      parts.push(checkDer(info.subjectPublicKeyInfo, 'subjectPublicKeyInfo'));
      if (info.keyId !== undefined) parts.push(der.integer(info.keyId));
      break;
    case 'TerminalAuthenticationInfo':
      parts.push(der.integer(info.version));
      if (info.efCvca !== undefined) parts.push(checkDer(info.efCvca, 'efCVCA'));
      break;
    case 'ActiveAuthenticationInfo':
      parts.push(der.integer(info.version), der.oid(info.signatureAlgorithm));
      break;
  }
  return encodeConstructed(DER_SEQUENCE, parts);
}

/**
 * The SET in the order given. DER (X.690 §11.6) sorts SET OF elements, but real chips (FR, MY DG14s)
 * do not, and re-encoding a decoded file must give back its exact bytes, so order is the caller's:
 * pass `{ der: true }` to sort.
 */
export function encodeSecurityInfos(infos: readonly SecurityInfo[], options?: { der?: boolean }): Uint8Array {
  const encoded = infos.map(encodeSecurityInfo);
  if (options?.der === true) encoded.sort(compareBytes);
  return encodeConstructed(DER_SET, encoded);
}
