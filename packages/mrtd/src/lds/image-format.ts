// Recognises an image's encoding from its first bytes, so that a face record's declaration is not taken on trust.

export type ImageFormat = 'jpeg' | 'jpeg2000';

const JPEG_SOI = [0xff, 0xd8, 0xff];
// ISO/IEC 15444-1 Annex I.5.1: the JP2 signature box.
const JP2_SIGNATURE = [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a];
// ISO/IEC 15444-1 Annex A.4.1/A.5.1: a bare codestream starts with SOC then SIZ.
const J2K_CODESTREAM = [0xff, 0x4f, 0xff, 0x51];

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}

/** 'jpeg' (JFIF/Exif, ISO/IEC 10918), 'jpeg2000' (JP2 file or raw codestream), or undefined. */
export function detectImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (startsWith(bytes, JPEG_SOI)) return 'jpeg';
  if (startsWith(bytes, JP2_SIGNATURE) || startsWith(bytes, J2K_CODESTREAM)) return 'jpeg2000';
  return undefined;
}
