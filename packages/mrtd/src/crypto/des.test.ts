import assert from 'node:assert/strict';
import { createCipheriv } from 'node:crypto';
import { test } from 'node:test';
import fc from 'fast-check';
import { fromHex, toHex } from '../bytes.ts';
import { adjustDesParity, DesCipher, des3CbcDecrypt, des3CbcEncrypt } from './des.ts';

test('DES known answers (FIPS 81 Appendix B, NIST SP 800-17, classic worked example)', () => {
  const vectors: [string, string, string][] = [
    ['0123456789ABCDEF', '4E6F772069732074', '3FA40E8A984D4815'], // FIPS 81 ECB "Now is t"
    ['133457799BBCDFF1', '0123456789ABCDEF', '85E813540F0AB405'],
    ['0101010101010101', '8000000000000000', '95F8A5E5DD31D900'], // SP 800-17 variable plaintext
    ['0101010101010101', '0000000000000001', '166B40B44ABA4BD6'],
    ['8001010101010101', '0000000000000000', '95A8D72813DAA94D'], // SP 800-17 variable key
  ];
  for (const [k, p, c] of vectors) {
    const des = new DesCipher(fromHex(k));
    assert.equal(toHex(des.encryptBlock(fromHex(p))), c);
    assert.equal(toHex(des.decryptBlock(fromHex(c))), p);
  }
});

test('FIPS 81 CBC example', () => {
  const key = fromHex('0123456789ABCDEF');
  const iv = fromHex('1234567890ABCDEF');
  const pt = fromHex('4E6F77206973207468652074696D6520666F7220616C6C20');
  const des = new DesCipher(key);
  const ct = des.cbcEncrypt(pt, iv);
  assert.equal(toHex(ct), 'E5C7CDDE872BF27C43E934008C389C0F683788499A7C05F6');
  assert.equal(toHex(des.cbcDecrypt(ct, iv)), toHex(pt));
});

test('two-key 3DES with K1 = K2 equals single DES; CBC round-trips', () => {
  const k2 = fromHex('0123456789ABCDEF0123456789ABCDEF');
  const pt = fromHex('4E6F772069732074');
  assert.equal(toHex(new DesCipher(k2).encryptBlock(pt)), '3FA40E8A984D4815');
  const key = fromHex('AB94FDECF2674FDFB9B391F85D7F76F2');
  const data = fromHex('781723860C06C2264608F919887022120B795240CB7049B01C19B33E32804F0B');
  // ICAO 9303-11 Appendix D.3: E_IFD
  const e = des3CbcEncrypt(key, data);
  assert.equal(toHex(e), '72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2');
  assert.equal(toHex(des3CbcDecrypt(key, e)), toHex(data));
  const k3 = fromHex('0123456789ABCDEF23456789ABCDEF01456789ABCDEF0123');
  const c3 = new DesCipher(k3).cbcEncrypt(data);
  assert.equal(toHex(new DesCipher(k3).cbcDecrypt(c3)), toHex(data));
});

test('parity adjustment', () => {
  assert.equal(
    toHex(adjustDesParity(fromHex('AA95FDEDF2664FDEB8B290F85C7E76F3'))),
    'AB94FDECF2674FDFB9B391F85D7F76F2',
  );
});

test('property: 2-key and 3-key 3DES-CBC agree with OpenSSL (des-ede-cbc, des-ede3-cbc)', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(16, 24).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })),
      fc.uint8Array({ minLength: 8, maxLength: 8 }),
      fc.integer({ min: 1, max: 8 }).chain((n) => fc.uint8Array({ minLength: n * 8, maxLength: n * 8 })),
      (key, iv, data) => {
        const c = createCipheriv(key.length === 16 ? 'des-ede-cbc' : 'des-ede3-cbc', key, iv);
        c.setAutoPadding(false);
        const expected = new Uint8Array(c.update(data));
        assert.equal(toHex(des3CbcEncrypt(key, data, iv)), toHex(expected));
        assert.equal(toHex(des3CbcDecrypt(key, expected, iv)), toHex(data));
      },
    ),
    { numRuns: 300 },
  );
});
