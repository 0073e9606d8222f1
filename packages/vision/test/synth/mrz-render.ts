// Synthetic ID documents for MRZ OCR tests and evaluation: random but valid TD1/TD3 MRZs (check
// digits per ICAO Doc 9303-3 §4.9) rendered in OCR-B (Debian fonts-ocr-b) on a card, then shot
// "by a camera": perspective, blur, uneven light and sensor noise.

import sharp from 'sharp';
import type { RgbImage } from '../../src/image/rgb-image.ts';
import { addNoise, prng, sharpOf, toRgb } from './face-variants.ts';
import { type Quad, warpPerspective } from './warp.ts';

/** ICAO 9303-3 §4.9: weights 7-3-1, A-Z = 10-35, '<' = 0. */
export function checkDigit(field: string): string {
  const weights = [7, 3, 1];
  let sum = 0;
  for (let i = 0; i < field.length; i++) {
    const c = field[i]!;
    const v = c === '<' ? 0 : c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : c.charCodeAt(0) - 55;
    sum += v * weights[i % 3]!;
  }
  return String(sum % 10);
}

export interface SyntheticMrz {
  format: 'TD1' | 'TD3';
  lines: string[];
}

const SURNAMES = [
  'ERIKSSON',
  'HANSEN',
  'NIELSEN',
  'JENSEN',
  'OLSEN',
  'MOLLER',
  'PEDERSEN',
  'KRISTENSEN',
  'LARSEN',
];
const GIVEN = ['ANNA', 'MARIA', 'PETER', 'SOREN', 'METTE', 'JONAS', 'KAREN', 'ANDERS', 'IDA', 'EMIL'];
const STATES = ['UTO', 'DNK', 'D<<', 'NLD', 'SWE', 'NOR'];

