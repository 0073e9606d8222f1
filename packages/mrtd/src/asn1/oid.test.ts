import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { fromHex } from '../bytes.ts';
import { MrtdError } from '../errors.ts';
import { decodeOid, encodeOid } from './oid.ts';

describe('DER OBJECT IDENTIFIER (X.690 §8.19)', () => {
  it('encodes and decodes known OIDs', () => {
    assert.deepEqual(encodeOid('0.4.0.127.0.7.2.2.4.2.2'), fromHex('04007F00070202040202'));
    assert.equal(decodeOid(fromHex('2A864886F70D010101')), '1.2.840.113549.1.1.1');
    assert.equal(decodeOid(fromHex('8837')), '2.999');
    assert.deepEqual(encodeOid('2.999'), fromHex('8837'));
  });

  it('rejects malformed OIDs', () => {
    for (const hex of ['', '2A86', '2A8001']) assert.throws(() => decodeOid(fromHex(hex)), MrtdError, hex);
    for (const s of ['1', '3.1', '1.40', 'a.b', '1.2.']) assert.throws(() => encodeOid(s), MrtdError, s);
  });

  it('raises the code and names the field the caller gives', () => {
    assert.throws(() => decodeOid(fromHex('2A86'), { code: 'ERR_LDS_FORMAT' }), { code: 'ERR_LDS_FORMAT' });
    assert.throws(() => decodeOid(fromHex('8001'), { code: 'ERR_CMS_FORMAT', what: 'eContentType' }), {
      code: 'ERR_CMS_FORMAT',
      message: /^eContentType: /,
    });
  });

  it('round-trips OIDs (property)', () => {
    const oid = fc
      .tuple(
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 0, max: 39 }),
        fc.array(fc.nat({ max: 2 ** 40 }), { maxLength: 8 }),
      )
      .map(([a, b, rest]) => [a, b, ...rest].join('.'));
    fc.assert(
      fc.property(oid, (o) => decodeOid(encodeOid(o)) === o),
      { numRuns: 300 },
    );
  });
});
