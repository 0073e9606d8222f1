import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MrtdError } from '../errors.ts';
import { checkDigit } from './check-digit.ts';

describe('checkDigit (ICAO 9303-3 §4.9)', () => {
  it('reproduces the ICAO specimen check digits', () => {
    assert.equal(checkDigit('L898902C3'), 6);
    assert.equal(checkDigit('740812'), 2);
    assert.equal(checkDigit('120415'), 9);
    assert.equal(checkDigit('ZE184226B<<<<<'), 1);
    assert.equal(checkDigit('D23145890'), 7);
    // ICAO 9303-11 Appendix D: the BAC worked example.
    assert.equal(checkDigit('L898902C<'), 3);
    assert.equal(checkDigit('690806'), 1);
    assert.equal(checkDigit('940623'), 6);
  });

  it('counts fillers as zero and the empty string as 0', () => {
    assert.equal(checkDigit('<<<<<<'), 0);
    assert.equal(checkDigit(''), 0);
  });

  it('rejects characters outside the MRZ set with their position', () => {
    assert.throws(
      () => checkDigit('AB-1'),
      (e: unknown) => e instanceof MrtdError && e.code === 'ERR_MRZ_CHARSET' && e.details?.['position'] === 3,
    );
    assert.throws(() => checkDigit('abc'), MrtdError);
  });
});
