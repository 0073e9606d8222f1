// Synthetic variants of real face images for tests and evaluation: "chip-like" portraits (small,
// heavily compressed, slightly rotated and blurred, JPEG 2000) and "selfie-like" camera frames
// (face smaller in a larger frame, other exposure, noise, JPEG, optional synthetic head turn).
// They share the capture of their source, so genuine pairs built from them are easier than real
// cross-session pairs; docs/vision-eval.md says so.

import sharp, { type Sharp } from 'sharp';
import type { Jpeg2000Codec } from '../../src/image/jpeg2000.ts';
import type { RgbImage } from '../../src/image/rgb-image.ts';
import { turnHead } from './warp.ts';

export async function toRgb(input: Buffer | Uint8Array | string): Promise<RgbImage> {
  const { data, info } = await sharp(input)
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height };
}

export function sharpOf(image: RgbImage): Sharp {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } });
}

/** Deterministic PRNG (mulberry32) so synthetic data is identical on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function addNoise(image: RgbImage, sigma: number, random: () => number): RgbImage {
  const out = new Uint8Array(image.data.length);
  for (let i = 0; i < out.length; i++) {
    // Box-Muller
    const g = Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
    out[i] = Math.max(0, Math.min(255, Math.round(image.data[i]! + g * sigma)));
  }
  return { data: out, width: image.width, height: image.height };
}

export interface ChipLike {
  /** the JP2 codestream as a chip would carry it */
  jp2: Uint8Array;
  /** size of the bitrate-limiting JPEG step */
  jpegBytes: number;
}

/**
 * A chip-like portrait: 240x320, small rotation and blur, bitrate cut by a heavy JPEG step
 * (~10-15 KB; this OpenJPEG build ignores its rate setting, so JPEG 2000 alone cannot reach that
 * size), then stored as JPEG 2000 like a DG2 image.
 */
export async function chipLike(
  source: RgbImage,
  codec: Jpeg2000Codec,
  options: { rotateDeg: number; blurSigma: number; jpegQuality: number },
): Promise<ChipLike> {
  const jpeg = await sharpOf(source)
    .rotate(options.rotateDeg, { background: '#c8c8c8' })
    .resize(240, 320, { fit: 'cover', position: 'centre' })
    .blur(options.blurSigma)
    .jpeg({ quality: options.jpegQuality, chromaSubsampling: '4:2:0' })
    .toBuffer();
  const rgb = await toRgb(jpeg);
  return { jp2: codec.encode(rgb, { compressionRatio: 20 }), jpegBytes: jpeg.length };
}

export interface SelfieOptions {
  /** canvas the face is placed in; the source fills `faceShare` of its width */
  canvas?: { width: number; height: number };
  faceShare?: number;
  /** horizontal offset of the face centre, share of the canvas width */
  offsetX?: number;
  brightness?: number;
  rotateDeg?: number;
  noiseSigma?: number;
  jpegQuality?: number;
  turn?: {
    yawDeg?: number;
    pitchDeg?: number;
    face: { x: number; y: number; width: number; height: number };
  };
  seed?: number;
}

/** A camera-frame-like JPEG made from a face image. */
export async function selfieLike(source: RgbImage, options: SelfieOptions = {}): Promise<Buffer> {
  let image = source;
  if (options.turn) image = turnHead(image, options.turn.face, options.turn);
  const canvas = options.canvas ?? { width: 640, height: 480 };
  const width = Math.round(canvas.width * (options.faceShare ?? 0.45));
  const height = Math.round((width * image.height) / image.width);
  let face = sharpOf(image).resize(width, height);
  if (options.rotateDeg) face = face.rotate(options.rotateDeg, { background: '#6d737b' });
  let placed = await face.png().toBuffer();
  let meta = await sharp(placed).metadata();
  if ((meta.height ?? 0) > canvas.height || (meta.width ?? 0) > canvas.width) {
    // Closer than the frame: keep the middle (the face), as the camera would.
    const w = Math.min(meta.width ?? 0, canvas.width);
    const h = Math.min(meta.height ?? 0, canvas.height);
    const l = Math.floor(((meta.width ?? 0) - w) / 2);
    const t = Math.floor(((meta.height ?? 0) - h) * 0.45);
    placed = await sharp(placed).extract({ left: l, top: t, width: w, height: h }).png().toBuffer();
    meta = await sharp(placed).metadata();
  }
  const left = Math.round(
    canvas.width / 2 + (options.offsetX ?? 0) * canvas.width - (meta.width ?? width) / 2,
  );
  const top = Math.max(0, Math.round((canvas.height - (meta.height ?? height)) / 2));
  const composed = await sharp({
    create: { width: canvas.width, height: canvas.height, channels: 3, background: '#6d737b' },
  })
    .composite([{ input: placed, left: Math.max(0, left), top }])
    .png()
    .toBuffer();
  // sharp applies composite last in a pipeline, so exposure needs its own pass.
  let frame = await toRgb(
    await sharp(composed)
      .modulate({ brightness: options.brightness ?? 1 })
      .png()
      .toBuffer(),
  );
  if (options.noiseSigma) frame = addNoise(frame, options.noiseSigma, prng(options.seed ?? 1));
  return sharpOf(frame)
    .jpeg({ quality: options.jpegQuality ?? 85 })
    .toBuffer();
}
