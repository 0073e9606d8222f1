// Chip side of Chip Authentication v1 (ICAO 9303-11 §6.2) for the virtual chip: MSE:Set KAT, or
// MSE:Set AT + GENERAL AUTHENTICATE; the response goes out under the old session, the new one follows.
import type { CommandApdu, ResponseApdu } from '../apdu/apdu.ts';
import { SW } from '../apdu/status-word.ts';
import { decodeOid } from '../asn1/oid.ts';
import { constantTimeEqual } from '../bytes.ts';
import { decodePoint, type EcCurve, xCoordinate } from '../crypto/ec-curves.ts';
import { MrtdError } from '../errors.ts';
import type { ChipProtocolResult } from '../sm/chip-protocol-result.ts';
import { decodeTlv, decodeTlvSequence, encodeTlv, findTlv } from '../tlv/tlv.ts';
import {
  type CaParameters,
  caParameters,
  caSession,
  DEFAULT_CA_ECDH_OID,
  keyIdBytes,
} from './ca-parameters.ts';

export interface CaChipOptions {
  readonly curve: EcCurve;
  /** The chip's static private scalar (big-endian bytes); its public key is in DG14. */
  readonly privateKey: Uint8Array;
  /** The ChipAuthenticationInfo protocol; defaults to id-CA-ECDH-3DES-CBC-CBC. */
  readonly protocol?: string;
  readonly keyId?: number;
}

const empty = new Uint8Array(0);

function status(sw: number): { response: ResponseApdu } {
  return { response: { data: empty, sw } };
}

export class CaChipProtocol {
  readonly #curve: EcCurve;
  readonly #sk: bigint;
  readonly #params: CaParameters;
  readonly #keyId: number | undefined;
  #selected = false;

  constructor(options: CaChipOptions) {
    this.#curve = options.curve;
    let sk = 0n;
    for (const b of options.privateKey) sk = (sk << 8n) | BigInt(b);
    if (sk <= 0n || sk >= options.curve.n) throw new MrtdError('ERR_USAGE', 'CA private key out of range');
    this.#sk = sk;
    this.#params = caParameters(options.protocol ?? DEFAULT_CA_ECDH_OID);
    this.#keyId = options.keyId;
  }

  /** MSE:Set KAT / MSE:Set AT for CA (P1 41), and GENERAL AUTHENTICATE once CA was selected. */
  handles(cmd: CommandApdu): boolean {
    return (
      (cmd.ins === 0x22 && cmd.p1 === 0x41 && (cmd.p2 === 0xa6 || cmd.p2 === 0xa4)) ||
      (cmd.ins === 0x86 && this.#selected)
    );
  }

  handle(cmd: CommandApdu): ChipProtocolResult {
    try {
      if (cmd.ins === 0x22 && cmd.p2 === 0xa6) return this.#kat(cmd);
      if (cmd.ins === 0x22 && cmd.p2 === 0xa4) return this.#setAt(cmd);
      if (cmd.ins === 0x86) return this.#generalAuthenticate(cmd);
      return status(SW.INS_NOT_SUPPORTED);
    } catch {
      this.#selected = false;
      return status(SW.WRONG_DATA);
    }
  }

  #keyIdMatches(dos: ReturnType<typeof decodeTlvSequence>): boolean {
    const ref = findTlv(dos, 0x84)?.value;
    if (ref === undefined) return true;
    return this.#keyId !== undefined && constantTimeEqual(ref, keyIdBytes(this.#keyId));
  }

  #agree(publicKey: Uint8Array): ChipProtocolResult['session'] {
    const pk = decodePoint(this.#curve, publicKey, 'ERR_CA_FAILED');
    return caSession(this.#params, xCoordinate(this.#curve, pk.multiply(this.#sk)));
  }

  // §6.2.4.1 MSE:Set KAT: 91 ephemeral public key, optional 84 key id.
  #kat(cmd: CommandApdu): ChipProtocolResult {
    const dos = decodeTlvSequence(cmd.data ?? empty);
    const pk = findTlv(dos, 0x91)?.value;
    if (!pk || !this.#keyIdMatches(dos)) return status(SW.REFERENCED_DATA_NOT_FOUND);
    return { response: { data: empty, sw: SW.OK }, session: this.#agree(pk) };
  }

  // §6.2.4.2 MSE:Set AT: 80 protocol OID, optional 84 key id.
  #setAt(cmd: CommandApdu): ChipProtocolResult {
    const dos = decodeTlvSequence(cmd.data ?? empty);
    const oid = findTlv(dos, 0x80)?.value;
    if (!oid || decodeOid(oid) !== this.#params.oid || !this.#keyIdMatches(dos)) {
      this.#selected = false;
      return status(SW.REFERENCE_DATA_NOT_USABLE);
    }
    this.#selected = true;
    return status(SW.OK);
  }

  // §6.2.4.2 GENERAL AUTHENTICATE: 7C { 80 ephemeral public key }, answered with an empty 7C.
  #generalAuthenticate(cmd: CommandApdu): ChipProtocolResult {
    if (!this.#selected) return status(SW.CONDITIONS_NOT_SATISFIED);
    this.#selected = false;
    const outer = decodeTlv(cmd.data ?? empty);
    const pk = outer.tag === 0x7c ? findTlv(decodeTlvSequence(outer.value), 0x80)?.value : undefined;
    if (!pk) return status(SW.WRONG_DATA);
    return { response: { data: encodeTlv(0x7c, empty), sw: SW.OK }, session: this.#agree(pk) };
  }
}