export function randomMrz(format: 'TD1' | 'TD3', random: () => number): SyntheticMrz {
  const pick = <T>(a: readonly T[]) => a[Math.floor(random() * a.length)]!;
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');
  const alnum = (n: number) =>
    Array.from({ length: n }, () => '0123456789ABCDEFGHJKLMNPRSTUVWXYZ'[Math.floor(random() * 33)]).join('');
  const date = (yFrom: number, ySpan: number) =>
    `${String((yFrom + Math.floor(random() * ySpan)) % 100).padStart(2, '0')}${String(1 + Math.floor(random() * 12)).padStart(2, '0')}${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`;
  const state = pick(STATES);
  const nationality = pick(STATES);
  const docNo = `${alnum(2)}${digits(7)}`;
  const birth = date(50, 50);
  const expiry = date(26, 10);
  const sex = pick(['M', 'F', '<']);
  const name = `${pick(SURNAMES)}<<${pick(GIVEN)}${random() < 0.5 ? `<${pick(GIVEN)}` : ''}`;
  if (format === 'TD3') {
    const personal = random() < 0.5 ? digits(10).padEnd(14, '<') : '<'.repeat(14);
    const personalCd = personal === '<'.repeat(14) ? '<' : checkDigit(personal);
    const l1 = `P<${state}${name}`.padEnd(44, '<').slice(0, 44);
    const part = `${docNo}${checkDigit(docNo)}${nationality}${birth}${checkDigit(birth)}${sex}${expiry}${checkDigit(expiry)}${personal}${personalCd}`;
    const composite = `${docNo}${checkDigit(docNo)}${birth}${checkDigit(birth)}${expiry}${checkDigit(expiry)}${personal}${personalCd}`;
    return { format, lines: [l1, `${part}${checkDigit(composite)}`] };
  }
  const optional1 = random() < 0.5 ? alnum(6).padEnd(15, '<') : '<'.repeat(15);
  const l1 = `I<${state}${docNo}${checkDigit(docNo)}${optional1}`;
  const optional2 = '<'.repeat(11);
  const l2head = `${birth}${checkDigit(birth)}${sex}${expiry}${checkDigit(expiry)}${nationality}${optional2}`;
  // TD1 composite: line 1 positions 6-30, line 2 positions 1-7, 9-15, 19-29 (9303-5 §4.2.2).
  const composite = `${l1.slice(5, 30)}${l2head.slice(0, 7)}${l2head.slice(8, 15)}${l2head.slice(18, 29)}`;
  const l3 = name.padEnd(30, '<').slice(0, 30);
  return { format, lines: [l1, `${l2head}${checkDigit(composite)}`, l3] };
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** Renders a card with printed fields, a photo box and the MRZ in OCR-B. */
export async function renderDocument(mrz: SyntheticMrz): Promise<RgbImage> {
  const td3 = mrz.format === 'TD3';
  // Card proportions: TD3 data page 125x88 mm, TD1 85.6x54 mm.
  const width = td3 ? 1250 : 1070;
  const height = td3 ? 880 : 675;
  const chars = td3 ? 44 : 30;
  // OCR-B advances 0.7 em per character.
  const fontSize = Math.floor((width - 90) / chars / 0.7);
  const lineGap = Math.round(fontSize * 1.45);
  const top = height - 40 - lineGap * mrz.lines.length + fontSize;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#e9efe6"/><stop offset="1" stop-color="#dfe6ee"/></linearGradient></defs>
<rect width="100%" height="100%" rx="24" fill="url(#g)"/>
<rect x="50" y="110" width="${td3 ? 300 : 240}" height="${td3 ? 380 : 300}" fill="#aab6bd"/>
<text x="${td3 ? 400 : 330}" y="80" font-family="DejaVu Sans" font-size="34" fill="#2b3a55">${td3 ? 'PASSPORT / PASS' : 'IDENTITY CARD'}</text>
<text x="${td3 ? 400 : 330}" y="160" font-family="DejaVu Sans" font-size="24" fill="#444">Surname / Efternavn</text>
<text x="${td3 ? 400 : 330}" y="195" font-family="DejaVu Sans" font-size="30" fill="#111">${esc(mrz.lines[td3 ? 0 : 2]!.split('<<')[0]!.replace(/^P<.../, ''))}</text>
<text x="${td3 ? 400 : 330}" y="260" font-family="DejaVu Sans" font-size="24" fill="#444">Date of birth 12 AUG 1974</text>
${mrz.lines.map((l, i) => `<text x="45" y="${top + i * lineGap}" font-family="OCR B" font-size="${fontSize}" fill="#151515" xml:space="preserve">${esc(l)}</text>`).join('\n')}
</svg>`;
  return toRgb(await sharp(Buffer.from(svg)).png().toBuffer());
}

export interface CameraOptions {
  seed: number;
  /** how far the corners move, share of the document size (0 = flat scan) */
  perspective: number;
  blurSigma: number;
  noiseSigma: number;
  /** frame size */
  width: number;
  height: number;
  jpegQuality: number;
}

export const DEFAULT_CAMERA: Readonly<Omit<CameraOptions, 'seed'>> = Object.freeze({
  perspective: 0.06,
  blurSigma: 1.0,
  noiseSigma: 6,
  width: 1280,
  height: 960,
  jpegQuality: 80,
});

/** Places the document in a camera frame with perspective, lighting gradient, blur and noise. */
export async function cameraShot(doc: RgbImage, options: CameraOptions): Promise<Buffer> {
  const random = prng(options.seed);
  const { width, height } = options;
  const docW = width * 0.82;
  const docH = (docW * doc.height) / doc.width;
  const x0 = (width - docW) / 2;
  const y0 = (height - docH) / 2;
  const j = () => (random() * 2 - 1) * options.perspective;
  const quad: Quad = [
    [x0 + j() * docW, y0 + j() * docH],
    [x0 + docW + j() * docW, y0 + j() * docH],
    [x0 + docW + j() * docW, y0 + docH + j() * docH],
    [x0 + j() * docW, y0 + docH + j() * docH],
  ];
  let frame = warpPerspective(doc, quad, width, height, [58, 52, 46]);
  // Uneven light: a horizontal gain ramp, as from a lamp on one side.
  const gainLeft = 0.8 + random() * 0.3;
  const gainRight = 0.8 + random() * 0.3;
  const lit = new Uint8Array(frame.data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const g = gainLeft + ((gainRight - gainLeft) * x) / width;
      for (let c = 0; c < 3; c++) {
        const i = (y * width + x) * 3 + c;
        lit[i] = Math.min(255, Math.round(frame.data[i]! * g));
      }
    }
  }
  frame = { data: lit, width, height };
  frame = await toRgb(await sharpOf(frame).blur(Math.max(0.3, options.blurSigma)).png().toBuffer());
  frame = addNoise(frame, options.noiseSigma, random);
  return sharpOf(frame).jpeg({ quality: options.jpegQuality }).toBuffer();
}
