// Active liveness on synthetic sessions built from the held-out ICAO sample portrait. Models load
// once; each accepted/rejected session analyses ~11 frames.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  createVisionEngine,
  type FaceTemplate,
  isVisionError,
  Jpeg2000Codec,
  type LivenessChallenge,
  type LivenessFrame,
  type RgbImage,
  type VisionEngine,
} from '../src/index.ts';
import { fixture, HELD_OUT } from './synth/face-sets.ts';
import { planFor, portraitSource, session, webcamSource } from './synth/liveness-frames.ts';

const T0 = 1_800_000_000_000;
const clock = { now: T0 };
let engine: VisionEngine;
let reference: FaceTemplate;
let portrait: RgbImage;
const challenge: LivenessChallenge = {
  id: 'test-challenge',
  steps: ['turn-left', 'look-up', 'move-closer'],
  issuedAt: T0,
  deadline: T0 + 20_000,
};
let good: LivenessFrame[];

before(async () => {
  engine = await createVisionEngine({ load: { face: true, mrz: false }, now: () => clock.now });
  reference = await engine.faceMatcher.referenceTemplate(fixture(HELD_OUT.portraitJp2));
  portrait = await portraitSource(await Jpeg2000Codec.load());
  good = await session(portrait, planFor(challenge.steps));
});
after(() => engine.close());

test('accepts a session that performs the challenge in order and in time', async () => {
  clock.now = T0 + 6_000;
  const r = await engine.liveness.verify({ challenge, frames: good, reference });
  assert.deepEqual(
    r.performed.map((p) => p.step),
    ['turn-left', 'look-up', 'move-closer'],
  );
  assert.ok(r.referenceSimilarity >= engine.faceThreshold);
  assert.equal(r.challengeId, 'test-challenge');
});

test('rejects a still image', async () => {
  clock.now = T0 + 6_000;
  const still = good.slice(0, 1);
  const frames = Array.from({ length: 8 }, (_, i) => ({ image: still[0]!.image, at: 500 + i * 400 }));
  await assert.rejects(engine.liveness.verify({ challenge, frames, reference }), (e) =>
    isVisionError(e, 'ERR_LIVENESS_SEQUENCE'),
  );
});

test('rejects the right movements in the wrong order', async () => {
  clock.now = T0 + 6_000;
  const frames = await session(portrait, planFor(['look-up', 'turn-left', 'move-closer']));
  await assert.rejects(
    engine.liveness.verify({ challenge, frames, reference }),
    (e) =>
      isVisionError(e, 'ERR_LIVENESS_SEQUENCE') &&
      (e.details?.['performed'] as string[] | undefined)?.[0] === 'look-up',
  );
});

test('rejects a late upload and frames stamped after the deadline', async () => {
  clock.now = challenge.deadline + 60_000;
  await assert.rejects(engine.liveness.verify({ challenge, frames: good, reference }), (e) =>
    isVisionError(e, 'ERR_LIVENESS_EXPIRED'),
  );
  clock.now = T0 + 6_000;
  const late = good.map((f, i) => ({ ...f, at: 15_000 + i * 1_000 }));
  await assert.rejects(engine.liveness.verify({ challenge, frames: late, reference }), (e) =>
    isVisionError(e, 'ERR_LIVENESS_EXPIRED'),
  );
  const shuffled = [good[1]!, good[0]!, ...good.slice(2)];
  await assert.rejects(engine.liveness.verify({ challenge, frames: shuffled, reference }), (e) =>
    isVisionError(e, 'ERR_LIVENESS_TIMESTAMPS'),
  );
});

test('rejects a face swapped mid-sequence', async () => {
  clock.now = T0 + 6_000;
  const { image, face } = await webcamSource();
  const other = await session(image, ['neutral', 'neutral', 'move-closer', 'move-closer', 'neutral'], {
    face,
  });
  const frames = [...good.slice(0, 6), ...other].map((f, i) => ({ ...f, at: 500 + i * 400 }));
  await assert.rejects(
    engine.liveness.verify({ challenge, frames, reference }),
    (e) => isVisionError(e, 'ERR_LIVENESS_FACE_CHANGED') && (e.details?.['frame'] as number) >= 6,
  );
});

test('rejects a face swapped into one movement only, the session ending with the holder', async () => {
  clock.now = T0 + 6_000;
  const { image, face } = await webcamSource();
  const other = await session(image, ['move-closer', 'move-closer'], { face });
  // planFor: N N L L N U U N C C N — frames 8 and 9 (the move closer) come from someone else.
  const frames = [...good.slice(0, 8), ...other, good[10]!].map((f, i) => ({ ...f, at: 500 + i * 400 }));
  await assert.rejects(
    engine.liveness.verify({ challenge, frames, reference }),
    (e) => isVisionError(e, 'ERR_LIVENESS_FACE_CHANGED') && [8, 9].includes(e.details?.['frame'] as number),
  );
});

test('accepts the shortest session: one neutral frame and one frame per movement', async () => {
  clock.now = T0 + 6_000;
  const frames = await session(portrait, ['neutral', ...challenge.steps]);
  const r = await engine.liveness.verify({ challenge, frames, reference });
  assert.deepEqual(
    r.performed.map((p) => p.step),
    [...challenge.steps],
  );
});
