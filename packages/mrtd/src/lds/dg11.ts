// EF.DG11, additional personal details (ICAO 9303-10 §4.7.11).
import type { FieldSpec } from './text-data-group.ts';
import { decodeTextDataGroup, encodeTextDataGroup } from './text-data-group.ts';

export interface Dg11 {
  /** Full name in national characters, primary and secondary identifiers separated by '<<' (5F0E). */
  readonly fullName?: string;
  /** Other names (A0 / 5F0F). */
  readonly otherNames?: readonly string[];
  readonly personalNumber?: string; // 5F10
  /** Full date of birth, yyyymmdd (5F2B). */
  readonly fullDateOfBirth?: string;
  readonly placeOfBirth?: string; // 5F11, parts separated by '<'
  readonly permanentAddress?: string; // 5F42, parts separated by '<'
  readonly telephone?: string; // 5F12
  readonly profession?: string; // 5F13
  readonly title?: string; // 5F14
  readonly personalSummary?: string; // 5F15
  readonly proofOfCitizenship?: Uint8Array; // 5F16, an image
  readonly otherValidTdNumbers?: string; // 5F17, separated by '<'
  readonly custodyInformation?: string; // 5F18
}

const FIELDS: readonly FieldSpec[] = [
  { key: 'fullName', tag: 0x5f0e, kind: 'text' },
  { key: 'personalNumber', tag: 0x5f10, kind: 'text' },
  { key: 'fullDateOfBirth', tag: 0x5f2b, kind: 'date' },
  { key: 'placeOfBirth', tag: 0x5f11, kind: 'text' },
  { key: 'permanentAddress', tag: 0x5f42, kind: 'text' },
  { key: 'telephone', tag: 0x5f12, kind: 'text' },
  { key: 'profession', tag: 0x5f13, kind: 'text' },
  { key: 'title', tag: 0x5f14, kind: 'text' },
  { key: 'personalSummary', tag: 0x5f15, kind: 'text' },
  { key: 'proofOfCitizenship', tag: 0x5f16, kind: 'bytes' },
  { key: 'otherValidTdNumbers', tag: 0x5f17, kind: 'text' },
  { key: 'custodyInformation', tag: 0x5f18, kind: 'text' },
];

const SPEC = { tag: 0x6b, what: 'DG11', fields: FIELDS, list: { key: 'otherNames', tag: 0x5f0f } };

export function decodeDg11(bytes: Uint8Array): Dg11 {
  return decodeTextDataGroup(bytes, SPEC) as Dg11;
}

export function encodeDg11(dg11: Dg11): Uint8Array {
  return encodeTextDataGroup(dg11 as Readonly<Record<string, unknown>>, SPEC);
}
