// Reads a QR code from camera pixels with @zxing/library (loaded only by the QR scanner, a lazy chunk).
// Pure: RGBA pixels in, the text or undefined out, so it runs in Node tests as in the browser.
import type * as Zxing from '@zxing/library';
// Deep imports: the package's index pulls in every barcode format (≈400 KB minified); QR alone is a quarter.
// The package has no "exports" or "type": TypeScript reads these ESM files as CommonJS, hence the casts.
import BinaryBitmapJs from '@zxing/library/esm/core/BinaryBitmap.js';
import HybridBinarizerJs from '@zxing/library/esm/core/common/HybridBinarizer.js';
import DecodeHintTypeJs from '@zxing/library/esm/core/DecodeHintType.js';
import QRCodeReaderJs from '@zxing/library/esm/core/qrcode/QRCodeReader.js';
import RGBLuminanceSourceJs from '@zxing/library/esm/core/RGBLuminanceSource.js';

const BinaryBitmap = BinaryBitmapJs as unknown as typeof Zxing.BinaryBitmap;
const HybridBinarizer = HybridBinarizerJs as unknown as typeof Zxing.HybridBinarizer;
const DecodeHintType = DecodeHintTypeJs as unknown as typeof Zxing.DecodeHintType;
const QRCodeReader = QRCodeReaderJs as unknown as typeof Zxing.QRCodeReader;
const RGBLuminanceSource = RGBLuminanceSourceJs as unknown as typeof Zxing.RGBLuminanceSource;

export interface Pixels {
  readonly data: Uint8ClampedArray;
  readonly width: number;
  readonly height: number;
}

const HINTS = new Map<Zxing.DecodeHintType, unknown>([[DecodeHintType.TRY_HARDER, true]]);

function read(luminances: Uint8ClampedArray, width: number, height: number): string | undefined {
  try {
    const bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(luminances, width, height)));
    return new QRCodeReader().decode(bitmap, HINTS).getText();
  } catch {
    // NotFound, Checksum and Format exceptions all mean "not read in this orientation".
    return undefined;
  }
}

/** The luminances turned a quarter clockwise (the picture's width becomes its height). */
function turn(luminances: Uint8ClampedArray, width: number, height: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(luminances.length);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) out[x * height + (height - 1 - y)] = luminances[y * width + x]!;
  return out;
}

/**
 * The QR code's text, or undefined when the picture holds none that reads (never throws). zxing's detector
 * misplaces the sampling grid of some codes (about 1 in 8 of our version 6 codes, even perfectly rendered
 * and square to the camera; qr-decode.test.ts); another orientation or a few degrees of tilt reads them. So
 * the picture is tried in all four orientations, or in the one `turn` (quarter turns clockwise) given: a
 * scanner turns one step per frame, a quarter of the work, while the hand holding the phone sways.
 */
export function decodeQr(pixels: Pixels, options: { turn?: 0 | 1 | 2 | 3 } = {}): string | undefined {
  const { data, width, height } = pixels;
  if (width <= 0 || height <= 0 || data.length < width * height * 4) return undefined;
  let luminances: Uint8ClampedArray = new Uint8ClampedArray(width * height);
  for (let i = 0, p = 0; i < luminances.length; i++, p += 4) {
    // ITU-R BT.601 weights, integer form.
    luminances[i] = (data[p]! * 77 + data[p + 1]! * 150 + data[p + 2]! * 29) >> 8;
  }
  let [w, h] = [width, height];
  const last = options.turn ?? 3;
  for (let turns = 0; turns <= last; turns++) {
    if (turns > 0) {
      luminances = turn(luminances, w, h);
      [w, h] = [h, w];
    }
    if (options.turn !== undefined && turns < options.turn) continue;
    const text = read(luminances, w, h);
    if (text !== undefined) return text;
  }
  return undefined;
}
