import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { CookieSigner } from './cookie-signer.ts';

describe('CookieSigner (oidc-provider cookie signatures)', () => {
  const key = Buffer.alloc(32, 7);
  const signer = new CookieSigner([key]);

  it('signs with HMAC-SHA256 in base64url and verifies its own signatures', () => {
    const sig = signer.sign('_interaction=abc');
    assert.equal(sig, createHmac('sha256', key).update('_interaction=abc').digest('base64url'));
    assert.equal(signer.verify('_interaction=abc', sig), true);
    assert.equal(signer.index('_interaction=abc', sig), 0);
  });

  it('refuses another value, a changed, shortened or padded signature, and a signature of another key', () => {
    const sig = signer.sign('_session=s1');
    assert.equal(signer.verify('_session=s2', sig), false);
    assert.equal(signer.verify('_session=s1', `${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`), false);
    assert.equal(signer.verify('_session=s1', sig.slice(0, -1)), false);
    assert.equal(signer.verify('_session=s1', `${sig}=`), false);
    assert.equal(signer.verify('_session=s1', ''), false);
    assert.equal(new CookieSigner([Buffer.alloc(32, 8)]).verify('_session=s1', sig), false);
  });

  it('verifies with any of its keys and signs with the first (rotation)', () => {
    const old = new CookieSigner([key]);
    const rotated = new CookieSigner([Buffer.alloc(32, 9), key]);
    assert.equal(rotated.index('v', old.sign('v')), 1);
    assert.equal(rotated.index('v', rotated.sign('v')), 0);
    assert.equal(old.verify('v', rotated.sign('v')), false);
  });

  it('derives the same keys on every node from the HMAC key', () => {
    const hmacKey = new Uint8Array(32).fill(3);
    const sig = CookieSigner.fromHmacKey(hmacKey).sign('x');
    assert.equal(CookieSigner.fromHmacKey(hmacKey).verify('x', sig), true);
    assert.equal(CookieSigner.fromHmacKey(new Uint8Array(32).fill(4)).verify('x', sig), false);
  });
});
