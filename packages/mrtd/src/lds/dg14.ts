// EF.DG14 (tag 6E) and EF.CardAccess (no wrapper): SecurityInfos for Chip Authentication, PACE and
// Terminal Authentication (ICAO 9303-10 §4.7.14, 9303-11 §9.2.10 / §9.2.11).
import { encodeTlv } from '../tlv/tlv.ts';
import { unwrapFile } from './lds-text.ts';
import { decodeSecurityInfos, encodeSecurityInfos, type SecurityInfo } from './security-infos.ts';

export interface SecurityInfosFile {
  readonly securityInfos: readonly SecurityInfo[];
}

export function decodeDg14(bytes: Uint8Array): SecurityInfosFile {
  return { securityInfos: decodeSecurityInfos(unwrapFile(bytes, 0x6e, 'DG14').value) };
}

export function encodeDg14(dg14: SecurityInfosFile): Uint8Array {
  return encodeTlv(0x6e, encodeSecurityInfos(dg14.securityInfos));
}

/** EF.CardAccess holds the SecurityInfos SET itself. */
export function decodeCardAccess(bytes: Uint8Array): SecurityInfosFile {
  return { securityInfos: decodeSecurityInfos(bytes) };
}

export function encodeCardAccess(cardAccess: SecurityInfosFile): Uint8Array {
  return encodeSecurityInfos(cardAccess.securityInfos);
}
