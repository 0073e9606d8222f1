// Face-verification evaluation: genuine/impostor similarity distributions on the tuning set
// (real images + synthetic chip-like/selfie-like variants + human's labelled demo descriptors),
// FNMR at FMR 1 % / 0.1 %, and figures on the held-out set at the chosen threshold.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { cosineSimilarity } from '../src/face/similarity.ts';
import {
  decodeImage,
  type FaceMatcher,
  type FaceTemplate,
  isVisionError,
  type Jpeg2000Codec,
} from '../src/index.ts';
import { fixture, HELD_OUT, TUNING_FACES } from '../test/synth/face-sets.ts';
import { chipLike, selfieLike, toRgb } from '../test/synth/face-variants.ts';

export interface Sample {
  identity: string;
  variant: string;
  template: FaceTemplate;
}

export interface FaceEval {
  samples: number;
  failures: { identity: string; variant: string; code: string }[];
  genuine: number[];
  impostor: number[];
  /** human's labelled demo descriptors; `solvay` = pairs involving the 1927 Solvay group photo faces */
  demo: {
    genuine: number[];
    impostor: number[];
    solvayImpostor: number[];
    compatibility: number | undefined;
  };
  /** image pairs only (real + synthetic variants, quality-gated) */
  images: { genuine: number[]; impostor: number[] };
  heldOut: { genuine: number[]; impostor: number[] };
  chipBytes: { jpeg: number[]; jp2: number[] };
}

const VARIANTS = [
  { name: 'chip-a', chip: { rotateDeg: 2, blurSigma: 0.6, jpegQuality: 30 } },
  { name: 'chip-b', chip: { rotateDeg: -3, blurSigma: 0.9, jpegQuality: 22 } },
  { name: 'selfie-a', selfie: { brightness: 1.15, rotateDeg: 4, noiseSigma: 5, jpegQuality: 80, seed: 1 } },
  {
    name: 'selfie-b',
    selfie: { brightness: 0.8, rotateDeg: -5, noiseSigma: 8, jpegQuality: 70, offsetX: 0.1, seed: 2 },
  },
  { name: 'selfie-turn', selfie: { brightness: 1, noiseSigma: 4, jpegQuality: 85, seed: 3, yawDeg: 25 } },
] as const;

async function variantsOf(
  identity: string,
  source: Buffer,
  matcher: FaceMatcher,
  codec: Jpeg2000Codec,
  failures: FaceEval['failures'],
  chipBytes: FaceEval['chipBytes'],
): Promise<Sample[]> {
  const rgb = await decodeImage(source, { jpeg2000: codec });
  // Tiles are cropped tight; give the detector the margin a real photo has.
  const padded = await toRgb(
    await selfieLike(rgb, { canvas: { width: 420, height: 420 }, faceShare: 0.62, jpegQuality: 95 }),
  );
  const out: Sample[] = [];
  const attempt = async (variant: string, make: () => Promise<FaceTemplate>) => {
    try {
      out.push({ identity, variant, template: await make() });
    } catch (e) {
      if (!isVisionError(e)) throw e;
      failures.push({ identity, variant, code: e.code });
    }
  };
  await attempt('original', () => matcher.referenceTemplate(source));
  for (const v of VARIANTS) {
    if ('chip' in v) {
      const chip = await chipLike(padded, codec, v.chip);
      chipBytes.jpeg.push(chip.jpegBytes);
      chipBytes.jp2.push(chip.jp2.length);
      await attempt(v.name, () => matcher.referenceTemplate(chip.jp2));
    } else {
      const { yawDeg, ...rest } = v.selfie as typeof v.selfie & { yawDeg?: number };
      const turn = yawDeg
        ? {
            yawDeg,
            face: {
              x: padded.width * 0.2,
              y: padded.height * 0.2,
              width: padded.width * 0.6,
              height: padded.height * 0.6,
            },
          }
        : undefined;
      const frame = await selfieLike(padded, { ...rest, ...(turn ? { turn } : {}) });
      await attempt(v.name, () => matcher.probeTemplate(frame));
    }
  }
  return out;
}

function pairs(samples: readonly Sample[]): { genuine: number[]; impostor: number[] } {
  const genuine: number[] = [];
  const impostor: number[] = [];
  for (let i = 0; i < samples.length; i++) {
    for (let j = i + 1; j < samples.length; j++) {
      const s = cosineSimilarity(samples[i]!.template.descriptor, samples[j]!.template.descriptor);
      (samples[i]!.identity === samples[j]!.identity ? genuine : impostor).push(s);
    }
  }
  return { genuine, impostor };
}

