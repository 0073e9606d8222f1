import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isVisionError } from '../errors.ts';
import { createChallenge, LIVENESS_STEPS } from './challenge.ts';

test('draws distinct steps with a deadline from the server clock', () => {
  for (let i = 0; i < 50; i++) {
    const c = createChallenge({ now: () => 1_000_000 }, { steps: 3, ttlMs: 15_000 });
    assert.equal(c.steps.length, 3);
    assert.equal(new Set(c.steps).size, 3);
    for (const s of c.steps) assert.ok(LIVENESS_STEPS.includes(s));
    assert.equal(c.issuedAt, 1_000_000);
    assert.equal(c.deadline, 1_015_000);
    assert.match(c.id, /^[A-Za-z0-9_-]{22}$/);
  }
});

test('every order is reachable (the shuffle uses the injected random source)', () => {
  const seen = new Set<string>();
  let k = 0;
  const randomInt = (max: number) => k++ % max;
  for (let i = 0; i < 200; i++)
    seen.add(createChallenge({ now: () => 0, randomInt }, { steps: 2, ttlMs: 10_000 }).steps.join());
  assert.ok(seen.size >= 6, [...seen].join(' '));
});

test('rejects unusable settings', () => {
  assert.throws(
    () => createChallenge({ now: () => 0 }, { steps: 1, ttlMs: 10_000 }),
    (e) => isVisionError(e, 'ERR_USAGE'),
  );
  assert.throws(
    () => createChallenge({ now: () => 0 }, { steps: 3, ttlMs: 500 }),
    (e) => isVisionError(e, 'ERR_USAGE'),
  );
});
