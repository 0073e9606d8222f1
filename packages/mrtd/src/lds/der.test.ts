import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { fromHex } from '../bytes.ts';
import { MrtdError } from '../errors.ts';
import { decodeInteger, decodeOid, encodeIntegerValue, encodeOidValue } from './der.ts';

describe('DER OBJECT IDENTIFIER and INTEGER (X.690 §8.3, §8.19)', () => {
  it('encodes and decodes known OIDs', () => {
    assert.deepEqual(encodeOidValue('0.4.0.127.0.7.2.2.4.2.2'), fromHex('04007F00070202040202'));
    assert.equal(decodeOid(fromHex('2A864886F70D010101')), '1.2.840.113549.1.1.1');
    assert.equal(decodeOid(fromHex('8837')), '2.999');
    assert.deepEqual(encodeOidValue('2.999'), fromHex('8837'));
  });

  it('rejects malformed OIDs', () => {
    for (const hex of ['', '2A86', '2A8001']) assert.throws(() => decodeOid(fromHex(hex)), MrtdError, hex);
    for (const s of ['1', '3.1', '1.40', 'a.b', '1.2.']) assert.throws(() => encodeOidValue(s), MrtdError, s);
  });

  it('round-trips OIDs and integers (property)', () => {
    const oid = fc
      .tuple(
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 0, max: 39 }),
        fc.array(fc.nat({ max: 2 ** 40 }), { maxLength: 8 }),
      )
      .map(([a, b, rest]) => [a, b, ...rest].join('.'));
    fc.assert(
      fc.property(oid, (o) => decodeOid(encodeOidValue(o)) === o),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 47), max: 2 ** 47 - 1 }),
        (n) => decodeInteger(encodeIntegerValue(n)) === n,
      ),
      { numRuns: 300 },
    );
  });
});
