// EF.DG1: the MRZ as stored on the chip, its lines concatenated (ICAO 9303-10 §4.7.1).
import { ascii } from '../bytes.ts';
import { formatMrz } from '../mrz/format-mrz.ts';
import type { Mrz, MrzFields } from '../mrz/mrz.ts';
import { parseMrz } from '../mrz/parse-mrz.ts';
import { childrenOf, encodeConstructed, encodeTlv, requireTlv } from '../tlv/tlv.ts';
import { ldsGuard, unwrapFile } from './lds-text.ts';

export interface Dg1 {
  readonly mrz: Mrz;
}

/** Decodes DG1 and validates its MRZ like `parseMrz` (every check digit). */
export function decodeDg1(bytes: Uint8Array): Dg1 {
  const file = unwrapFile(bytes, 0x61, 'DG1');
  const text = ldsGuard('DG1', () => ascii(requireTlv(childrenOf(file), 0x5f1f, 'DG1 MRZ').value));
  return { mrz: parseMrz(text) };
}

export function encodeDg1(dg1: { readonly mrz: MrzFields }): Uint8Array {
  const text = formatMrz(dg1.mrz).join('');
  return encodeConstructed(0x61, [encodeTlv(0x5f1f, new TextEncoder().encode(text))]);
}
