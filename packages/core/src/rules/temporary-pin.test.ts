import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decideTemporaryPinAttempt,
  generateTemporaryPin,
  mayTemporaryPinBeSent,
  parseTemporaryPin,
  TEMPORARY_PIN_POLICY,
} from './temporary-pin.ts';

const MIN = 60 * 1000;
const DAY = 24 * 60 * MIN;
const t0 = new Date('2024-05-10T08:00:00Z');
const after = (ms: number) => new Date(t0.getTime() + ms);

describe('temporary PIN', () => {
  it('is 8 digits, 15 minutes, 3 attempts', () => {
    assert.equal(TEMPORARY_PIN_POLICY.length, 8);
    assert.equal(TEMPORARY_PIN_POLICY.validityMs, 15 * MIN);
    assert.equal(TEMPORARY_PIN_POLICY.maxAttempts, 3);
    assert.ok(parseTemporaryPin(generateTemporaryPin()).ok);
    assert.deepEqual(parseTemporaryPin('1234 5678'), { ok: true, value: '12345678' });
    const bad = parseTemporaryPin('123456');
    assert.ok(!bad.ok && bad.error.code === 'ERR_TEMPORARY_PIN_FORMAT');
  });

  it('decides attempts with its own codes', () => {
    const fresh = { issuedAt: t0, usedAt: null, failedAttempts: 0 };
    assert.equal(decideTemporaryPinAttempt(fresh, { matches: true, now: after(14 * MIN) }).outcome, 'ok');
    assert.equal(
      decideTemporaryPinAttempt(fresh, { matches: true, now: after(15 * MIN) }).error?.code,
      'ERR_TEMPORARY_PIN_EXPIRED',
    );
    assert.equal(
      decideTemporaryPinAttempt(fresh, { matches: false, now: after(1) }).error?.code,
      'ERR_TEMPORARY_PIN_WRONG',
    );
    assert.equal(
      decideTemporaryPinAttempt({ ...fresh, failedAttempts: 2 }, { matches: false, now: after(1) }).error
        ?.code,
      'ERR_TEMPORARY_PIN_EXHAUSTED',
    );
    assert.equal(
      decideTemporaryPinAttempt({ ...fresh, usedAt: t0 }, { matches: true, now: after(1) }).error?.code,
      'ERR_TEMPORARY_PIN_USED',
    );
  });

  it('is not sent within 5 days of a phone number change', () => {
    assert.deepEqual(mayTemporaryPinBeSent({ phoneNumberChangedAt: undefined, now: t0 }), {
      ok: true,
      value: true,
    });
    const changedAt = t0;
    const soon = mayTemporaryPinBeSent({ phoneNumberChangedAt: changedAt, now: after(5 * DAY - 1) });
    assert.ok(!soon.ok);
    assert.equal(soon.error.code, 'ERR_TEMPORARY_PIN_PHONE_RECENTLY_CHANGED');
    assert.deepEqual(soon.error.details, { allowedFrom: after(5 * DAY).toISOString() });
    assert.ok(mayTemporaryPinBeSent({ phoneNumberChangedAt: changedAt, now: after(5 * DAY) }).ok);
    // A change dated in the future (clock skew) also blocks; bad dates fail closed.
    assert.equal(mayTemporaryPinBeSent({ phoneNumberChangedAt: after(DAY), now: t0 }).ok, false);
    assert.equal(mayTemporaryPinBeSent({ phoneNumberChangedAt: new Date('x'), now: t0 }).ok, false);
    assert.equal(mayTemporaryPinBeSent({ phoneNumberChangedAt: t0, now: new Date('x') }).ok, false);
  });
});
