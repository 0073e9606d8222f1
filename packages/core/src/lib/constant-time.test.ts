import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { constantTimeEqual } from './constant-time.ts';

describe('constantTimeEqual', () => {
  it('agrees with === on all strings', () => {
    assert.ok(constantTimeEqual('', ''));
    assert.ok(constantTimeEqual('123456', '123456'));
    assert.equal(constantTimeEqual('123456', '123457'), false);
    assert.equal(constantTimeEqual('12345', '123450'), false);
    assert.equal(constantTimeEqual('a\u0000', 'a'), false);
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        assert.equal(constantTimeEqual(a, b), a === b);
        assert.ok(constantTimeEqual(a, a));
      }),
      { numRuns: 500 },
    );
  });
});
