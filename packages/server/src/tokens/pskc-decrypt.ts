// Opens the values of a PSKC container protected with a pre-shared key (RFC 6030 §6.1): AES-CBC with
// the IV prefixed, each value's MAC (HMAC over IV ‖ ciphertext) checked in constant time before decrypting.
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ServerError } from '../errors.ts';
import type { PskcBinary, PskcContainer, PskcEncrypted, PskcKey } from './pskc-parse.ts';

/** XML Encryption block ciphers (W3C xmlenc-core §5.2.2), by key length. */
export const PSKC_CIPHERS: Readonly<Record<string, { name: string; keyLength: number }>> = {
  'http://www.w3.org/2001/04/xmlenc#aes128-cbc': { name: 'aes-128-cbc', keyLength: 16 },
  'http://www.w3.org/2001/04/xmlenc#aes192-cbc': { name: 'aes-192-cbc', keyLength: 24 },
  'http://www.w3.org/2001/04/xmlenc#aes256-cbc': { name: 'aes-256-cbc', keyLength: 32 },
};

/** MAC algorithms of MACMethod (RFC 6030 §6.1.1 names HMAC-SHA1; RFC 6931 adds HMAC-SHA256). */
export const PSKC_MACS: Readonly<Record<string, 'sha1' | 'sha256'>> = {
  'http://www.w3.org/2000/09/xmldsig#hmac-sha1': 'sha1',
  'http://www.w3.org/2001/04/xmldsig-more#hmac-sha256': 'sha256',
};

export const AES128_CBC = 'http://www.w3.org/2001/04/xmlenc#aes128-cbc';
export const HMAC_SHA1 = 'http://www.w3.org/2000/09/xmldsig#hmac-sha1';

export interface RevealedKey {
  readonly key: PskcKey;
  readonly secret: Uint8Array;
}

function unsupported(message: string): ServerError {
  return new ServerError('ERR_PSKC_UNSUPPORTED', message, {
    status: 422,
    messageId: 'error.pskc.unsupported',
  });
}

function decryptFailed(message: string): ServerError {
  return new ServerError('ERR_PSKC_DECRYPT', message, { status: 422, messageId: 'error.pskc.decrypt' });
}

function macInvalid(message: string, where: string): ServerError {
  return new ServerError('ERR_PSKC_MAC_INVALID', message, {
    status: 422,
    messageId: 'error.pskc.macInvalid',
    details: { value: where },
  });
}

function cipherFor(algorithm: string, psk: Uint8Array, where: string) {
  const c = PSKC_CIPHERS[algorithm];
  if (!c) throw unsupported(`${where}: encryption algorithm ${algorithm} is not supported`);
  if (psk.length !== c.keyLength) {
    throw decryptFailed(
      `${where}: ${algorithm} needs a ${c.keyLength}-byte pre-shared key, got ${psk.length}`,
    );
  }
  return c;
}

/** xmlenc §5.2.1: the IV is the first block of the CipherValue. */
function decryptValue(value: PskcEncrypted, psk: Uint8Array, where: string): Uint8Array {
  const c = cipherFor(value.algorithm, psk, where);
  const bytes = value.cipher;
  if (bytes.length < 32 || bytes.length % 16 !== 0) {
    throw decryptFailed(`${where}: the encrypted value is not an IV followed by whole AES blocks`);
  }
  try {
    const d = createDecipheriv(c.name, psk, bytes.subarray(0, 16));
    return new Uint8Array(Buffer.concat([d.update(bytes.subarray(16)), d.final()]));
  } catch {
    throw decryptFailed(`${where} does not decrypt with this pre-shared key (wrong key?)`);
  }
}

/** The encrypting side, for test containers and the round-trip tests: IV ‖ AES-CBC(PKCS#7 padding). */
export function encryptPskcValue(
  plaintext: Uint8Array,
  psk: Uint8Array,
  options: { algorithm?: string; iv?: Uint8Array } = {},
): PskcEncrypted {
  const algorithm = options.algorithm ?? AES128_CBC;
  const c = cipherFor(algorithm, psk, 'value');
  const iv = options.iv ?? randomBytes(16);
  const e = createCipheriv(c.name, psk, iv);
  return { algorithm, cipher: new Uint8Array(Buffer.concat([iv, e.update(plaintext), e.final()])) };
}

