// Chip side of Basic Access Control (ICAO 9303-11 §4.3) for the virtual chip: answers GET CHALLENGE
// and EXTERNAL AUTHENTICATE and hands back the new secure messaging session on success.
import type { CommandApdu } from '../apdu/apdu.ts';
import { SW } from '../apdu/status-word.ts';
import { concatBytes, constantTimeEqual } from '../bytes.ts';
import { DesCipher } from '../crypto/des.ts';
import { pad } from '../crypto/padding.ts';
import { type RandomSource, secureRandom } from '../crypto/random.ts';
import { RetailMac } from '../crypto/retail-mac.ts';
import type { ChipProtocolResult } from '../sm/chip-protocol-result.ts';
import { bacSession, deriveBacKeys } from './bac-keys.ts';

/** ISO/IEC 7816-4: 6300, authentication failed (no further information). */
const SW_AUTH_FAILED = 0x6300;

const empty = new Uint8Array(0);

export class BacChipProtocol {
  readonly #enc: DesCipher;
  readonly #mac: RetailMac;
  readonly #random: RandomSource;
  #rndIc: Uint8Array | undefined;

  constructor(options: { mrzInformation: string; random?: RandomSource }) {
    const { kEnc, kMac } = deriveBacKeys(options.mrzInformation);
    this.#enc = new DesCipher(kEnc);
    this.#mac = new RetailMac(kMac);
    this.#random = options.random ?? secureRandom;
  }

  /** True for the commands this protocol answers (GET CHALLENGE, EXTERNAL AUTHENTICATE). */
  static handles(cmd: CommandApdu): boolean {
    return (cmd.cla & 0xf0) === 0 && (cmd.ins === 0x84 || cmd.ins === 0x82);
  }

  handle(cmd: CommandApdu): ChipProtocolResult {
    if (cmd.ins === 0x84) return this.#getChallenge(cmd);
    if (cmd.ins === 0x82) return this.#externalAuthenticate(cmd);
    return { response: { data: empty, sw: SW.INS_NOT_SUPPORTED } };
  }

  // §4.3.3.1 step 1: an 8-byte RND.IC, remembered for one EXTERNAL AUTHENTICATE.
  #getChallenge(cmd: CommandApdu): ChipProtocolResult {
    if (cmd.p1 !== 0 || cmd.p2 !== 0) return { response: { data: empty, sw: SW.INCORRECT_P1P2 } };
    if (cmd.ne !== 8) return { response: { data: empty, sw: SW.WRONG_LENGTH } };
    this.#rndIc = this.#random(8);
    return { response: { data: this.#rndIc.slice(), sw: SW.OK } };
  }

  // §4.3.3.1 step 4: check M.IFD and RND.IC, answer E.IC ‖ M.IC with a fresh K.IC.
  #externalAuthenticate(cmd: CommandApdu): ChipProtocolResult {
    const rndIc = this.#rndIc;
    this.#rndIc = undefined; // one attempt per challenge
    if (rndIc === undefined) return { response: { data: empty, sw: SW.CONDITIONS_NOT_SATISFIED } };
    const data = cmd.data ?? empty;
    if (data.length !== 40) return { response: { data: empty, sw: SW.WRONG_LENGTH } };
    const eIfd = data.subarray(0, 32);
    if (!constantTimeEqual(this.#mac.mac(pad(eIfd, 8)), data.subarray(32, 40))) {
      return { response: { data: empty, sw: SW_AUTH_FAILED } };
    }
    const s = this.#enc.cbcDecrypt(eIfd);
    if (!constantTimeEqual(s.subarray(8, 16), rndIc))
      return { response: { data: empty, sw: SW_AUTH_FAILED } };
    const rndIfd = s.subarray(0, 8);
    const kIfd = s.subarray(16, 32);
    const kIc = this.#random(16);
    const eIc = this.#enc.cbcEncrypt(concatBytes(rndIc, rndIfd, kIc));
    const mIc = this.#mac.mac(pad(eIc, 8));
    return {
      response: { data: concatBytes(eIc, mIc), sw: SW.OK },
      session: bacSession(kIfd, kIc, rndIc, rndIfd),
    };
  }
}
