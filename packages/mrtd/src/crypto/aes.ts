// AES-CBC/ECB without padding and AES-CMAC (RFC 4493) over @noble/ciphers, for AES secure messaging
// and PACE (ICAO 9303-11 §9.8.6.2, BSI TR-03110-3 §F).
import { cbc, cmac, ecb } from '@noble/ciphers/aes.js';
import { MrtdError } from '../errors.ts';

function checkKey(key: Uint8Array): void {
  if (key.length !== 16 && key.length !== 24 && key.length !== 32) {
    throw new MrtdError('ERR_USAGE', `an AES key has 16, 24 or 32 bytes, not ${key.length}`);
  }
}

function checkBlocks(data: Uint8Array): void {
  if (data.length % 16 !== 0) throw new MrtdError('ERR_USAGE', 'AES input is not whole 16-byte blocks');
}

export function aesCbcEncrypt(key: Uint8Array, data: Uint8Array, iv: Uint8Array = new Uint8Array(16)): Uint8Array {
  checkKey(key);
  checkBlocks(data);
  return cbc(key, iv, { disablePadding: true }).encrypt(data);
}

export function aesCbcDecrypt(key: Uint8Array, data: Uint8Array, iv: Uint8Array = new Uint8Array(16)): Uint8Array {
  checkKey(key);
  checkBlocks(data);
  return cbc(key, iv, { disablePadding: true }).decrypt(data);
}

export function aesEcbEncrypt(key: Uint8Array, data: Uint8Array): Uint8Array {
  checkKey(key);
  checkBlocks(data);
  return ecb(key, { disablePadding: true }).encrypt(data);
}

/** AES-CMAC (RFC 4493, NIST SP 800-38B), the full 16-byte tag. */
export function aesCmac(key: Uint8Array, data: Uint8Array): Uint8Array {
  checkKey(key);
  return cmac(data, key);
}
