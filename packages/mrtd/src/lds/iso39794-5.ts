// ISO/IEC 39794-5:2019 face image data blocks (DER, the ICAO application profile), which ICAO 9303-10
// §4.7.2 allows in DG2 under tag 7F2E: FaceImageDataBlock → representation → 2D image and its information.

import { decodeInteger } from '../asn1/der.ts';
import { integerContent } from '../asn1/der-writer.ts';
import { MrtdError } from '../errors.ts';
import { childrenOf, decodeTlv, encodeConstructed, encodeTlv, findTlv, type Tlv } from '../tlv/tlv.ts';
import type { FaceImage, FaceImageInput } from './face-image.ts';
import { detectImageFormat, type ImageFormat } from './image-format.ts';

// [APPLICATION 5] FaceImageDataBlock, and the [1] wrapper the ICAO profile samples put around it.
const FACE_IMAGE_DATA_BLOCK = 0x65;
const OUTER_WRAPPER = 0xa1;
// ImageDataFormatCode ::= ENUMERATED { jpeg (2), jpeg2000Lossy (3), jpeg2000Lossless (4) }.
const FORMAT_CODE: Readonly<Record<ImageFormat, number>> = { jpeg: 2, jpeg2000: 3 };

function fail(message: string, cause?: unknown): MrtdError {
  return new MrtdError('ERR_BIOMETRIC_FORMAT', `ISO/IEC 39794-5: ${message}`, cause ? { cause } : undefined);
}

function need(list: readonly Tlv[], tag: number, what: string): Tlv {
  const t = findTlv(list, tag);
  if (t === undefined) throw fail(`${what} missing`);
  return t;
}

function decodeOne(t: Tlv): Tlv {
  const d = decodeTlv(t.value);
  if (d.raw.length !== t.value.length) throw fail('trailing bytes after the face image data block');
  return d;
}

export function isIso39794FaceRecord(bytes: Uint8Array): boolean {
  return bytes[0] === OUTER_WRAPPER || bytes[0] === FACE_IMAGE_DATA_BLOCK;
}

function decodeRepresentation(rep: Tlv, index: number): FaceImage {
  const repChildren = childrenOf(rep);
  const imageRepresentation = childrenOf(need(repChildren, 0xa1, 'imageRepresentation'));
  const base = findTlv(imageRepresentation, 0xa0);
  if (base === undefined)
    throw new MrtdError('ERR_LDS_UNSUPPORTED', 'ISO/IEC 39794-5: only 2D face images are supported');
  const block = childrenOf(need(childrenOf(base), 0xa0, 'imageRepresentation2DBlock'));
  const image = need(block, 0x80, 'representationData2D').value.slice();
  const info = childrenOf(need(block, 0xa1, 'imageInformation2DBlock'));
  const formatChoice = childrenOf(need(info, 0xa0, 'imageDataFormat'));
  const declared = findTlv(formatChoice, 0x80);
  const format = detectImageFormat(image);
  if (format === undefined) {
    throw new MrtdError(
      'ERR_BIOMETRIC_FORMAT',
      `ISO/IEC 39794-5: face image ${index + 1} is neither JPEG nor JPEG 2000`,
      {
        details: {
          declaredImageDataFormat: declared ? decodeInteger(declared.value, 'ERR_LDS_FORMAT') : undefined,
          signature: [...image.subarray(0, 4)],
        },
      },
    );
  }
  const size = findTlv(info, 0xa7);
  let width: number | undefined;
  let height: number | undefined;
  if (size !== undefined) {
    const dims = childrenOf(size);
    width = decodeInteger(need(dims, 0x80, 'width').value, 'ERR_LDS_FORMAT');
    height = decodeInteger(need(dims, 0x81, 'height').value, 'ERR_LDS_FORMAT');
    if (width < 0 || height < 0 || width > 0xffff || height > 0xffff) throw fail('image size out of range');
  }
  return {
    standard: 'ISO39794-5',
    format,
    image,
    ...(width ? { width } : {}),
    ...(height ? { height } : {}),
  };
}

/** The face images of a FaceImageDataBlock (with or without the profile's [1] wrapper). */
export function decodeIso39794FaceRecord(bytes: Uint8Array): FaceImage[] {
  try {
    let t = decodeTlv(bytes);
    if (t.raw.length !== bytes.length) throw fail('trailing bytes after the record');
    if (t.tag === OUTER_WRAPPER) t = decodeOne(t);
    if (t.tag !== FACE_IMAGE_DATA_BLOCK)
      throw fail(`expected FaceImageDataBlock [APPLICATION 5], got tag ${t.tag.toString(16)}`);
    const children = childrenOf(t);
    need(children, 0xa0, 'versionBlock');
    const reps = childrenOf(need(children, 0xa1, 'representationBlocks')).filter((r) => r.tag === 0x30);
    if (reps.length === 0) throw fail('no representation block');
    return reps.map(decodeRepresentation);
  } catch (e) {
    if (e instanceof MrtdError && !e.code.startsWith('ERR_TLV_') && e.code !== 'ERR_LDS_FORMAT') throw e;
    throw fail(e instanceof Error ? e.message : 'malformed record', e);
  }
}

export function encodeIso39794FaceRecord(faces: readonly FaceImageInput[]): Uint8Array {
  if (faces.length === 0) throw new MrtdError('ERR_USAGE', 'need at least one face image');
  const reps = faces.map((face, i) => {
    if (detectImageFormat(face.image) !== face.format) {
      throw new MrtdError('ERR_BIOMETRIC_FORMAT', `image bytes are not ${face.format}`);
    }
    const info = [encodeConstructed(0xa0, [encodeTlv(0x80, integerContent(FORMAT_CODE[face.format]))])];
    if (face.width !== undefined || face.height !== undefined) {
      info.push(
        encodeConstructed(0xa7, [
          encodeTlv(0x80, integerContent(face.width ?? 0)),
          encodeTlv(0x81, integerContent(face.height ?? 0)),
        ]),
      );
    }
    const block2d = encodeConstructed(0xa0, [encodeTlv(0x80, face.image), encodeConstructed(0xa1, info)]);
    return encodeConstructed(0x30, [
      encodeTlv(0x80, integerContent(i)),
      encodeConstructed(0xa1, [encodeConstructed(0xa0, [block2d])]),
    ]);
  });
  // versionBlock: generation 3, year 2019 (ISO/IEC 39794-1 VersionBlock), as the ICAO profile samples.
  const version = encodeConstructed(0xa0, [
    encodeTlv(0x80, Uint8Array.of(3)),
    encodeTlv(0x81, Uint8Array.of(0x07, 0xe3)),
  ]);
  const block = encodeConstructed(FACE_IMAGE_DATA_BLOCK, [version, encodeConstructed(0xa1, reps)]);
  return encodeConstructed(OUTER_WRAPPER, [block]);
}
