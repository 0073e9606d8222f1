import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { isServerError } from '../errors.ts';
import { revealPskcSecrets } from './pskc-decrypt.ts';
import { parsePskc } from './pskc-parse.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../../test/fixtures/pskc/${name}`, import.meta.url), 'utf8');
const isCode = (code: string) => (e: unknown) => isServerError(e) && e.code === code;
/** RFC 6030 §6.1: the pre-shared key of Figure 6. */
const PSK = new Uint8Array(Buffer.from('12345678901234567890123456789012', 'hex'));
const FIGURE6 = fixture('rfc6030-figure6.pskcxml');

describe('revealPskcSecrets (RFC 6030 §6.1)', () => {
  it('decrypts Figure 6 with its pre-shared key after checking the HMAC-SHA1 MAC', () => {
    const [k] = revealPskcSecrets(parsePskc(FIGURE6), { psk: PSK });
    assert.equal(Buffer.from(k?.secret ?? []).toString('ascii'), '12345678901234567890');
  });

  it('answers plain containers without a key', () => {
    const [k] = revealPskcSecrets(parsePskc(fixture('rfc6030-figure3.pskcxml')));
    assert.equal(Buffer.from(k?.secret ?? []).toString('ascii'), '12345678901234567890');
  });

  it('asks for the key by its name when none is given', () => {
    assert.throws(
      () => revealPskcSecrets(parsePskc(FIGURE6)),
      (e: unknown) => isCode('ERR_PSKC_KEY_REQUIRED')(e) && /Pre-shared-key/.test((e as Error).message),
    );
  });

  it('refuses a tampered ciphertext by its MAC, before decrypting', () => {
    // One bit of the last ciphertext block flipped ('v' → 'u' in base64).
    const tampered = FIGURE6.replace('8jwZqIUqGv', '8jwZqIUqGu');
    assert.notEqual(tampered, FIGURE6);
    assert.throws(() => revealPskcSecrets(parsePskc(tampered), { psk: PSK }), isCode('ERR_PSKC_MAC_INVALID'));
  });

  it('refuses a tampered MAC value and a missing one', () => {
    const badMac = FIGURE6.replace('Su+NvtQfmvfJzF6bmQiJqoLRExc=', 'Su+NvtQfmvfJzF6bmQiJqoLRExE=');
    assert.throws(() => revealPskcSecrets(parsePskc(badMac), { psk: PSK }), isCode('ERR_PSKC_MAC_INVALID'));
    // Pad bits changed only: the same bytes, but not the text that was MACed and sent.
    const padBits = FIGURE6.replace('Su+NvtQfmvfJzF6bmQiJqoLRExc=', 'Su+NvtQfmvfJzF6bmQiJqoLRExd=');
    assert.throws(() => parsePskc(padBits), isCode('ERR_PSKC_INVALID'));
    const shortMac = FIGURE6.replace('Su+NvtQfmvfJzF6bmQiJqoLRExc=', 'Su+NvtQf');
    assert.throws(() => revealPskcSecrets(parsePskc(shortMac), { psk: PSK }), isCode('ERR_PSKC_MAC_INVALID'));
    const noMac = FIGURE6.replace(/<ValueMAC>[^<]*<\/ValueMAC>/, '');
    assert.throws(() => revealPskcSecrets(parsePskc(noMac), { psk: PSK }), isCode('ERR_PSKC_MAC_INVALID'));
  });

  it('refuses a wrong key: the MAC key does not decrypt, or the MAC does not match', () => {
    for (let i = 0; i < 8; i++) {
      const wrong = new Uint8Array(PSK);
      wrong[i] = (wrong[i] ?? 0) ^ 0x5a;
      assert.throws(
        () => revealPskcSecrets(parsePskc(FIGURE6), { psk: wrong }),
        (e: unknown) => isCode('ERR_PSKC_DECRYPT')(e) || isCode('ERR_PSKC_MAC_INVALID')(e),
      );
    }
    assert.throws(
      () => revealPskcSecrets(parsePskc(FIGURE6), { psk: PSK.subarray(0, 8) }),
      isCode('ERR_PSKC_DECRYPT'),
    );
  });

  it('refuses unsupported protection with its own code', () => {
    const kw = FIGURE6.replaceAll('xmlenc#aes128-cbc', 'xmlenc#kw-aes128');
    assert.throws(() => revealPskcSecrets(parsePskc(kw), { psk: PSK }), isCode('ERR_PSKC_UNSUPPORTED'));
    const sha512 = FIGURE6.replace('xmldsig#hmac-sha1', 'xmldsig-more#hmac-sha512');
    assert.throws(() => revealPskcSecrets(parsePskc(sha512), { psk: PSK }), isCode('ERR_PSKC_UNSUPPORTED'));
  });

  it('opens the Tillid encrypted TOTP fixture to the same secrets as the plain one', () => {
    const enc = revealPskcSecrets(parsePskc(fixture('tillid-totp-encrypted.pskcxml')), { psk: PSK });
    const plain = revealPskcSecrets(parsePskc(fixture('tillid-totp-plain.pskcxml')));
    assert.deepEqual(
      enc.map((k) => k.secret),
      plain.map((k) => k.secret),
    );
  });
});
