// Basic Access Control key material (ICAO 9303-11 §4.3.2, §9.7.1): document keys from the MRZ
// information and the session keys and SSC from the exchanged key halves and challenges.
import { sha1 } from '@noble/hashes/legacy.js';
import { concatBytes, utf8 } from '../bytes.ts';
import { KDF_ENC, KDF_MAC, kdf } from '../crypto/kdf.ts';
import { createSmSession, type SmSession } from '../sm/secure-messaging.ts';

export interface BacKeys {
  readonly kEnc: Uint8Array;
  readonly kMac: Uint8Array;
}

/** §4.3.2: Kseed = the first 16 bytes of SHA-1(MRZ information); KEnc/KMac = KDF(Kseed, 1/2). */
export function deriveBacKeys(mrzInformation: string): BacKeys {
  const kSeed = sha1(utf8(mrzInformation)).subarray(0, 16);
  return { kEnc: kdf(kSeed, KDF_ENC, '3DES'), kMac: kdf(kSeed, KDF_MAC, '3DES') };
}

/** §4.3.3.3/§9.8.2: KSseed = K.IFD ⊕ K.IC; SSC = the low 4 bytes of RND.IC ‖ the low 4 bytes of RND.IFD. */
export function bacSession(
  kIfd: Uint8Array,
  kIc: Uint8Array,
  rndIc: Uint8Array,
  rndIfd: Uint8Array,
): SmSession {
  const seed = kIfd.map((b, i) => b ^ (kIc[i] ?? 0));
  return createSmSession({
    cipher: '3DES',
    kEnc: kdf(seed, KDF_ENC, '3DES'),
    kMac: kdf(seed, KDF_MAC, '3DES'),
    ssc: concatBytes(rndIc.subarray(4, 8), rndIfd.subarray(4, 8)),
  });
}
