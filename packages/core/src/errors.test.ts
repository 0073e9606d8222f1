import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CORE_ERROR_CODES, CoreError, coreErrorSpec, isCoreError } from './errors.ts';

describe('CoreError', () => {
  it('carries code, status, expose and message ID from the one table', () => {
    const e = new CoreError('ERR_PCODE_EXPIRED', undefined, { details: { attemptsLeft: 2 } });
    assert.equal(e.code, 'ERR_PCODE_EXPIRED');
    assert.equal(e.status, 410);
    assert.equal(e.expose, true);
    assert.equal(e.messageId, 'error.pcode.expired');
    assert.equal(e.message, 'error.pcode.expired');
    assert.deepEqual(e.details, { attemptsLeft: 2 });
    assert.equal(e.name, 'CoreError');
    assert.ok(isCoreError(e));
    assert.ok(e instanceof Error);
    assert.equal(isCoreError(new Error('x')), false);
  });

  it('keeps internal errors unexposed and passes the cause on', () => {
    const cause = new Error('db down');
    const e = new CoreError('ERR_INTERNAL', 'store failed', { cause });
    assert.equal(e.status, 500);
    assert.equal(e.expose, false);
    assert.equal(e.message, 'store failed');
    assert.equal(e.cause, cause);
  });

  it('gives every code an HTTP error status and a distinct error.* message ID', () => {
    const ids = new Set<string>();
    for (const code of CORE_ERROR_CODES) {
      const spec = coreErrorSpec(code);
      assert.match(code, /^ERR_[A-Z0-9_]+$/);
      assert.ok(spec.status >= 400 && spec.status < 600, code);
      assert.match(spec.messageId, /^error\.[a-zA-Z.]+$/);
      assert.ok(!ids.has(spec.messageId), `duplicate message ID ${spec.messageId}`);
      ids.add(spec.messageId);
      assert.equal(spec.expose, spec.status < 500, code);
    }
  });
});
