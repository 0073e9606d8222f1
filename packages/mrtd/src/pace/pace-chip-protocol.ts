// Chip side of PACE (ICAO 9303-11 §4.4) with ECDH generic mapping, for the virtual chip: answers
// MSE:Set AT and the four GENERAL AUTHENTICATE steps and hands back the new session on success.
import type { CommandApdu, ResponseApdu } from '../apdu/apdu.ts';
import { SW } from '../apdu/status-word.ts';
import { decodeOid } from '../asn1/oid.ts';
import { constantTimeEqual } from '../bytes.ts';
import { decodePoint, type EcPoint, encodePoint, randomScalar, xCoordinate } from '../crypto/ec-curves.ts';
import { type RandomSource, secureRandom } from '../crypto/random.ts';
import { MrtdError } from '../errors.ts';
import type { ChipProtocolResult } from '../sm/chip-protocol-result.ts';
import { decodeTlv, decodeTlvSequence, encodeTlv, findTlv, type Tlv } from '../tlv/tlv.ts';
import {
  authenticationToken,
  encryptNonce,
  genericMapping,
  type PacePasswordKind,
  type PaceSessionKeys,
  paceSessionKeys,
  paceSmSession,
  passwordKey,
} from './pace-crypto.ts';
import { type PaceParameters, paceParameters } from './pace-parameters.ts';
import type { PaceInfoInput } from './perform-pace.ts';

/** ISO/IEC 7816-4: 6300, authentication failed. */
const SW_AUTH_FAILED = 0x6300;
const empty = new Uint8Array(0);

type State =
  | { step: 'idle' }
  | { step: 'selected'; params: PaceParameters; kPi: Uint8Array }
  | { step: 'nonce'; params: PaceParameters; nonce: Uint8Array }
  | { step: 'mapped'; params: PaceParameters; generator: EcPoint }
  | { step: 'agreed'; params: PaceParameters; keys: PaceSessionKeys; pkPcd: Uint8Array; pkIc: Uint8Array };

export interface PaceChipOptions {
  /** The passwords the chip accepts: the MRZ information string and/or the CAN. */
  readonly passwords: { readonly mrz?: string; readonly can?: string };
  /** The PACEInfos the chip advertises in EF.CardAccess. */
  readonly paceInfos: readonly PaceInfoInput[];
  readonly random?: RandomSource;
}

export class PaceChipProtocol {
  readonly #options: PaceChipOptions;
  readonly #random: RandomSource;
  #state: State = { step: 'idle' };

  constructor(options: PaceChipOptions) {
    this.#options = options;
    this.#random = options.random ?? secureRandom;
  }

  /** True for MSE:Set AT for PACE (P1P2 C1A4) and GENERAL AUTHENTICATE. */
  static handles(cmd: CommandApdu): boolean {
    return (cmd.ins === 0x22 && cmd.p1 === 0xc1 && cmd.p2 === 0xa4) || cmd.ins === 0x86;
  }

  handle(cmd: CommandApdu): ChipProtocolResult {
    try {
      if (cmd.ins === 0x22) return this.#mseSetAt(cmd);
      if (cmd.ins === 0x86) return this.#generalAuthenticate(cmd);
      return status(SW.INS_NOT_SUPPORTED);
    } catch (e) {
      // Any malformed input or failed check ends the run; the terminal must start again.
      this.#state = { step: 'idle' };
      if (e instanceof MrtdError && (e.code === 'ERR_PACE_FAILED' || e.code === 'ERR_SM_PADDING')) {
        return status(SW_AUTH_FAILED);
      }
      if (e instanceof MrtdError && e.code === 'ERR_PACE_UNSUPPORTED')
        return status(SW.REFERENCE_DATA_NOT_USABLE);
      return status(SW.WRONG_DATA);
    }
  }

