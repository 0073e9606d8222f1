import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { bigIntToBytes, bytesToBigInt, compareBytes, fromBase64, fromHex, toBase64, toHex } from './bytes.ts';

test('base64 matches RFC 4648 §10 vectors and reads text as Node Buffer does', () => {
  const vectors: [string, string][] = [
    ['', ''],
    ['f', 'Zg=='],
    ['fo', 'Zm8='],
    ['foo', 'Zm9v'],
    ['foob', 'Zm9vYg=='],
    ['fooba', 'Zm9vYmE='],
    ['foobar', 'Zm9vYmFy'],
  ];
  for (const [plain, b64] of vectors) {
    assert.equal(toBase64(new TextEncoder().encode(plain)), b64);
    assert.equal(new TextDecoder().decode(fromBase64(b64)), plain);
  }
  // The browser entry parses PEM without Buffer: lenient input must decode exactly as it did with Buffer.
  const text = fc.string({
    unit: fc.constantFrom(
      ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ \n*'.split(''),
    ),
    maxLength: 40,
  });
  fc.assert(
    fc.property(text, (s) => toHex(fromBase64(s)) === toHex(new Uint8Array(Buffer.from(s, 'base64')))),
    { numRuns: 1000 },
  );
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 40 }), (b) => toBase64(b) === Buffer.from(b).toString('base64')),
    { numRuns: 500 },
  );
});

test('big-endian integers and byte order', () => {
  assert.equal(bytesToBigInt(new Uint8Array(0)), 0n);
  assert.equal(bytesToBigInt(fromHex('0100')), 256n);
  assert.equal(toHex(bigIntToBytes(256n, 3)), '000100');
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 1, maxLength: 40 }), (b) => {
      assert.equal(toHex(bigIntToBytes(bytesToBigInt(b), b.length)), toHex(b));
    }),
    { numRuns: 300 },
  );
  assert.ok(compareBytes(fromHex('00'), fromHex('0000')) < 0);
  assert.ok(compareBytes(fromHex('01'), fromHex('0000')) > 0);
  assert.equal(compareBytes(fromHex('0A0B'), fromHex('0A0B')), 0);
});
