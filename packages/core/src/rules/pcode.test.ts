import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decidePcodeAttempt, generatePcode, PCODE_POLICY, type PcodeState, parsePcode } from './pcode.ts';

const DAY = 24 * 60 * 60 * 1000;
const issuedAt = new Date('2024-03-01T10:00:00Z');
const after = (ms: number) => new Date(issuedAt.getTime() + ms);
const fresh: PcodeState = { issuedAt, usedAt: null, failedAttempts: 0 };

describe('P-code policy', () => {
  it('is 8 digits, 60 days, 3 attempts', () => {
    assert.deepEqual({ ...PCODE_POLICY }, { length: 8, validityMs: 60 * DAY, maxAttempts: 3 });
  });

  it('parses 8 digits, with spaces or dashes between groups', () => {
    assert.deepEqual(parsePcode('12345678'), { ok: true, value: '12345678' });
    assert.deepEqual(parsePcode('1234 5678'), { ok: true, value: '12345678' });
    assert.deepEqual(parsePcode('1234-5678'), { ok: true, value: '12345678' });
    for (const bad of ['1234567', '123456789', 'abcdefgh', '1234567x', '', null, 12345678]) {
      const r = parsePcode(bad);
      assert.ok(!r.ok && r.error.code === 'ERR_PCODE_FORMAT', String(bad));
    }
  });

  it('generates valid P-codes', () => {
    for (let i = 0; i < 20; i++) assert.ok(parsePcode(generatePcode()).ok);
  });
});

describe('decidePcodeAttempt', () => {
  it('accepts the right code on day 59 and marks it used', () => {
    const d = decidePcodeAttempt(fresh, { matches: true, now: after(59 * DAY) });
    assert.equal(d.outcome, 'ok');
    assert.equal(d.error, undefined);
    assert.deepEqual(d.next?.usedAt, after(59 * DAY));
  });

  it('an expired P-code: ERR_PCODE_EXPIRED (410), even when right', () => {
    const d = decidePcodeAttempt(fresh, { matches: true, now: after(60 * DAY) });
    assert.equal(d.outcome, 'expired');
    assert.equal(d.error?.code, 'ERR_PCODE_EXPIRED');
    assert.equal(d.error?.messageId, 'error.pcode.expired');
    assert.equal(d.next, undefined);
  });

  it('the third wrong P-code blocks it: ERR_PCODE_EXHAUSTED', () => {
    const now = after(DAY);
    const d1 = decidePcodeAttempt(fresh, { matches: false, now });
    assert.equal(d1.error?.code, 'ERR_PCODE_WRONG');
    assert.deepEqual(d1.error?.details, { attemptsLeft: 2 });
    const d2 = decidePcodeAttempt(d1.next!, { matches: false, now });
    assert.deepEqual(d2.error?.details, { attemptsLeft: 1 });
    const d3 = decidePcodeAttempt(d2.next!, { matches: false, now });
    assert.equal(d3.error?.code, 'ERR_PCODE_EXHAUSTED');
    assert.equal(d3.next?.failedAttempts, 3);
    const d4 = decidePcodeAttempt(d3.next!, { matches: true, now });
    assert.equal(d4.error?.code, 'ERR_PCODE_EXHAUSTED');
    assert.equal(d4.next, undefined);
  });

  it('single successful use: ERR_PCODE_USED afterwards', () => {
    const d1 = decidePcodeAttempt(fresh, { matches: true, now: after(1) });
    const d2 = decidePcodeAttempt(d1.next!, { matches: true, now: after(2) });
    assert.equal(d2.error?.code, 'ERR_PCODE_USED');
  });

  it('never throws and always pairs failures with their error (property)', () => {
    fc.assert(
      fc.property(
        fc.record({
          issuedAt: fc.date(),
          usedAt: fc.option(fc.date(), { nil: null }),
          failedAttempts: fc.oneof(fc.integer({ min: -2, max: 5 }), fc.double()),
        }),
        fc.boolean(),
        fc.date(),
        (state, matches, now) => {
          const d = decidePcodeAttempt(state, { matches, now });
          assert.equal(d.outcome === 'ok', d.error === undefined);
          if (d.outcome === 'ok') assert.ok(matches);
        },
      ),
      { numRuns: 500 },
    );
  });
});
