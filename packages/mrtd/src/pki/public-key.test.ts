import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { NAMED_CURVES } from '../crypto/ec-curves.ts';
import { parseCertificate } from './certificate.ts';
import { parsePublicKeyInfo } from './public-key.ts';
import { toKeyObject } from './signature.ts';

const read = (path: string): Uint8Array =>
  new Uint8Array(readFileSync(new URL(`../../test/fixtures/${path}`, import.meta.url)));

test('explicit EC parameters from OpenSSL map back to every supported named curve (RFC 3279 §2.3.5)', () => {
  for (const c of NAMED_CURVES) {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: c.nodeName, paramEncoding: 'explicit' });
    const spki = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));
    const key = parsePublicKeyInfo(spki);
    assert.equal(key.kind, 'ec');
    if (key.kind === 'ec') {
      assert.equal(key.curve, c.name);
      assert.equal(key.explicitParameters, true);
      assert.equal(toKeyObject(key).asymmetricKeyDetails?.namedCurve, c.nodeName);
    }
  }
});

test('real certificates with explicit parameters resolve to their curves', () => {
  const expected: Readonly<Record<string, string>> = {
    'real-sod/DE.CSCA.cer': 'brainpoolP512r1',
    'real-sod/AT.CSCA.cer': 'brainpoolP384r1',
    'real-sod/GB.CSCA-1.cer': 'P-384',
    'real-sod/RU.CSCA.cer': 'P-256',
    'masterlists/DE_ROOT_CA_CSCA07.cer': 'brainpoolP512r1',
  };
  for (const [file, curve] of Object.entries(expected)) {
    const key = parsePublicKeyInfo(parseCertificate(read(file)).subjectPublicKeyInfo);
    assert.deepEqual(
      [key.kind, key.kind === 'ec' ? key.curve : '', key.kind === 'ec' && key.explicitParameters],
      ['ec', curve, true],
    );
  }
});

test('an unknown explicit curve is refused with ERR_UNKNOWN_CURVE', () => {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1', paramEncoding: 'explicit' });
  const spki = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));
  // Change one byte of the curve coefficient b (the 32 bytes after "04 20" following a).
  const hex = Buffer.from(spki).toString('hex');
  const b = '5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b';
  const at = hex.indexOf(b);
  assert.ok(at > 0);
  const changed = Buffer.from(`${hex.slice(0, at)}5bc6${hex.slice(at + 4)}`, 'hex');
  assert.throws(() => parsePublicKeyInfo(new Uint8Array(changed)), { code: 'ERR_UNKNOWN_CURVE' });
});
