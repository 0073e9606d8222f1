// The device key: JWK and SPKI inputs, WebCrypto (P1363) and DER signatures, RFC 7638 thumbprints checked
// against jose as an independent peer, and hostile inputs that must only ever give typed errors or false.
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign, webcrypto } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { calculateJwkThumbprint } from 'jose';
import { isServerError } from '../errors.ts';
import { jwkThumbprint, parseDevicePublicKey, verifyDeviceSignature } from './device-key.ts';

describe('device key', () => {
  it('takes a JWK or SPKI, verifies WebCrypto and DER signatures, and names keys like RFC 7638 (jose)', async () => {
    const keys = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
      'verify',
    ]);
    const jwk = await webcrypto.subtle.exportKey('jwk', keys.publicKey);
    const spki = Buffer.from(await webcrypto.subtle.exportKey('spki', keys.publicKey)).toString('base64url');
    const fromJwk = parseDevicePublicKey({
      jwk: { kty: 'EC', crv: 'P-256', x: String(jwk.x), y: String(jwk.y) },
    });
    assert.deepEqual(parseDevicePublicKey({ spki }), fromJwk);
    assert.equal(jwkThumbprint(fromJwk), await calculateJwkThumbprint(fromJwk, 'sha256'));

    const message = 'tillid/app-approval\u0000login_x\u0000challenge';
    const p1363 = Buffer.from(
      await webcrypto.subtle.sign(
        { name: 'ECDSA', hash: 'SHA-256' },
        keys.privateKey,
        new TextEncoder().encode(message),
      ),
    ).toString('base64url');
    assert.equal(await verifyDeviceSignature(fromJwk, message, p1363), true);
    assert.equal(await verifyDeviceSignature(fromJwk, `${message}!`, p1363), false);

    const node = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const nodeJwk = parseDevicePublicKey({
      spki: node.publicKey.export({ format: 'der', type: 'spki' }).toString('base64url'),
    });
    const der = sign('sha256', Buffer.from(message), node.privateKey).toString('base64url');
    assert.equal(await verifyDeviceSignature(nodeJwk, message, der), true);
    assert.equal(await verifyDeviceSignature(fromJwk, message, der), false);
  });

  it('refuses other curves and key types with ERR_APP_KEY_INVALID', () => {
    const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey;
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
    for (const key of [p384, rsa]) {
      const spki = key.export({ format: 'der', type: 'spki' }).toString('base64url');
      assert.throws(
        () => parseDevicePublicKey({ spki }),
        (e) => isServerError(e) && e.code === 'ERR_APP_KEY_INVALID',
      );
    }
    // A point that is not on the curve.
    assert.throws(
      () => parseDevicePublicKey({ jwk: { kty: 'EC', crv: 'P-256', x: 'AAAA', y: 'AAAA' } }),
      (e) => isServerError(e) && e.code === 'ERR_APP_KEY_INVALID',
    );
  });

  it('answers hostile inputs with the typed error or false, never anything else', async () => {
    const node = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const jwk = parseDevicePublicKey({
      spki: node.publicKey.export({ format: 'der', type: 'spki' }).toString('base64url'),
    });
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300 }), fc.string({ maxLength: 120 }), async (spki, sig) => {
        try {
          parseDevicePublicKey({ spki });
        } catch (e) {
          assert.ok(isServerError(e) && e.code === 'ERR_APP_KEY_INVALID');
        }
        assert.equal(await verifyDeviceSignature(jwk, 'm', sig), false);
      }),
      { numRuns: 300 },
    );
  });
});
