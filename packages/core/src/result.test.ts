import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CoreError } from './errors.ts';
import { fail, ok, ruleError, toCoreError, unwrap } from './result.ts';

describe('Result', () => {
  it('builds successes and failures with the message ID of the code', () => {
    assert.deepEqual(ok(5), { ok: true, value: 5 });
    assert.deepEqual(fail('ERR_PIN_FORMAT'), {
      ok: false,
      error: { code: 'ERR_PIN_FORMAT', messageId: 'error.pin.format' },
    });
    assert.deepEqual(ruleError('ERR_PIN_TRIVIAL', { reason: 'common' }), {
      code: 'ERR_PIN_TRIVIAL',
      messageId: 'error.pin.trivial',
      details: { reason: 'common' },
    });
  });

  it('turns a failure into a CoreError at the edge', () => {
    const e = toCoreError(ruleError('ERR_USER_ID_TOO_SHORT', { min: 5 }));
    assert.ok(e instanceof CoreError);
    assert.equal(e.status, 422);
    assert.equal(e.messageId, 'error.userId.tooShort');
    assert.deepEqual(e.details, { min: 5 });
    assert.equal(unwrap(ok('x')), 'x');
    assert.throws(
      () => unwrap(fail('ERR_PHONE_FORMAT')),
      (err: unknown) => err instanceof CoreError && err.code === 'ERR_PHONE_FORMAT',
    );
  });
});
