import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  classifyPose,
  DEFAULT_POSE_THRESHOLDS,
  type FramePose,
  movementRuns,
  movementStrength,
  performedSequence,
} from './pose-sequence.ts';

const base = { yaw: 2, pitch: -6, widthRatio: 0.4 };

test('classifies movements relative to the neutral frame', () => {
  const t = DEFAULT_POSE_THRESHOLDS;
  assert.equal(classifyPose(base, base, t), 'neutral');
  assert.equal(classifyPose({ ...base, yaw: 14 }, base, t), 'turn-left');
  assert.equal(classifyPose({ ...base, yaw: -12 }, base, t), 'turn-right');
  assert.equal(classifyPose({ ...base, pitch: 8 }, base, t), 'look-up');
  assert.equal(classifyPose({ ...base, pitch: -20 }, base, t), 'look-down');
  assert.equal(classifyPose({ ...base, widthRatio: 0.6 }, base, t), 'move-closer');
  assert.equal(classifyPose({ ...base, yaw: 8 }, base, t), 'between');
});

test('collapses runs and drops neutral frames', () => {
  const poses: FramePose[] = [
    'neutral',
    'turn-left',
    'turn-left',
    'between',
    'neutral',
    'turn-right',
    'look-up',
  ];
  assert.deepEqual(performedSequence(poses), [
    { step: 'turn-left', frame: 1 },
    { step: 'turn-right', frame: 5 },
    { step: 'look-up', frame: 6 },
  ]);
  // Going back to neutral and repeating a movement counts twice; in-between frames do not split.
  assert.deepEqual(
    performedSequence(['turn-left', 'neutral', 'turn-left', 'between', 'turn-left']).map((s) => s.step),
    ['turn-left', 'turn-left'],
  );
});

test('performedSequence never reports neutral/between and never two equal movements in a row without neutral', () => {
  const pose = fc.constantFrom<FramePose>(
    'neutral',
    'between',
    'turn-left',
    'turn-right',
    'look-up',
    'move-closer',
  );
  fc.assert(
    fc.property(fc.array(pose, { maxLength: 30 }), (poses) => {
      const seq = performedSequence(poses);
      for (const s of seq) assert.ok(s.step !== 'neutral' && s.step !== 'between');
      for (let i = 1; i < seq.length; i++) {
        if (seq[i]!.step === seq[i - 1]!.step) {
          const between = poses.slice(seq[i - 1]!.frame, seq[i]!.frame);
          assert.ok(between.includes('neutral'));
        }
      }
    }),
    { numRuns: 300 },
  );
});

test('movement runs list every frame of a movement; strength grows with the movement', () => {
  assert.deepEqual(movementRuns(['neutral', 'turn-left', 'between', 'turn-left', 'neutral', 'look-up']), [
    { step: 'turn-left', frames: [1, 3] },
    { step: 'look-up', frames: [5] },
  ]);
  const t = DEFAULT_POSE_THRESHOLDS;
  assert.equal(movementStrength(base, base, t), 0);
  assert.ok(
    movementStrength({ ...base, yaw: 30 }, base, t) > movementStrength({ ...base, yaw: 14 }, base, t),
  );
  assert.ok(movementStrength({ ...base, widthRatio: 0.6 }, base, t) >= 1);
});

test('every frame of a movement run is classified as that movement, and runs cover all movement frames', () => {
  const pose = fc.constantFrom<FramePose>('neutral', 'between', 'turn-left', 'look-up', 'move-closer');
  fc.assert(
    fc.property(fc.array(pose, { maxLength: 30 }), (poses) => {
      const runs = movementRuns(poses);
      const covered = runs.flatMap((r) => r.frames);
      for (const r of runs) for (const f of r.frames) assert.equal(poses[f], r.step);
      const movementFrames = poses.flatMap((p, i) => (p === 'neutral' || p === 'between' ? [] : [i]));
      assert.deepEqual(covered, movementFrames);
    }),
    { numRuns: 300 },
  );
});
