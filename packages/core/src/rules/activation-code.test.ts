import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ACTIVATION_CODE_POLICY,
  type ActivationCodeState,
  decideActivationCodeAttempt,
} from './activation-code.ts';

const t0 = new Date('2024-05-10T08:00:00Z');
const fresh: ActivationCodeState = { issuedAt: t0, usedAt: null, failedAttempts: 0 };

describe('decideActivationCodeAttempt', () => {
  it('is blocked after 3 wrong entries', () => {
    assert.equal(ACTIVATION_CODE_POLICY.maxAttempts, 3);
    let state = fresh;
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < 4; i++) {
      const d = decideActivationCodeAttempt(state, { matches: false, now: t0 });
      codes.push(d.error?.code);
      state = d.next ?? state;
    }
    assert.deepEqual(codes, [
      'ERR_ACTIVATION_CODE_WRONG',
      'ERR_ACTIVATION_CODE_WRONG',
      'ERR_ACTIVATION_CODE_BLOCKED',
      'ERR_ACTIVATION_CODE_BLOCKED',
    ]);
    assert.equal(
      decideActivationCodeAttempt(state, { matches: true, now: t0 }).error?.messageId,
      'error.activationCode.blocked',
    );
  });

  it('has no time limit unless the issuer sets one, and is single use', () => {
    const late = new Date(t0.getTime() + 365 * 24 * 3600 * 1000);
    const d = decideActivationCodeAttempt(fresh, { matches: true, now: late });
    assert.equal(d.outcome, 'ok');
    assert.equal(
      decideActivationCodeAttempt(d.next!, { matches: true, now: late }).error?.code,
      'ERR_ACTIVATION_CODE_USED',
    );
    assert.equal(
      decideActivationCodeAttempt(fresh, { matches: true, now: late, validityMs: 1000 }).error?.code,
      'ERR_ACTIVATION_CODE_EXPIRED',
    );
  });
});
