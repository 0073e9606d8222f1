// MRZ OCR on synthetic TD1/TD3 camera frames (OCR-B, perspective, blur, noise). OCR models load once.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { createVisionEngine, isVisionError, type VisionEngine } from '../src/index.ts';
import { prng } from './synth/face-variants.ts';
import { cameraShot, checkDigit, DEFAULT_CAMERA, randomMrz, renderDocument } from './synth/mrz-render.ts';

let engine: VisionEngine;
before(async () => {
  engine = await createVisionEngine({ load: { face: false, mrz: true } });
});
after(() => engine.close());

for (const [format, seed] of [
  ['TD3', 11],
  ['TD1', 12],
] as const) {
  test(`reads a ${format} camera frame with every check digit valid`, async () => {
    const truth = randomMrz(format, prng(seed));
    const frame = await cameraShot(await renderDocument(truth), { ...DEFAULT_CAMERA, seed });
    const r = await engine.mrz.read(frame);
    assert.equal(r.format, format);
    assert.deepEqual(r.lines, truth.lines);
    assert.ok(r.confidence > 0.5 && r.confidence <= 1);
    // Recompute the ICAO 9303-3 §4.9 check digits independently of the mrz package.
    const l = r.lines;
    if (format === 'TD3') {
      const l2 = l[1]!;
      assert.equal(checkDigit(l2.slice(0, 9)), l2[9]);
      assert.equal(checkDigit(l2.slice(13, 19)), l2[19]);
      assert.equal(checkDigit(l2.slice(21, 27)), l2[27]);
      assert.equal(checkDigit(l2.slice(0, 10) + l2.slice(13, 20) + l2.slice(21, 43)), l2[43]);
    } else {
      assert.equal(checkDigit(l[0]!.slice(5, 14)), l[0]![14]);
      assert.equal(checkDigit(l[1]!.slice(0, 6)), l[1]![6]);
      assert.equal(checkDigit(l[1]!.slice(8, 14)), l[1]![14]);
      assert.equal(
        checkDigit(l[0]!.slice(5, 30) + l[1]!.slice(0, 7) + l[1]!.slice(8, 15) + l[1]!.slice(18, 29)),
        l[1]![29],
      );
    }
  });
}

test('a frame without an MRZ is ERR_MRZ_NOT_FOUND', async () => {
  const frame = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#8a8f96' } })
    .jpeg()
    .toBuffer();
  await assert.rejects(engine.mrz.read(frame), (e) => isVisionError(e, 'ERR_MRZ_NOT_FOUND'));
});

test('the OCR child process is replaced after N frames and after a crash, and keeps reading', async () => {
  const recycling = await createVisionEngine({
    load: { face: false, mrz: true },
    ocrProcess: { recycleAfterFrames: 1 },
  });
  try {
    const truth = randomMrz('TD3', prng(11));
    const frame = await cameraShot(await renderDocument(truth), { ...DEFAULT_CAMERA, seed: 11 });
    const first = recycling.ocrProcess?.pid;
    assert.deepEqual((await recycling.mrz.read(frame)).lines, truth.lines);
    const second = recycling.ocrProcess?.pid;
    assert.ok(first !== undefined && second !== undefined && second !== first);
    // A child killed while idle (e.g. by the OOM killer) is replaced on the next frame.
    process.kill(second, 'SIGKILL');
    assert.deepEqual((await recycling.mrz.read(frame)).lines, truth.lines);
    assert.notEqual(recycling.ocrProcess?.pid, second);
  } finally {
    recycling.close();
  }
});
