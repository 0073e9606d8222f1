import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isVisionError, type VisionErrorCode } from '../errors.ts';
import type { FaceObservation } from './face-analyzer.ts';
import { DEFAULT_FACE_QUALITY, selectSingleFace } from './face-quality.ts';

const good: FaceObservation = {
  box: { x: 100, y: 80, width: 220, height: 220 },
  score: 0.98,
  yaw: 3,
  pitch: -5,
  roll: 1,
  eyeOpenness: 0.4,
  brightness: 140,
  widthRatio: 0.4,
  descriptor: new Float32Array(4).fill(1),
  real: undefined,
  live: undefined,
};
const options = { policy: DEFAULT_FACE_QUALITY, frontal: true };

function rejects(faces: FaceObservation[], code: VisionErrorCode, frontal = true) {
  assert.throws(
    () => selectSingleFace(faces, { policy: DEFAULT_FACE_QUALITY, frontal }),
    (e) => isVisionError(e, code),
  );
}

test('accepts one good face and ignores small background faces', () => {
  assert.equal(selectSingleFace([good], options), good);
  const background = { ...good, box: { ...good.box, width: 60 } };
  assert.equal(selectSingleFace([background, good], options), good);
});

test('each capture problem has its own code', () => {
  rejects([], 'ERR_FACE_NONE');
  rejects([good, { ...good, box: { ...good.box, x: 400, width: 200 } }], 'ERR_FACE_MULTIPLE');
  rejects([{ ...good, box: { ...good.box, width: 50 } }], 'ERR_FACE_TOO_SMALL');
  rejects([{ ...good, brightness: 20 }], 'ERR_FACE_TOO_DARK');
  rejects([{ ...good, yaw: 40 }], 'ERR_LOOKING_AWAY');
  rejects([{ ...good, pitch: -35 }], 'ERR_LOOKING_AWAY');
  rejects([{ ...good, eyeOpenness: 0.1 }], 'ERR_EYES_CLOSED');
});

test('liveness frames (frontal: false) may be turned and blink', () => {
  const turned = { ...good, yaw: 40, eyeOpenness: 0.1 };
  assert.equal(selectSingleFace([turned], { policy: DEFAULT_FACE_QUALITY, frontal: false }), turned);
  rejects([{ ...turned, brightness: 10 }], 'ERR_FACE_TOO_DARK', false);
});
