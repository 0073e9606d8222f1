// One session's symmetric primitives (encrypt, decrypt, MAC) with keys expanded once, for 3DES or AES
// as ICAO 9303-11 §9.8.6 pairs them: 3DES-CBC + retail MAC, or AES-CBC + AES-CMAC truncated to 8 bytes.
import { MrtdError } from '../errors.ts';
import { AesKey } from './aes.ts';
import { DesCipher } from './des.ts';
import { RetailMac } from './retail-mac.ts';

export type SymmetricCipher = '3DES' | 'AES';

export interface CipherSuite {
  readonly cipher: SymmetricCipher;
  readonly blockSize: 8 | 16;
  /** CBC encryption with kEnc; `data` must be whole blocks. */
  encrypt(data: Uint8Array, iv: Uint8Array): Uint8Array;
  decrypt(data: Uint8Array, iv: Uint8Array): Uint8Array;
  /** One block encrypted with kEnc in ECB mode (the AES SM IV, §9.8.6.2). */
  encryptBlock(block: Uint8Array): Uint8Array;
  /**
   * The 8-byte MAC with kMac: retail MAC over whole (already padded) blocks for 3DES,
   * AES-CMAC (which pads internally when needed) truncated to 8 bytes for AES.
   */
  mac(data: Uint8Array): Uint8Array;
}

export function createCipherSuite(cipher: SymmetricCipher, kEnc: Uint8Array, kMac: Uint8Array): CipherSuite {
  if (cipher === '3DES') {
    if (kEnc.length !== 16 || kMac.length !== 16) {
      throw new MrtdError('ERR_USAGE', '3DES session keys have 16 bytes');
    }
    const des = new DesCipher(kEnc);
    const mac = new RetailMac(kMac);
    return {
      cipher,
      blockSize: 8,
      encrypt: (data, iv) => des.cbcEncrypt(data, iv),
      decrypt: (data, iv) => des.cbcDecrypt(data, iv),
      encryptBlock: (block) => des.encryptBlock(block),
      mac: (data) => mac.mac(data),
    };
  }
  if (cipher === 'AES') {
    if (![16, 24, 32].includes(kEnc.length) || kMac.length !== kEnc.length) {
      throw new MrtdError('ERR_USAGE', 'AES session keys have 16, 24 or 32 bytes, both the same length');
    }
    const enc = new AesKey(kEnc);
    const mac = new AesKey(kMac);
    return {
      cipher,
      blockSize: 16,
      encrypt: (data, iv) => enc.cbcEncrypt(data, iv),
      decrypt: (data, iv) => enc.cbcDecrypt(data, iv),
      encryptBlock: (block) => enc.ecbEncrypt(block),
      mac: (data) => mac.cmac(data).slice(0, 8),
    };
  }
  throw new MrtdError('ERR_CRYPTO_UNSUPPORTED', `no cipher ${String(cipher)}`);
}
