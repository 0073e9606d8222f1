// Face verification on the held-out images (never used to tune the threshold): models load once.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { createVisionEngine, isVisionError, Jpeg2000Codec, type VisionEngine } from '../src/index.ts';
import { fixture, HELD_OUT } from './synth/face-sets.ts';
import { chipLike, selfieLike, sharpOf } from './synth/face-variants.ts';
import { portraitSource, webcamSource } from './synth/liveness-frames.ts';

let engine: VisionEngine;
let codec: Jpeg2000Codec;
before(async () => {
  engine = await createVisionEngine({ load: { face: true, mrz: false }, queues: { face: { maxQueued: 0 } } });
  codec = await Jpeg2000Codec.load();
});
after(() => engine.close());

test('same person matches: chip portrait (JP2) vs selfie frame; chip-like copy vs selfie', async () => {
  const portrait = await portraitSource(codec);
  const selfie = await selfieLike(portrait, {
    brightness: 1.1,
    rotateDeg: 3,
    noiseSigma: 5,
    jpegQuality: 80,
  });
  const a = await engine.faceMatcher.verify(fixture(HELD_OUT.portraitJp2), selfie);
  assert.equal(a.match, true, `similarity ${a.similarity}`);
  assert.equal(a.threshold, engine.faceThreshold);

  const { image: webcam } = await webcamSource();
  const chip = await chipLike(await padded(webcam), codec, {
    rotateDeg: -2,
    blurSigma: 0.8,
    jpegQuality: 30,
  });
  const webcamSelfie = await selfieLike(webcam, {
    brightness: 0.9,
    noiseSigma: 4,
    jpegQuality: 80,
    offsetX: 0.1,
  });
  const b = await engine.faceMatcher.verify(chip.jp2, webcamSelfie);
  assert.equal(b.match, true, `similarity ${b.similarity}`);
});

test('different people do not match', async () => {
  const portrait = await portraitSource(codec);
  const { image: webcam } = await webcamSource();
  const r = await engine.faceMatcher.verify(
    fixture(HELD_OUT.portraitJp2),
    await selfieLike(webcam, { jpegQuality: 85 }),
  );
  assert.equal(r.match, false, `similarity ${r.similarity}`);
  const chip = await chipLike(await padded(webcam), codec, { rotateDeg: 2, blurSigma: 0.6, jpegQuality: 30 });
  const r2 = await engine.faceMatcher.verify(chip.jp2, await selfieLike(portrait, { jpegQuality: 85 }));
  assert.equal(r2.match, false, `similarity ${r2.similarity}`);
});

test('capture problems have their own codes', async () => {
  const portrait = await portraitSource(codec);
  const blank = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#6d737b' } })
    .jpeg()
    .toBuffer();
  await assert.rejects(engine.faceMatcher.probeTemplate(blank), (e) => isVisionError(e, 'ERR_FACE_NONE'));
  const tiny = await selfieLike(portrait, { faceShare: 0.1, jpegQuality: 90 });
  await assert.rejects(engine.faceMatcher.probeTemplate(tiny), (e) => isVisionError(e, 'ERR_FACE_TOO_SMALL'));
  const dark = await selfieLike(portrait, { brightness: 0.2, jpegQuality: 90 });
  await assert.rejects(engine.faceMatcher.probeTemplate(dark), (e) => isVisionError(e, 'ERR_FACE_TOO_DARK'));
  const { image: webcam } = await webcamSource();
  const left = await sharpOf(portrait).resize({ height: 300 }).png().toBuffer();
  const right = await sharpOf(webcam).resize({ height: 300 }).png().toBuffer();
  const two = await sharp({ create: { width: 720, height: 400, channels: 3, background: '#6d737b' } })
    .composite([
      { input: left, left: 40, top: 50 },
      { input: right, left: 420, top: 50 },
    ])
    .jpeg()
    .toBuffer();
  await assert.rejects(engine.faceMatcher.probeTemplate(two), (e) => isVisionError(e, 'ERR_FACE_MULTIPLE'));
  // A selfie must be a camera format; JPEG 2000 is only accepted for the chip portrait.
  await assert.rejects(engine.faceMatcher.probeTemplate(fixture(HELD_OUT.portraitJp2)), (e) =>
    isVisionError(e, 'ERR_IMAGE_FORMAT'),
  );
});

test('a full queue answers ERR_BUSY instead of queueing without bound', async () => {
  const selfie = await selfieLike(await portraitSource(codec), { jpegQuality: 85 });
  const first = engine.faceMatcher.probeTemplate(selfie);
  await assert.rejects(engine.faceMatcher.probeTemplate(selfie), (e) => isVisionError(e, 'ERR_BUSY'));
  assert.equal((await first).descriptor.length, 1024);
});

async function padded(image: { data: Uint8Array; width: number; height: number }) {
  const { toRgb } = await import('./synth/face-variants.ts');
  return toRgb(
    await selfieLike(image, { canvas: { width: 420, height: 420 }, faceShare: 0.62, jpegQuality: 95 }),
  );
}
