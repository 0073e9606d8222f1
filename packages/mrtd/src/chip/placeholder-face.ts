// A placeholder portrait for test documents when no face image is given: a drawn head on a noisy
// background, encoded as JPEG with sharp (Node only). `targetBytes` grows the image to about that size.
import { MrtdError } from '../errors.ts';

export interface PlaceholderFaceOptions {
  readonly width?: number;
  readonly height?: number;
  /** Approximate JPEG size wanted (e.g. 20000 for a typical DG2); default about 12 KB. */
  readonly targetBytes?: number;
}

interface SharpLike {
  composite(images: { input: Buffer; blend?: string }[]): SharpLike;
  jpeg(options: { quality: number }): SharpLike;
  toBuffer(): Promise<Buffer>;
}
type SharpFactory = (input?: unknown) => SharpLike;

async function loadSharp(): Promise<SharpFactory> {
  try {
    const mod = (await import('sharp')) as unknown as { default: SharpFactory };
    return mod.default;
  } catch (cause) {
    throw new MrtdError(
      'ERR_TEST_DOCUMENT',
      'sharp is needed to draw a placeholder face; pass a face image instead',
      {
        cause,
      },
    );
  }
}

function headSvg(width: number, height: number): Buffer {
  const cx = width / 2;
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
      `<ellipse cx="${cx}" cy="${height * 0.95}" rx="${width * 0.42}" ry="${height * 0.28}" fill="#3b4a63"/>` +
      `<ellipse cx="${cx}" cy="${height * 0.42}" rx="${width * 0.27}" ry="${height * 0.25}" fill="#e0b49a"/>` +
      `<ellipse cx="${cx - width * 0.1}" cy="${height * 0.38}" rx="${width * 0.035}" ry="${height * 0.018}" fill="#2b2b2b"/>` +
      `<ellipse cx="${cx + width * 0.1}" cy="${height * 0.38}" rx="${width * 0.035}" ry="${height * 0.018}" fill="#2b2b2b"/>` +
      `<path d="M ${cx - width * 0.08} ${height * 0.52} Q ${cx} ${height * 0.56} ${cx + width * 0.08} ${height * 0.52}" stroke="#8a4b3c" stroke-width="4" fill="none"/>` +
      '</svg>',
  );
}

export async function placeholderFaceJpeg(options: PlaceholderFaceOptions = {}): Promise<Uint8Array> {
  const sharp = await loadSharp();
  const width = options.width ?? 240;
  const height = options.height ?? 320;
  const target = options.targetBytes ?? 12000;
  // Noise makes the JPEG size controllable through the quality setting.
  let best: Buffer | undefined;
  for (const quality of [90, 75, 60, 45, 30, 20, 10]) {
    const image = await sharp({
      create: {
        width,
        height,
        channels: 3,
        background: { r: 205, g: 215, b: 225 },
        noise: { type: 'gaussian', mean: 200, sigma: 18 },
      },
    })
      .composite([{ input: headSvg(width, height) }])
      .jpeg({ quality })
      .toBuffer();
    best = image;
    if (image.length <= target) break;
  }
  if (best === undefined) throw new MrtdError('ERR_TEST_DOCUMENT', 'could not draw a placeholder face');
  return new Uint8Array(best.buffer, best.byteOffset, best.byteLength).slice();
}