export function pskcMac(algorithm: string, macKey: Uint8Array, encrypted: PskcEncrypted): Uint8Array {
  const hash = PSKC_MACS[algorithm];
  if (!hash) throw unsupported(`MAC algorithm ${algorithm} is not supported`);
  return new Uint8Array(createHmac(hash, macKey).update(encrypted.cipher).digest());
}

function macMatches(expected: Uint8Array, given: Uint8Array): boolean {
  // Lengths are public (the digest size); the bytes are compared without an early exit.
  const padded = Buffer.alloc(expected.length);
  Buffer.from(given).copy(padded, 0, 0, Math.min(given.length, expected.length));
  return timingSafeEqual(Buffer.from(expected), padded) && given.length === expected.length;
}

function anyEncrypted(c: PskcContainer): boolean {
  return c.keys.some((k) => k.secret?.kind === 'encrypted');
}

/**
 * The secret of every key in clear. A plain container needs no key; an encrypted one needs the
 * pre-shared key its <EncryptionKey><ds:KeyName> names, and every MAC must hold, or nothing is returned.
 */
export function revealPskcSecrets(
  container: PskcContainer,
  options: { psk?: Uint8Array } = {},
): RevealedKey[] {
  let macKey: Uint8Array | undefined;
  let macAlgorithm: string | undefined;
  if (anyEncrypted(container)) {
    const ek = container.encryptionKey;
    // RFC 6030 §6.1: a pre-shared key is named by <ds:KeyName> inside <EncryptionKey>.
    if (ek?.kind === 'passphrase')
      throw unsupported('passphrase-based encryption (RFC 6030 §6.2) is not supported');
    if (ek?.kind === 'asymmetric')
      throw unsupported('asymmetric encryption (RFC 6030 §6.3) is not supported');
    const psk = options.psk;
    if (!psk) {
      throw new ServerError(
        'ERR_PSKC_KEY_REQUIRED',
        `the container is encrypted with the pre-shared key "${ek?.name ?? '(unnamed)'}": give it with --psk HEX`,
        { status: 422, messageId: 'error.pskc.keyRequired', details: { keyName: ek?.name ?? null } },
      );
    }
    // RFC 6030 §6.1.1: with a cipher that has no integrity (AES-CBC) a MAC over each encrypted value
    // is mandatory; the MAC key travels encrypted under the same pre-shared key in <MACKey>.
    if (!container.mac) throw macInvalid('the container is encrypted but has no <MACMethod>', 'MACMethod');
    if (!PSKC_MACS[container.mac.algorithm]) {
      throw unsupported(`MAC algorithm ${container.mac.algorithm} is not supported`);
    }
    if (!container.mac.key) throw unsupported('a MAC key agreed out of band (no <MACKey>) is not supported');
    macAlgorithm = container.mac.algorithm;
    macKey = decryptValue(container.mac.key, psk, 'MACKey');
  }
  return container.keys.map((key) => ({ key, secret: reveal(key, options.psk, macAlgorithm, macKey) }));
}

function reveal(
  key: PskcKey,
  psk: Uint8Array | undefined,
  macAlgorithm: string | undefined,
  macKey: Uint8Array | undefined,
): Uint8Array {
  const where = `key ${key.position} (Id ${key.id}) Secret`;
  const secret: PskcBinary | undefined = key.secret;
  if (!secret) {
    throw new ServerError('ERR_PSKC_INVALID', `not a valid PSKC file: ${where} is missing`, {
      status: 422,
      messageId: 'error.pskc.invalid',
    });
  }
  if (secret.kind === 'plain') return secret.value;
  if (!psk || !macKey || !macAlgorithm) throw decryptFailed(`${where} cannot be decrypted`);
  if (!secret.mac) throw macInvalid(`${where} has no ValueMAC`, where);
  // Encrypt-then-MAC: the MAC is checked before the ciphertext is touched.
  if (!macMatches(pskcMac(macAlgorithm, macKey, secret.encrypted), secret.mac)) {
    throw macInvalid(`${where}: the MAC does not match (the file was altered, or the key is wrong)`, where);
  }
  return decryptValue(secret.encrypted, psk, where);
}
