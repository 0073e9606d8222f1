// The decoded-image value passed between vision modules: tightly packed 8-bit RGB, row-major.

export interface RgbImage {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/** Mean luma (ITU-R BT.601 weights) of a rectangle, 0-255; used for the "too dark" check. */
export function meanLuma(
  image: RgbImage,
  region?: { x: number; y: number; width: number; height: number },
): number {
  const x0 = Math.max(0, Math.floor(region?.x ?? 0));
  const y0 = Math.max(0, Math.floor(region?.y ?? 0));
  const x1 = Math.min(image.width, Math.ceil(region ? region.x + region.width : image.width));
  const y1 = Math.min(image.height, Math.ceil(region ? region.y + region.height : image.height));
  let sum = 0;
  let n = 0;
  // Sample every other pixel: brightness needs no more precision and this runs per frame.
  for (let y = y0; y < y1; y += 2) {
    for (let x = x0; x < x1; x += 2) {
      const i = (y * image.width + x) * 3;
      sum += 0.299 * image.data[i]! + 0.587 * image.data[i + 1]! + 0.114 * image.data[i + 2]!;
      n++;
    }
  }
  return n === 0 ? 0 : sum / n;
}
