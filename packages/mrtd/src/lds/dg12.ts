// EF.DG12, additional document details (ICAO 9303-10 §4.7.12).
import type { FieldSpec } from './text-data-group.ts';
import { decodeTextDataGroup, encodeTextDataGroup } from './text-data-group.ts';

export interface Dg12 {
  readonly issuingAuthority?: string; // 5F19
  /** yyyymmdd (5F26). */
  readonly dateOfIssue?: string;
  /** Names of other persons (A0 / 5F1A). */
  readonly namesOfOtherPersons?: readonly string[];
  readonly endorsementsAndObservations?: string; // 5F1B
  readonly taxOrExitRequirements?: string; // 5F1C
  readonly imageOfFront?: Uint8Array; // 5F1D
  readonly imageOfRear?: Uint8Array; // 5F1E
  /** yyyymmddhhmmss (5F55). */
  readonly personalizationDateTime?: string;
  readonly personalizationSystemSerialNumber?: string; // 5F56
}

const FIELDS: readonly FieldSpec[] = [
  { key: 'issuingAuthority', tag: 0x5f19, kind: 'text' },
  { key: 'dateOfIssue', tag: 0x5f26, kind: 'date' },
  { key: 'endorsementsAndObservations', tag: 0x5f1b, kind: 'text' },
  { key: 'taxOrExitRequirements', tag: 0x5f1c, kind: 'text' },
  { key: 'imageOfFront', tag: 0x5f1d, kind: 'bytes' },
  { key: 'imageOfRear', tag: 0x5f1e, kind: 'bytes' },
  { key: 'personalizationDateTime', tag: 0x5f55, kind: 'date' },
  { key: 'personalizationSystemSerialNumber', tag: 0x5f56, kind: 'text' },
];

const SPEC = { tag: 0x6c, what: 'DG12', fields: FIELDS, list: { key: 'namesOfOtherPersons', tag: 0x5f1a } };

export function decodeDg12(bytes: Uint8Array): Dg12 {
  return decodeTextDataGroup(bytes, SPEC) as Dg12;
}

export function encodeDg12(dg12: Dg12): Uint8Array {
  return encodeTextDataGroup(dg12 as Readonly<Record<string, unknown>>, SPEC);
}
