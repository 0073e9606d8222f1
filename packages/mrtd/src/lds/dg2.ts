// EF.DG2, the encoded face: biometric information group template 7F61 with one 7F60 template per face,
// each a biometric header template (A1) and a data block, 5F2E (ISO/IEC 19794-5) or 7F2E (ISO/IEC 39794-5)
// (ICAO 9303-10 §4.7.2, ISO/IEC 7816-11).

import { decodeInteger } from '../asn1/der.ts';
import { der } from '../asn1/der-writer.ts';
import { MrtdError } from '../errors.ts';
import { childrenOf, encodeConstructed, encodeTlv, findTlv, type Tlv } from '../tlv/tlv.ts';
import type { FaceImage, FaceImageInput, FaceRecordStandard } from './face-image.ts';
import { decodeIso19794FaceRecord, encodeIso19794FaceRecord } from './iso19794-5.ts';
import { decodeIso39794FaceRecord, encodeIso39794FaceRecord } from './iso39794-5.ts';
import { ldsGuard, unwrapFile } from './lds-text.ts';

const BIOMETRIC_INFORMATION_GROUP = 0x7f61;
const BIOMETRIC_INFORMATION = 0x7f60;
const BIOMETRIC_HEADER = 0xa1;
const BDB_19794 = 0x5f2e;
const BDB_39794 = 0x7f2e;

export interface Dg2Face extends FaceImage {
  /** The biometric data block as stored (the whole 19794-5 or 39794-5 record). */
  readonly record: Uint8Array;
  /** Format owner and type from the biometric header template (tags 87, 88), when present. */
  readonly formatOwner?: number;
  readonly formatType?: number;
}

export interface Dg2 {
  readonly faces: readonly Dg2Face[];
}

export interface Dg2Input {
  readonly faces: readonly FaceImageInput[];
}

function u16(t: Tlv | undefined): number | undefined {
  if (t === undefined || t.value.length === 0 || t.value.length > 2) return undefined;
  return t.value.length === 1 ? (t.value[0] ?? 0) : ((t.value[0] ?? 0) << 8) | (t.value[1] ?? 0);
}

function decodeBiometricInformation(template: Tlv): Dg2Face[] {
  const children = childrenOf(template);
  const header = findTlv(children, BIOMETRIC_HEADER);
  if (header === undefined)
    throw new MrtdError('ERR_LDS_FORMAT', 'DG2: biometric header template (A1) missing');
  const headerChildren = childrenOf(header);
  const formatOwner = u16(findTlv(headerChildren, 0x87));
  const formatType = u16(findTlv(headerChildren, 0x88));
  const extra = {
    ...(formatOwner !== undefined ? { formatOwner } : {}),
    ...(formatType !== undefined ? { formatType } : {}),
  };
  const bdb19794 = findTlv(children, BDB_19794);
  if (bdb19794 !== undefined) {
    const record = bdb19794.value.slice();
    return decodeIso19794FaceRecord(record).map((f) => ({ ...f, record, ...extra }));
  }
  const bdb39794 = findTlv(children, BDB_39794);
  if (bdb39794 !== undefined) {
    const record = bdb39794.value.slice();
    return decodeIso39794FaceRecord(record).map((f) => ({ ...f, record, ...extra }));
  }
  throw new MrtdError('ERR_LDS_FORMAT', 'DG2: biometric data block (5F2E or 7F2E) missing');
}

export function decodeDg2(bytes: Uint8Array): Dg2 {
  const file = unwrapFile(bytes, 0x75, 'DG2');
  return ldsGuard('DG2', () => {
    const group = findTlv(childrenOf(file), BIOMETRIC_INFORMATION_GROUP);
    if (group === undefined)
      throw new MrtdError('ERR_LDS_FORMAT', 'DG2: biometric information group template missing');
    const children = childrenOf(group);
    const countTlv = findTlv(children, 0x02);
    const templates = children.filter((c) => c.tag === BIOMETRIC_INFORMATION);
    if (countTlv === undefined || decodeInteger(countTlv.value, 'ERR_LDS_FORMAT') !== templates.length) {
      throw new MrtdError('ERR_LDS_FORMAT', 'DG2: instance count does not match the templates present');
    }
    if (templates.length === 0) throw new MrtdError('ERR_LDS_FORMAT', 'DG2: no face');
    return { faces: templates.flatMap(decodeBiometricInformation) };
  });
}

// ICAO 9303-10 §4.7.2.1: format owner 0x0101 (ISO/IEC JTC 1/SC 37); type 0x0008 for 19794-5,
// 0x002A for 39794-5 (the ICAO profile samples).
const FORMAT_TYPE: Readonly<Record<FaceRecordStandard, number>> = {
  'ISO19794-5': 0x0008,
  'ISO39794-5': 0x002a,
};

function encodeBiometricInformation(face: FaceImageInput): Uint8Array {
  const standard = face.standard ?? 'ISO19794-5';
  const header = encodeConstructed(BIOMETRIC_HEADER, [
    encodeTlv(0x80, Uint8Array.of(0x01, 0x01)), // ICAO header version 1.1
    encodeTlv(0x81, Uint8Array.of(0x02)), // biometric type: facial features
    encodeTlv(0x87, Uint8Array.of(0x01, 0x01)),
    encodeTlv(0x88, Uint8Array.of(0x00, FORMAT_TYPE[standard])),
  ]);
  const bdb =
    standard === 'ISO19794-5'
      ? encodeTlv(BDB_19794, encodeIso19794FaceRecord([face]))
      : encodeConstructed(BDB_39794, [encodeIso39794FaceRecord([face])]);
  return encodeConstructed(BIOMETRIC_INFORMATION, [header, bdb]);
}

/** One 7F60 template per face; `standard` defaults to ISO19794-5. */
export function encodeDg2(dg2: Dg2Input): Uint8Array {
  if (dg2.faces.length === 0) throw new MrtdError('ERR_USAGE', 'DG2 needs at least one face');
  const group = encodeConstructed(BIOMETRIC_INFORMATION_GROUP, [
    der.integer(dg2.faces.length),
    ...dg2.faces.map(encodeBiometricInformation),
  ]);
  return encodeConstructed(0x75, [group]);
}
