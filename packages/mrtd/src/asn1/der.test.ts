import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { fromHex, toHex } from '../bytes.ts';
import { MrtdError } from '../errors.ts';
import {
  decodeInteger,
  parseBer,
  readBigInt,
  readOctets,
  readOid,
  readTime,
  toDefiniteLength,
} from './der.ts';
import { der, integerContent } from './der-writer.ts';
import { decodeOid, encodeOid } from './oid.ts';

test('reads BER indefinite lengths and constructed OCTET STRINGs (X.690 §8.1.3.6, §8.7.3)', () => {
  // SEQUENCE (indefinite) { OCTET STRING (constructed, indefinite) { 04 02 AABB, 04 01 CC } }
  const ber = fromHex('3080 2480 0402AABB 0401CC 0000 0000');
  const node = parseBer(ber);
  assert.equal(node.indefinite, true);
  assert.equal(toHex(readOctets(node.children[0], 'x', 'ERR_CMS_FORMAT')), 'AABBCC');
  assert.equal(toHex(toDefiniteLength(node)), toHex(fromHex('3009 2407 0402AABB 0401CC')));
});

test('OIDs, integers and times round-trip through the DER writer', () => {
  for (const oid of ['2.23.136.1.1.1', '1.2.840.113549.1.1.10', '0.4.0.127.0.7.3.2.1', '2.999.1234567']) {
    assert.equal(readOid(parseBer(der.oid(oid)), 'oid', 'ERR_CMS_FORMAT'), oid);
  }
  for (const n of [0n, 1n, 127n, 128n, 255n, 256n, 2n ** 64n + 5n]) {
    assert.equal(readBigInt(parseBer(der.integer(n)), 'n', 'ERR_CMS_FORMAT'), n);
  }
  for (const iso of ['1999-12-31T23:59:59.000Z', '2026-11-25T00:00:00.000Z', '2051-01-01T12:00:00.000Z']) {
    assert.equal(readTime(parseBer(der.time(new Date(iso))), 't', 'ERR_CMS_FORMAT').toISOString(), iso);
  }
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 2 ** 40 }), { minLength: 1, maxLength: 8 }), (arcs) => {
      const oid = `1.3.${arcs.join('.')}`;
      assert.equal(decodeOid(encodeOid(oid), { code: 'ERR_CMS_FORMAT', what: 'oid' }), oid);
    }),
    { numRuns: 300 },
  );
});

test('INTEGER content octets round-trip, negative numbers included (X.690 §8.3)', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: -(2 ** 47), max: 2 ** 47 - 1 }),
      (n) => decodeInteger(integerContent(n), 'ERR_LDS_FORMAT') === n,
    ),
    { numRuns: 300 },
  );
  assert.equal(toHex(integerContent(-129)), 'FF7F');
  assert.equal(toHex(integerContent(128)), '0080');
  assert.equal(toHex(integerContent(fromHex('0000FF'))), '00FF');
  assert.throws(() => integerContent(1.5), { code: 'ERR_USAGE' });
  assert.throws(() => decodeInteger(new Uint8Array(7), 'ERR_LDS_FORMAT'), { code: 'ERR_LDS_FORMAT' });
});

test('SET OF is written in DER order (X.690 §11.6)', () => {
  assert.equal(toHex(der.setOf(fromHex('0401FF'), fromHex('040100'))), '3106040100' + '0401FF');
});

test('hostile input only ever raises MrtdError with the requested code', () => {
  const check = (bytes: Uint8Array): void => {
    try {
      const node = parseBer(bytes, 'ERR_CERT_FORMAT');
      toDefiniteLength(node);
    } catch (e) {
      assert.ok(e instanceof MrtdError, String(e));
      assert.equal(e.code, 'ERR_CERT_FORMAT');
    }
  };
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), (b) => check(b)),
    { numRuns: 1000 },
  );
  // Deep nesting and huge declared lengths.
  check(new Uint8Array(200).fill(0x30).map((v, i) => (i % 2 === 0 ? v : 0x80)));
  check(fromHex('3084FFFFFFFF00'));
  check(fromHex('0485FFFFFFFFFF'));
});
