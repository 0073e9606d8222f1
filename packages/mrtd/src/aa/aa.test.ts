import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromHex, toHex } from '../bytes.ts';
import { loadVector, replayTransport } from '../crypto/test-vectors.ts';
import { createSmSession } from '../sm/secure-messaging.ts';
import { SecureMessagingTransport } from '../sm/secure-transport.ts';
import { encodeTlv } from '../tlv/tlv.ts';
import { generateAaKeyPair } from './aa-keys.ts';
import { signAaChallenge } from './aa-signer.ts';
import { performActiveAuthentication } from './perform-active-authentication.ts';
import { verifyActiveAuthentication } from './verify-active-authentication.ts';

const v = loadVector('gmrtd-activeauth-rsa1792');

test('real RSA-1792 trace: INTERNAL AUTHENTICATE under SM, 9796-2 with SHA-256 (34CC) verifies from DG15', async () => {
  const sm = v.secureMessaging;
  const raw = replayTransport(v.apdus);
  const secure = new SecureMessagingTransport(
    raw,
    createSmSession({
      cipher: '3DES',
      kEnc: fromHex(sm.ksEnc),
      kMac: fromHex(sm.ksMac),
      ssc: fromHex(sm.sscBefore),
    }),
  );
  const challenge = fromHex(v.rndIFD);
  const response = await performActiveAuthentication(secure, challenge);
  assert.equal(toHex(response), v.signature);
  assert.equal(toHex(secure.session.ssc), sm.sscAfter);
  const dg15 = fromHex(v.dg15);
  assert.deepEqual(verifyActiveAuthentication({ challenge, response, dg15 }), {
    ok: true,
    algorithm: 'RSA',
    hash: 'SHA-256',
  });
  const wrong = challenge.slice();
  wrong[0] = (wrong[0] ?? 0) ^ 1;
  const r = verifyActiveAuthentication({ challenge: wrong, response, dg15 });
  assert.equal(r.ok, false);
  assert.equal(verifyActiveAuthentication({ challenge, response: response.subarray(1), dg15 }).ok, false);
  assert.equal(verifyActiveAuthentication({ challenge, response, dg15: fromHex('6F03020100') }).ok, false);
});

test('chip-side RSA signatures (SHA-1 trailer BC and SHA-256 trailer 34CC) verify', async () => {
  for (const hash of ['SHA-1', 'SHA-256'] as const) {
    const keys = await generateAaKeyPair({ type: 'rsa', bits: 1024, hash });
    const challenge = fromHex('0102030405060708');
    const response = signAaChallenge(keys.privateKey, challenge);
    const dg15 = encodeTlv(0x6f, keys.subjectPublicKeyInfo);
    assert.deepEqual(verifyActiveAuthentication({ challenge, response, dg15 }), {
      ok: true,
      algorithm: 'RSA',
      hash,
    });
    assert.equal(verifyActiveAuthentication({ challenge: new Uint8Array(8), response, dg15 }).ok, false);
  }
});

test('chip-side ECDSA signatures verify with the DG14 hash OID', async () => {
  for (const curve of ['P-256', 'brainpoolP384r1', 'P-521'] as const) {
    const keys = await generateAaKeyPair({ type: 'ec', curve, hash: 'SHA-384' });
    const challenge = fromHex('1122334455667788');
    const response = signAaChallenge(keys.privateKey, challenge);
    const input = {
      challenge,
      response,
      dg15: keys.subjectPublicKeyInfo,
      signatureAlgorithm: keys.signatureAlgorithm ?? '',
    };
    assert.deepEqual(verifyActiveAuthentication(input), { ok: true, algorithm: 'ECDSA', hash: 'SHA-384' });
    assert.equal(verifyActiveAuthentication({ ...input, challenge: new Uint8Array(8) }).ok, false);
    const noHash = verifyActiveAuthentication({ challenge, response, dg15: keys.subjectPublicKeyInfo });
    assert.equal(noHash.ok, false);
  }
});
