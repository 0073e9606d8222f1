import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { isServerError } from '../errors.ts';
import { keyedHash, verifyKeyedHash } from './keyed-hash.ts';
import { hashPassword, verifyPassword } from './password-hash.ts';
import { SecretBox } from './secret-box.ts';

const key = new Uint8Array(randomBytes(32));

describe('keyed hashes of short secrets', () => {
  it('verifies the right value only, separated by purpose and key', () => {
    const h = keyedHash(key, 'pin', '482913');
    assert.match(h, /^[0-9a-f]{64}$/);
    assert.equal(verifyKeyedHash(key, 'pin', '482913', h), true);
    assert.equal(verifyKeyedHash(key, 'pin', '482914', h), false);
    assert.equal(verifyKeyedHash(key, 'pcode', '482913', h), false);
    assert.equal(verifyKeyedHash(new Uint8Array(randomBytes(32)), 'pin', '482913', h), false);
    assert.equal(verifyKeyedHash(key, 'pin', '482913', 'not-hex'), false);
  });
});

describe('SecretBox (PII at rest)', () => {
  const box = new SecretBox(key);
  it('round-trips and hides the plaintext', () => {
    const sealed = box.seal('cpr', '0101901234', 'identity:1');
    assert.doesNotMatch(sealed, /0101901234/);
    assert.equal(box.open('cpr', sealed, 'identity:1'), '0101901234');
    assert.notEqual(box.seal('cpr', '0101901234', 'identity:1'), sealed, 'fresh IV every time');
  });
  it('refuses another record, purpose, key or a tampered value with ERR_CRYPTO', () => {
    const sealed = box.seal('cpr', '0101901234', 'identity:1');
    const bad = [
      () => box.open('cpr', sealed, 'identity:2'),
      () => box.open('name', sealed, 'identity:1'),
      () => new SecretBox(new Uint8Array(randomBytes(32))).open('cpr', sealed, 'identity:1'),
      () => box.open('cpr', `${sealed.slice(0, -2)}AA`, 'identity:1'),
      () => box.open('cpr', 'garbage', 'identity:1'),
    ];
    for (const f of bad) assert.throws(f, (e) => isServerError(e) && e.code === 'ERR_CRYPTO');
  });
});

describe('password hashing', () => {
  it('uses Argon2id and verifies only the right password', async () => {
    const h = await hashPassword('Correct horse 42');
    assert.match(h, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    assert.equal(await verifyPassword(h, 'Correct horse 42'), true);
    assert.equal(await verifyPassword(h, 'correct horse 42'), false);
    assert.equal(await verifyPassword('$2b$10$notargon', 'x'), false);
  });
});
