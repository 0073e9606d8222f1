// `npm run bench -w packages/vision`: ms per face verification (DG2 JP2 + one selfie), per liveness
// check of 10 frames, per MRZ OCR frame, and RSS with every model loaded.
// Run: node --import tsx packages/vision/bench/bench.ts [--runs N]

import { createVisionEngine, Jpeg2000Codec } from '../src/index.ts';
import { fixture, HELD_OUT } from '../test/synth/face-sets.ts';
import { prng, selfieLike } from '../test/synth/face-variants.ts';
import { portraitSource, session } from '../test/synth/liveness-frames.ts';
import { cameraShot, DEFAULT_CAMERA, randomMrz, renderDocument } from '../test/synth/mrz-render.ts';

const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 20;
const T0 = Date.now();
const clock = { now: T0 };

const tLoad = performance.now();
const engine = await createVisionEngine({ now: () => clock.now });
const loadMs = performance.now() - tLoad;
const rssLoaded = process.memoryUsage().rss;

const pct = (a: number[], p: number) => {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
};
const line = (name: string, a: number[]) =>
  console.log(
    `${name.padEnd(34)} p50 ${pct(a, 0.5).toFixed(0).padStart(5)} ms   p95 ${pct(a, 0.95).toFixed(0).padStart(5)} ms   (n=${a.length})`,
  );

const dg2 = fixture(HELD_OUT.portraitJp2);
const portrait = await portraitSource(await Jpeg2000Codec.load());
const selfies = await Promise.all(
  Array.from({ length: 4 }, (_, i) =>
    selfieLike(portrait, {
      noiseSigma: 4,
      jpegQuality: 85,
      seed: i + 1,
      canvas: { width: 1280, height: 720 },
    }),
  ),
);
const face: number[] = [];
for (let i = 0; i < runs + 2; i++) {
  const t = performance.now();
  await engine.faceMatcher.verify(dg2, selfies[i % selfies.length]!);
  if (i >= 2) face.push(performance.now() - t); // first runs warm the wasm kernels
}

const rssFace = process.memoryUsage().rss;
const reference = await engine.faceMatcher.referenceTemplate(dg2);
const steps = ['turn-left', 'look-up', 'move-closer'] as const;
const frames = await session(portrait, [
  'neutral',
  'turn-left',
  'turn-left',
  'neutral',
  'look-up',
  'look-up',
  'neutral',
  'move-closer',
  'move-closer',
  'neutral',
]);
const challenge = { id: 'bench', steps, issuedAt: T0, deadline: T0 + 20_000 };
const liveness: number[] = [];
for (let i = 0; i < Math.max(3, Math.ceil(runs / 4)); i++) {
  const t = performance.now();
  await engine.liveness.verify({ challenge, frames, reference });
  liveness.push(performance.now() - t);
}

const rssLiveness = process.memoryUsage().rss;
const mrzFrames = await Promise.all(
  Array.from({ length: 4 }, async (_, i) => {
    const truth = randomMrz(i % 2 ? 'TD1' : 'TD3', prng(500 + i));
    return cameraShot(await renderDocument(truth), { ...DEFAULT_CAMERA, seed: 500 + i });
  }),
);
const ocr: number[] = [];
for (let i = 0; i < Math.max(4, Math.ceil(runs / 2)); i++) {
  const t = performance.now();
  await engine.mrz.read(mrzFrames[i % mrzFrames.length]!).catch(() => undefined);
  ocr.push(performance.now() - t);
}
const rssAfter = process.memoryUsage().rss;

const mb = (x: number) => `${(x / 2 ** 20).toFixed(0)} MB`;
console.log(`models loaded in ${loadMs.toFixed(0)} ms; RSS with models loaded ${mb(rssLoaded)}`);
console.log(
  `RSS after face runs ${mb(rssFace)}, after liveness ${mb(rssLiveness)}, after OCR ${mb(rssAfter)}`,
);
line('face verification (DG2 + selfie)', face);
line('liveness check, 10 frames', liveness);
line('MRZ OCR, 1280x960 frame', ocr);
console.log('targets: face p50 <= 200 ms, OCR <= 500 ms per frame, RSS <= 600 MB');
engine.close();