/** human's demo/facematch/faces.json: descriptors its author labelled by name (MIT, same model). */
function demoDescriptors(): { name: string; source: string; descriptor: Float32Array }[] {
  const require = createRequire(import.meta.url);
  const humanDir = path.resolve(path.dirname(require.resolve('@vladmandic/human')), '..');
  const raw = JSON.parse(readFileSync(path.join(humanDir, 'demo', 'facematch', 'faces.json'), 'utf8')) as {
    name: string;
    source: string;
    embedding: number[];
  }[];
  return raw.map((r) => ({ name: r.name, source: r.source, descriptor: Float32Array.from(r.embedding) }));
}

export async function evaluateFaces(matcher: FaceMatcher, codec: Jpeg2000Codec): Promise<FaceEval> {
  const failures: FaceEval['failures'] = [];
  const chipBytes: FaceEval['chipBytes'] = { jpeg: [], jp2: [] };
  const samples: Sample[] = [];
  for (const f of TUNING_FACES) {
    samples.push(...(await variantsOf(f.identity, fixture(f.file), matcher, codec, failures, chipBytes)));
  }
  const images = pairs(samples);
  const genuine = [...images.genuine];
  const impostor = [...images.impostor];

  const demo = demoDescriptors();
  const demoGenuine: number[] = [];
  const demoImpostor: number[] = [];
  const solvayImpostor: number[] = [];
  for (let i = 0; i < demo.length; i++) {
    for (let j = i + 1; j < demo.length; j++) {
      const s = cosineSimilarity(demo[i]!.descriptor, demo[j]!.descriptor);
      const solvay = [demo[i]!, demo[j]!].some((d) => d.source.includes('solvay1927'));
      if (demo[i]!.name === demo[j]!.name) demoGenuine.push(s);
      else (solvay ? solvayImpostor : demoImpostor).push(s);
    }
  }
  // Are the demo descriptors from the same model as ours? Compare the author's own face.
  const author = samples.find((s) => s.identity === 'human-author' && s.variant === 'original');
  const compatibility = author
    ? Math.max(
        ...demo
          .filter((d) => d.name === 'vlado')
          .map((d) => cosineSimilarity(d.descriptor, author.template.descriptor)),
      )
    : undefined;
  if (compatibility !== undefined && compatibility > 0.4) {
    genuine.push(...demoGenuine);
    impostor.push(...demoImpostor);
  }

  // Held-out set: never used to choose the threshold.
  const held: Sample[] = [
    ...(await variantsOf('icao-sample', fixture(HELD_OUT.portraitJp2), matcher, codec, failures, chipBytes)),
    ...(await variantsOf('human-author', fixture(HELD_OUT.webcam), matcher, codec, failures, chipBytes)),
  ];
  const heldOut = pairs(held);
  // Cross-session genuine pairs: the webcam frame against the tuning-set photo of the same man.
  for (const h of held.filter((s) => s.identity === 'human-author')) {
    for (const t of samples.filter((s) => s.identity === 'human-author')) {
      heldOut.genuine.push(cosineSimilarity(h.template.descriptor, t.template.descriptor));
    }
  }
  return {
    samples: samples.length,
    failures,
    genuine,
    impostor,
    demo: { genuine: demoGenuine, impostor: demoImpostor, solvayImpostor, compatibility },
    images,
    heldOut,
    chipBytes,
  };
}

/** Threshold giving at most `fmr` false matches among the impostor scores, and the FNMR there. */
export function operatingPoint(genuine: readonly number[], impostor: readonly number[], fmr: number) {
  const sorted = [...impostor].sort((a, b) => b - a);
  const allowed = Math.floor(fmr * sorted.length);
  // Threshold just above the (allowed+1)-th highest impostor score.
  const threshold = (sorted[allowed] ?? 0) + 1e-6;
  const fnmr = genuine.filter((g) => g < threshold).length / Math.max(1, genuine.length);
  return {
    threshold,
    fnmr,
    achievedFmr: sorted.filter((s) => s >= threshold).length / Math.max(1, sorted.length),
  };
}

export function rates(genuine: readonly number[], impostor: readonly number[], threshold: number) {
  return {
    fnmr: genuine.filter((g) => g < threshold).length / Math.max(1, genuine.length),
    fmr: impostor.filter((s) => s >= threshold).length / Math.max(1, impostor.length),
  };
}
