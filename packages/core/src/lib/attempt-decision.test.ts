import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { type AttemptPolicy, decideAttempt, type SecretState } from './attempt-decision.ts';

const policy: AttemptPolicy = { maxAttempts: 3, validityMs: 1000 };
const t0 = new Date('2024-01-01T00:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);
const fresh: SecretState = { issuedAt: t0, usedAt: null, failedAttempts: 0 };

describe('decideAttempt', () => {
  it('accepts a match within validity and marks the secret used', () => {
    const d = decideAttempt(policy, fresh, { matches: true, now: at(999) });
    assert.deepEqual(d, { outcome: 'ok', next: { ...fresh, usedAt: at(999) }, attemptsLeft: 3 });
  });

  it('counts wrong entries; the last allowed one reports exhausted', () => {
    let state = fresh;
    const outcomes: string[] = [];
    for (let i = 0; i < 4; i++) {
      const d = decideAttempt(policy, state, { matches: false, now: at(10) });
      outcomes.push(`${d.outcome}:${d.attemptsLeft}`);
      if (d.next !== undefined) state = d.next;
    }
    assert.deepEqual(outcomes, ['wrong:2', 'wrong:1', 'exhausted:0', 'exhausted:0']);
    assert.equal(state.failedAttempts, 3);
    // Once exhausted, even the right value is refused and nothing more is written.
    assert.deepEqual(decideAttempt(policy, state, { matches: true, now: at(10) }), {
      outcome: 'exhausted',
      next: undefined,
      attemptsLeft: 0,
    });
  });

  it('expires at issuedAt + validity, exactly', () => {
    assert.equal(decideAttempt(policy, fresh, { matches: true, now: at(999) }).outcome, 'ok');
    assert.equal(decideAttempt(policy, fresh, { matches: true, now: at(1000) }).outcome, 'expired');
    assert.equal(decideAttempt(policy, fresh, { matches: false, now: at(5000) }).next, undefined);
    assert.equal(
      decideAttempt({ maxAttempts: 3, validityMs: undefined }, fresh, { matches: true, now: at(1e12) })
        .outcome,
      'ok',
    );
  });

  it('answers "used" for a used secret whatever was entered', () => {
    const used = { ...fresh, usedAt: at(1) };
    for (const matches of [true, false]) {
      assert.equal(decideAttempt(policy, used, { matches, now: at(2) }).outcome, 'used');
    }
  });

  it('fails closed on corrupt state or clock', () => {
    const bad: SecretState[] = [
      { ...fresh, failedAttempts: -1 },
      { ...fresh, failedAttempts: 1.5 },
      { ...fresh, failedAttempts: Number.NaN },
    ];
    for (const s of bad)
      assert.equal(decideAttempt(policy, s, { matches: true, now: at(1) }).outcome, 'exhausted');
    assert.equal(
      decideAttempt(policy, { ...fresh, issuedAt: new Date('x') }, { matches: true, now: at(1) }).outcome,
      'expired',
    );
    assert.equal(decideAttempt(policy, fresh, { matches: true, now: new Date('x') }).outcome, 'expired');
    assert.equal(
      decideAttempt({ maxAttempts: 3, validityMs: Number.NaN }, fresh, { matches: true, now: at(1) }).outcome,
      'expired',
    );
    // Only the boolean true counts as a match.
    const notBool = { matches: 'yes' as unknown as boolean, now: at(1) };
    assert.equal(decideAttempt(policy, fresh, notBool).outcome, 'wrong');
  });

  it('never succeeds more than once nor after maxAttempts wrong entries (model check)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ matches: fc.boolean(), dt: fc.integer({ min: 0, max: 600 }) }), {
          maxLength: 12,
        }),
        (steps) => {
          let state = fresh;
          let now = 0;
          let oks = 0;
          let wrongs = 0;
          for (const step of steps) {
            now += step.dt;
            const d = decideAttempt(policy, state, { matches: step.matches, now: at(now) });
            if (d.outcome === 'ok') oks++;
            if (d.outcome === 'wrong' || (d.outcome === 'exhausted' && d.next !== undefined)) wrongs++;
            if (d.outcome === 'ok') assert.ok(wrongs < 3 && now < 1000 && step.matches);
            if (d.next !== undefined) state = d.next;
          }
          assert.ok(oks <= 1);
          assert.ok(wrongs <= 3);
          assert.equal(state.failedAttempts, wrongs);
        },
      ),
      { numRuns: 500 },
    );
  });
});