  // §4.4.4.1 MSE:Set AT: 80 protocol OID, 83 password reference, 84 domain parameter id.
  #mseSetAt(cmd: CommandApdu): ChipProtocolResult {
    this.#state = { step: 'idle' };
    const dos = decodeTlvSequence(cmd.data ?? empty);
    const oidDo = findTlv(dos, 0x80);
    const ref = findTlv(dos, 0x83)?.value;
    if (!oidDo || ref?.length !== 1) return status(SW.WRONG_DATA);
    const oid = decodeOid(oidDo.value);
    const requestedId = findTlv(dos, 0x84)?.value;
    const info = this.#options.paceInfos.find(
      (p) =>
        p.protocol === oid &&
        (requestedId === undefined || (requestedId.length === 1 && requestedId[0] === p.parameterId)),
    );
    if (!info || info.parameterId === undefined) return status(SW.REFERENCE_DATA_NOT_USABLE);
    const params = paceParameters(info.protocol, info.parameterId);
    if (params.agreement !== 'ECDH' || params.mapping !== 'GM' || !params.curve) {
      return status(SW.REFERENCE_DATA_NOT_USABLE);
    }
    const kind: PacePasswordKind | undefined = ref[0] === 1 ? 'mrz' : ref[0] === 2 ? 'can' : undefined;
    const value = kind === undefined ? undefined : this.#options.passwords[kind];
    if (kind === undefined || value === undefined) return status(SW.REFERENCED_DATA_NOT_FOUND);
    this.#state = { step: 'selected', params, kPi: passwordKey(params, { kind, value }) };
    return status(SW.OK);
  }

  #generalAuthenticate(cmd: CommandApdu): ChipProtocolResult {
    const outer = decodeTlv(cmd.data ?? empty);
    if (outer.tag !== 0x7c) return status(SW.WRONG_DATA);
    const dos = decodeTlvSequence(outer.value);
    const state = this.#state;
    const chained = (cmd.cla & 0x10) !== 0;
    switch (state.step) {
      case 'selected': {
        // §4.4.3.1: a random nonce s, sent encrypted with K_π.
        if (dos.length !== 0 || !chained) return this.#reset(SW.CONDITIONS_NOT_SATISFIED);
        const nonce = this.#random(16);
        this.#state = { step: 'nonce', params: state.params, nonce };
        return answer(encodeTlv(0x80, encryptNonce(state.params, state.kPi, nonce)));
      }
      case 'nonce': {
        // §4.4.3.3.1 generic mapping.
        const curve = curveOf(state.params);
        const pkMapPcd = decodePoint(curve, value(dos, 0x81), 'ERR_PACE_FAILED');
        const sk = randomScalar(curve, this.#random);
        const pk = curve.ecdsa.Point.BASE.multiply(sk);
        if (pk.equals(pkMapPcd) || !chained) return this.#reset(SW_AUTH_FAILED);
        const generator = genericMapping(curve, state.nonce, pkMapPcd.multiply(sk));
        this.#state = { step: 'mapped', params: state.params, generator };
        return answer(encodeTlv(0x82, encodePoint(pk)));
      }
      case 'mapped': {
        // §4.4.3.3.2 key agreement on the mapped generator.
        const curve = curveOf(state.params);
        const pkPcdPoint = decodePoint(curve, value(dos, 0x83), 'ERR_PACE_FAILED');
        const sk = randomScalar(curve, this.#random);
        const pkIc = encodePoint(state.generator.multiply(sk));
        const pkPcd = encodePoint(pkPcdPoint);
        if (constantTimeEqual(pkIc, pkPcd) || !chained) return this.#reset(SW_AUTH_FAILED);
        const keys = paceSessionKeys(state.params, xCoordinate(curve, pkPcdPoint.multiply(sk)));
        this.#state = { step: 'agreed', params: state.params, keys, pkPcd, pkIc };
        return answer(encodeTlv(0x84, pkIc));
      }
      case 'agreed': {
        // §4.4.3.4 mutual authentication: check T_PCD over PK_IC, answer T_IC over PK_PCD.
        const tPcd = value(dos, 0x85);
        const expected = authenticationToken(state.params, state.keys.ksMac, state.pkIc);
        if (chained || !constantTimeEqual(tPcd, expected)) return this.#reset(SW_AUTH_FAILED);
        const tIc = authenticationToken(state.params, state.keys.ksMac, state.pkPcd);
        this.#state = { step: 'idle' };
        return {
          response: { data: encodeTlv(0x7c, encodeTlv(0x86, tIc)), sw: SW.OK },
          session: paceSmSession(state.params, state.keys),
        };
      }
      default:
        return status(SW.CONDITIONS_NOT_SATISFIED);
    }
  }

  #reset(sw: number): ChipProtocolResult {
    this.#state = { step: 'idle' };
    return status(sw);
  }
}

function curveOf(params: PaceParameters) {
  if (!params.curve) throw new MrtdError('ERR_PACE_UNSUPPORTED', 'no curve');
  return params.curve;
}

function value(dos: readonly Tlv[], tag: number): Uint8Array {
  const t = findTlv(dos, tag);
  if (!t) throw new MrtdError('ERR_PACE_FAILED', `tag ${tag.toString(16)} missing`);
  return t.value;
}

function status(sw: number): { response: ResponseApdu } {
  return { response: { data: empty, sw } };
}

function answer(inner: Uint8Array): ChipProtocolResult {
  return { response: { data: encodeTlv(0x7c, inner), sw: SW.OK } };
}
