// ISO/IEC 19794-5:2005 face image records ('FAC\0', version '010\0'), the DG2 encoding ICAO 9303-10 §4.7.2
// names for LDS 1.7: facial record header, facial information, feature points, image information, image data.
import { concatBytes } from '../bytes.ts';
import { MrtdError } from '../errors.ts';
import type { FaceImage, FaceImageInput } from './face-image.ts';
import { detectImageFormat } from './image-format.ts';

const FORMAT_ID = [0x46, 0x41, 0x43, 0x00]; // 'FAC\0'
const VERSION_2005 = [0x30, 0x31, 0x30, 0x00]; // '010\0'
const RECORD_HEADER_LENGTH = 14;
const FACIAL_INFORMATION_LENGTH = 20;
const FEATURE_POINT_LENGTH = 8;
const IMAGE_INFORMATION_LENGTH = 12;
// ISO/IEC 19794-5:2005 §5.7.2: image data type.
const IMAGE_DATA_TYPE = { jpeg: 0x00, jpeg2000: 0x01 } as const;
// §5.7.1: face image type "full frontal".
const FACE_IMAGE_TYPE_FULL_FRONTAL = 0x01;

function fail(message: string, details?: Record<string, unknown>): MrtdError {
  return new MrtdError(
    'ERR_BIOMETRIC_FORMAT',
    `ISO/IEC 19794-5: ${message}`,
    details ? { details } : undefined,
  );
}

function u16(b: Uint8Array, o: number): number {
  return ((b[o] ?? 0) << 8) | (b[o + 1] ?? 0);
}

function u32(b: Uint8Array, o: number): number {
  return (
    ((b[o] ?? 0) * 0x1000000 + (((b[o + 1] ?? 0) << 16) | ((b[o + 2] ?? 0) << 8) | (b[o + 3] ?? 0))) >>> 0
  );
}

export function isIso19794FaceRecord(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && FORMAT_ID.every((b, i) => bytes[i] === b);
}

/** Every facial image in a 19794-5 record. Throws ERR_BIOMETRIC_FORMAT for a malformed record or unknown image. */
export function decodeIso19794FaceRecord(bytes: Uint8Array): FaceImage[] {
  if (bytes.length < RECORD_HEADER_LENGTH) throw fail('record shorter than its header');
  if (!isIso19794FaceRecord(bytes)) throw fail("format identifier is not 'FAC'");
  if (!VERSION_2005.every((b, i) => bytes[4 + i] === b)) {
    throw new MrtdError('ERR_LDS_UNSUPPORTED', 'ISO/IEC 19794-5: only version 010 (2005) is supported');
  }
  // §5.4: the record length covers the whole record, header included.
  const recordLength = u32(bytes, 8);
  if (recordLength < RECORD_HEADER_LENGTH || recordLength > bytes.length) {
    throw fail(`record length ${recordLength} does not fit the ${bytes.length} bytes given`);
  }
  const count = u16(bytes, 12);
  if (count === 0) throw fail('record holds no facial image');
  const images: FaceImage[] = [];
  let offset = RECORD_HEADER_LENGTH;
  for (let i = 0; i < count; i++) {
    // §5.5: facial information block; its length field covers this image's whole facial record data.
    if (offset + FACIAL_INFORMATION_LENGTH > recordLength) throw fail(`facial image ${i + 1} is cut off`);
    const blockLength = u32(bytes, offset);
    const featurePoints = u16(bytes, offset + 4);
    const fixed = FACIAL_INFORMATION_LENGTH + featurePoints * FEATURE_POINT_LENGTH + IMAGE_INFORMATION_LENGTH;
    if (blockLength < fixed || offset + blockLength > recordLength) {
      throw fail(`facial image ${i + 1} has a bad block length ${blockLength}`);
    }
    // §5.7: image information follows the feature points (§5.6).
    const info = offset + FACIAL_INFORMATION_LENGTH + featurePoints * FEATURE_POINT_LENGTH;
    const width = u16(bytes, info + 2);
    const height = u16(bytes, info + 4);
    const image = bytes.slice(info + IMAGE_INFORMATION_LENGTH, offset + blockLength);
    const format = detectImageFormat(image);
    if (format === undefined) {
      throw fail(`facial image ${i + 1} is neither JPEG nor JPEG 2000`, {
        declaredImageDataType: bytes[info + 1],
        signature: [...image.subarray(0, 4)],
      });
    }
    images.push({
      standard: 'ISO19794-5',
      format,
      image,
      ...(width > 0 ? { width } : {}),
      ...(height > 0 ? { height } : {}),
    });
    offset += blockLength;
  }
  return images;
}

export function encodeIso19794FaceRecord(faces: readonly FaceImageInput[]): Uint8Array {
  if (faces.length === 0 || faces.length > 0xffff)
    throw new MrtdError('ERR_USAGE', 'need 1..65535 face images');
  const blocks = faces.map((face) => {
    if (detectImageFormat(face.image) !== face.format) {
      throw new MrtdError('ERR_BIOMETRIC_FORMAT', `image bytes are not ${face.format}`);
    }
    const width = face.width ?? 0;
    const height = face.height ?? 0;
    if (
      !Number.isInteger(width) ||
      !Number.isInteger(height) ||
      width < 0 ||
      height < 0 ||
      width > 0xffff ||
      height > 0xffff
    ) {
      throw new MrtdError('ERR_USAGE', 'width and height must be 0..65535');
    }
    const length = FACIAL_INFORMATION_LENGTH + IMAGE_INFORMATION_LENGTH + face.image.length;
    const head = new Uint8Array(FACIAL_INFORMATION_LENGTH + IMAGE_INFORMATION_LENGTH);
    const view = new DataView(head.buffer);
    view.setUint32(0, length);
    // Feature points, gender, eye/hair colour, feature mask, expression and pose stay 0 (unspecified).
    const info = FACIAL_INFORMATION_LENGTH;
    head[info] = FACE_IMAGE_TYPE_FULL_FRONTAL;
    head[info + 1] = IMAGE_DATA_TYPE[face.format];
    view.setUint16(info + 2, width);
    view.setUint16(info + 4, height);
    return concatBytes(head, face.image);
  });
  const body = concatBytes(...blocks);
  const header = new Uint8Array(RECORD_HEADER_LENGTH);
  header.set(FORMAT_ID, 0);
  header.set(VERSION_2005, 4);
  new DataView(header.buffer).setUint32(8, RECORD_HEADER_LENGTH + body.length);
  new DataView(header.buffer).setUint16(12, faces.length);
  return concatBytes(header, body);
}
