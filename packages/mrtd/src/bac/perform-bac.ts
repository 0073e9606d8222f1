// Terminal side of Basic Access Control (ICAO 9303-11 §4.3): GET CHALLENGE, EXTERNAL AUTHENTICATE,
// session keys. Returns the secure messaging session; nothing else is changed.
import { type CardTransport, decodeResponseApdu, encodeCommandApdu } from '../apdu/apdu.ts';
import { SW } from '../apdu/status-word.ts';
import { concatBytes, constantTimeEqual } from '../bytes.ts';
import { DesCipher } from '../crypto/des.ts';
import { pad } from '../crypto/padding.ts';
import { type RandomSource, secureRandom } from '../crypto/random.ts';
import { RetailMac } from '../crypto/retail-mac.ts';
import { MrtdError } from '../errors.ts';
import type { SmSession } from '../sm/secure-messaging.ts';
import { bacSession, deriveBacKeys } from './bac-keys.ts';

export interface BacOptions {
  /** Source of RND.IFD (8 bytes, drawn first) and K.IFD (16 bytes); defaults to a CSPRNG. */
  readonly random?: RandomSource;
}

function fail(message: string, details?: Record<string, unknown>): never {
  throw new MrtdError('ERR_BAC_FAILED', message, details ? { details } : undefined);
}

export async function performBac(
  transport: CardTransport,
  mrzInformation: string,
  options: BacOptions = {},
): Promise<SmSession> {
  const random = options.random ?? secureRandom;
  const { kEnc, kMac } = deriveBacKeys(mrzInformation);
  const enc = new DesCipher(kEnc);
  const mac = new RetailMac(kMac);

  // §4.3.3.1 step 1: GET CHALLENGE.
  const challenge = decodeResponseApdu(
    await transport.transmit(encodeCommandApdu({ cla: 0x00, ins: 0x84, p1: 0, p2: 0, ne: 8 })),
  );
  if (challenge.sw !== SW.OK || challenge.data.length !== 8) {
    fail('GET CHALLENGE did not return an 8-byte RND.IC', { sw: challenge.sw });
  }
  const rndIc = challenge.data;

  // §4.3.3.1 steps 2-3: S = RND.IFD ‖ RND.IC ‖ K.IFD, E.IFD = E(KEnc, S), M.IFD = MAC(KMac, E.IFD).
  const rndIfd = random(8);
  const kIfd = random(16);
  const eIfd = enc.cbcEncrypt(concatBytes(rndIfd, rndIc, kIfd));
  const mIfd = mac.mac(pad(eIfd, 8));
  const answer = decodeResponseApdu(
    await transport.transmit(
      encodeCommandApdu({ cla: 0x00, ins: 0x82, p1: 0, p2: 0, data: concatBytes(eIfd, mIfd), ne: 40 }),
    ),
  );
  if (answer.sw !== SW.OK || answer.data.length !== 40) {
    fail('EXTERNAL AUTHENTICATE was refused (wrong MRZ information?)', { sw: answer.sw });
  }

  // §4.3.3.1 step 5: check M.IC, decrypt, check that RND.IFD and RND.IC come back.
  const eIc = answer.data.subarray(0, 32);
  if (!constantTimeEqual(mac.mac(pad(eIc, 8)), answer.data.subarray(32, 40))) fail('M.IC does not verify');
  const r = enc.cbcDecrypt(eIc);
  if (!constantTimeEqual(r.subarray(0, 8), rndIc) || !constantTimeEqual(r.subarray(8, 16), rndIfd)) {
    fail('the chip did not return the exchanged challenges');
  }
  return bacSession(kIfd, r.subarray(16, 32), rndIc, rndIfd);
}
