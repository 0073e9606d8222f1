// Geometric warps for synthetic test frames: a projective (perspective) warp for "camera held at
// an angle" MRZ shots, and a cylindrical head-turn warp that makes a frontal portrait look turned.
// Both use inverse mapping with bilinear sampling on packed RGB.

import type { RgbImage } from '../../src/image/rgb-image.ts';

export type Point = readonly [number, number];
export type Quad = readonly [Point, Point, Point, Point];

/** Maps the whole source image onto `dst` (corners TL, TR, BR, BL) in a width x height canvas. */
export function warpPerspective(
  image: RgbImage,
  dst: Quad,
  width: number,
  height: number,
  background: readonly [number, number, number] = [40, 40, 40],
): RgbImage {
  const src: Quad = [
    [0, 0],
    [image.width - 1, 0],
    [image.width - 1, image.height - 1],
    [0, image.height - 1],
  ];
  const h = homography(dst, src); // output pixel -> source pixel
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const w = h[6]! * x + h[7]! * y + 1;
      const sx = (h[0]! * x + h[1]! * y + h[2]!) / w;
      const sy = (h[3]! * x + h[4]! * y + h[5]!) / w;
      const o = (y * width + x) * 3;
      if (sx < 0 || sy < 0 || sx > image.width - 1 || sy > image.height - 1) {
        out[o] = background[0];
        out[o + 1] = background[1];
        out[o + 2] = background[2];
      } else {
        sample(image, sx, sy, out, o);
      }
    }
  }
  return { data: out, width, height };
}

/**
 * Simulates a head turn by treating the face as a cylinder (axis vertical for yaw, horizontal for
 * pitch) and rotating it. Crude — ears and hair do not move like a real head — but it shifts the
 * nose against the face outline, which is what landmark-based pose estimators look at.
 * Positive yaw turns the face towards image right (the person's left, unmirrored camera);
 * positive pitch turns it upwards.
 */
export function turnHead(
  image: RgbImage,
  face: { x: number; y: number; width: number; height: number },
  pose: { yawDeg?: number; pitchDeg?: number },
): RgbImage {
  const cx = face.x + face.width / 2;
  const cy = face.y + face.height / 2;
  const rx = face.width * 0.5;
  const ry = face.height * 0.62;
  const yaw = ((pose.yawDeg ?? 0) * Math.PI) / 180;
  const pitch = ((pose.pitchDeg ?? 0) * Math.PI) / 180;
  const out = new Uint8Array(image.data.length);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const nx = (x - cx) / rx;
      const ny = (y - cy) / ry;
      let sx = x;
      let sy = y;
      const r2 = nx * nx + ny * ny;
      if (r2 < 1) {
        // Fade the warp out towards the ellipse edge so the face stays attached to the head.
        const fade = 1 - r2 * r2;
        const ax = Math.asin(Math.max(-1, Math.min(1, nx))) - yaw * fade;
        const ay = Math.asin(Math.max(-1, Math.min(1, ny))) + pitch * fade;
        sx = cx + rx * Math.sin(Math.max(-Math.PI / 2, Math.min(Math.PI / 2, ax)));
        sy = cy + ry * Math.sin(Math.max(-Math.PI / 2, Math.min(Math.PI / 2, ay)));
      }
      sample(
        image,
        Math.max(0, Math.min(image.width - 1, sx)),
        Math.max(0, Math.min(image.height - 1, sy)),
        out,
        (y * image.width + x) * 3,
      );
    }
  }
  return { data: out, width: image.width, height: image.height };
}

function sample(image: RgbImage, sx: number, sy: number, out: Uint8Array, o: number): void {
  const x0 = Math.floor(sx);
  const y0 = Math.floor(sy);
  const x1 = Math.min(x0 + 1, image.width - 1);
  const y1 = Math.min(y0 + 1, image.height - 1);
  const fx = sx - x0;
  const fy = sy - y0;
  const d = image.data;
  for (let c = 0; c < 3; c++) {
    const a = d[(y0 * image.width + x0) * 3 + c]!;
    const b = d[(y0 * image.width + x1) * 3 + c]!;
    const e = d[(y1 * image.width + x0) * 3 + c]!;
    const f = d[(y1 * image.width + x1) * 3 + c]!;
    out[o + c] = Math.round((a * (1 - fx) + b * fx) * (1 - fy) + (e * (1 - fx) + f * fx) * fy);
  }
}

/** Solves the 8 homography coefficients mapping quad `from` onto quad `to`. */
function homography(from: Quad, to: Quad): number[] {
  const a: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = from[i]!;
    const [u, v] = to[i]!;
    a.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    a.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  // Gaussian elimination with partial pivoting on the 8x9 augmented matrix.
  for (let col = 0; col < 8; col++) {
    let pivot = col;
    for (let r = col + 1; r < 8; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    for (let r = 0; r < 8; r++) {
      if (r === col) continue;
      const k = a[r]![col]! / a[col]![col]!;
      for (let c = col; c < 9; c++) a[r]![c]! -= k * a[col]![c]!;
    }
  }
  return a.map((row, i) => row[8]! / row[i]!);
}
