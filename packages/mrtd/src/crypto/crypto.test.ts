import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cbc, cmac } from '@noble/ciphers/aes.js';
import { sha1 } from '@noble/hashes/legacy.js';
import fc from 'fast-check';
import { fromHex, toHex, utf8 } from '../bytes.ts';
import { AesKey, aesCbcDecrypt, aesCbcEncrypt, aesCmac } from './aes.ts';
import { createCipherSuite } from './cipher-suite.ts';
import { KDF_ENC, KDF_MAC, KDF_PACE, kdf } from './kdf.ts';
import { pad, unpad } from './padding.ts';
import { retailMac } from './retail-mac.ts';
import { loadVector } from './test-vectors.ts';

test('AES-CMAC: RFC 4493 §4 examples 1-4', () => {
  const key = fromHex('2B7E151628AED2A6ABF7158809CF4F3C');
  const m =
    '6BC1BEE22E409F96E93D7E117393172AAE2D8A571E03AC9C9EB76FAC45AF8E5130C81C46A35CE411E5FBC1191A0A52EFF69F2445DF4F9B17AD2B417BE66C3710';
  const cases: [number, string][] = [
    [0, 'BB1D6929E95937287FA37D129B756746'],
    [16, '070A16B46B4D4144F79BDD9DD04A287C'],
    [40, 'DFA66747DE9AE63030CA32611497C827'],
    [64, '51F0BEBF7E3B9D92FC49741779363CFE'],
  ];
  for (const [len, tag] of cases) assert.equal(toHex(aesCmac(key, fromHex(m).subarray(0, len))), tag);
});

test('AES-CBC: NIST SP 800-38A F.2.1', () => {
  const key = fromHex('2B7E151628AED2A6ABF7158809CF4F3C');
  const iv = fromHex('000102030405060708090A0B0C0D0E0F');
  const pt = fromHex('6BC1BEE22E409F96E93D7E117393172AAE2D8A571E03AC9C9EB76FAC45AF8E51');
  const ct = aesCbcEncrypt(key, pt, iv);
  assert.equal(toHex(ct), '7649ABAC8119B246CEE98E9B12E9197D5086CB9B507219EE95DB113A917678B2');
  assert.equal(toHex(aesCbcDecrypt(key, ct, iv)), toHex(pt));
});

test('padding method 2 round trip and rejection', () => {
  assert.equal(toHex(pad(fromHex('0102'), 8)), '0102800000000000');
  assert.equal(toHex(pad(new Uint8Array(8), 8)), '00000000000000008000000000000000');
  assert.equal(toHex(unpad(fromHex('0102800000000000'))), '0102');
  assert.throws(() => unpad(fromHex('0102000000000000')), { code: 'ERR_SM_PADDING' });
  assert.throws(() => unpad(fromHex('0102800000000001')), { code: 'ERR_SM_PADDING' });
});

test('KDF and retail MAC: ICAO 9303-11 Appendix D.2/D.3', () => {
  const v = loadVector('icao9303-11-appendixD-bac');
  const kSeed = sha1(utf8(v.mrz.mrzInformation)).subarray(0, 16);
  assert.equal(toHex(kSeed), v.keyDerivation.kSeed);
  assert.equal(toHex(kdf(kSeed, KDF_ENC, '3DES')), v.keyDerivation.kEnc);
  assert.equal(toHex(kdf(kSeed, KDF_MAC, '3DES')), v.keyDerivation.kMac);
  const ksSeed = fromHex(v.sessionKeys.ksSeed);
  assert.equal(toHex(kdf(ksSeed, KDF_ENC, '3DES')), v.sessionKeys.ksEnc);
  assert.equal(toHex(kdf(ksSeed, KDF_MAC, '3DES')), v.sessionKeys.ksMac);
  const mac = retailMac(fromHex(v.keyDerivation.kMac), pad(fromHex(v.mutualAuthentication.eIFD), 8));
  assert.equal(toHex(mac), v.mutualAuthentication.mIFD);
});

test('KDF for AES: ICAO 9303-11 Appendix G.1 K_pi and session keys', () => {
  const v = loadVector('icao9303-11-appendixG1-pace-ecdh-gm');
  const pi = sha1(utf8(v.mrz.mrzInformation));
  assert.equal(toHex(kdf(pi, KDF_PACE, 'AES', 16)), v.keyDerivation.kPi);
  const k = fromHex(v.keyAgreement.sharedSecretK);
  assert.equal(toHex(kdf(k, KDF_ENC, 'AES', 16)), v.sessionKeys.ksEnc);
  assert.equal(toHex(kdf(k, KDF_MAC, 'AES', 16)), v.sessionKeys.ksMac);
  assert.equal(kdf(k, KDF_ENC, 'AES', 24).length, 24);
  assert.equal(kdf(k, KDF_ENC, 'AES', 32).length, 32);
  assert.throws(() => kdf(k, KDF_ENC, 'AES', 20), { code: 'ERR_CRYPTO_UNSUPPORTED' });
});

test('cipher suite rejects wrong key sizes with typed errors', () => {
  assert.throws(() => createCipherSuite('3DES', new Uint8Array(8), new Uint8Array(16)), {
    code: 'ERR_USAGE',
  });
  assert.throws(() => createCipherSuite('AES', new Uint8Array(16), new Uint8Array(32)), {
    code: 'ERR_USAGE',
  });
});

test('property: AesKey CBC and CMAC agree with @noble/ciphers for every key size', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(16, 24, 32).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })),
      fc.uint8Array({ minLength: 16, maxLength: 16 }),
      fc.uint8Array({ maxLength: 100 }),
      (key, iv, msg) => {
        const k = new AesKey(key);
        assert.equal(toHex(k.cmac(msg)), toHex(cmac(msg, key)));
        const blocks = msg.subarray(0, msg.length - (msg.length % 16));
        const ct = k.cbcEncrypt(blocks, iv);
        assert.equal(toHex(ct), toHex(cbc(key, iv, { disablePadding: true }).encrypt(blocks)));
        assert.equal(toHex(k.cbcDecrypt(ct, iv)), toHex(blocks));
      },
    ),
    { numRuns: 200 },
  );
});
