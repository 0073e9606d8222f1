import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as core from './index.ts';

describe('@tillid/core public API', () => {
  it('exports the rule functions, error class and catalog', () => {
    const api = {
      parseCpr: core.parseCpr,
      parsePcode: core.parsePcode,
      decidePcodeAttempt: core.decidePcodeAttempt,
      parseUserId: core.parseUserId,
      validatePin: core.validatePin,
      pinsMatch: core.pinsMatch,
      validatePassword: core.validatePassword,
      passwordStrength: core.passwordStrength,
      parseMobileNumber: core.parseMobileNumber,
      decideTemporaryPinAttempt: core.decideTemporaryPinAttempt,
      mayTemporaryPinBeSent: core.mayTemporaryPinBeSent,
      decideActivationCodeAttempt: core.decideActivationCodeAttempt,
      assuranceLevel: core.assuranceLevel,
      acrFor: core.acrFor,
      CoreError: core.CoreError,
      coreMessage: core.coreMessage,
    };
    for (const [name, value] of Object.entries(api)) assert.equal(typeof value, 'function', name);
  });

  it('lets an API edge turn any rule failure into a status and a translated message', () => {
    const r = core.parseUserId('abc');
    assert.ok(!r.ok);
    const e = core.toCoreError(r.error);
    assert.equal(e.status, 422);
    assert.equal(core.coreMessage('da', e.messageId), 'Bruger-ID skal være mindst 5 tegn.');
  });
});
