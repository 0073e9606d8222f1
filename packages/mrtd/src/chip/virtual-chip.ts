// A virtual eMRTD chip: APDU dispatch over the chip file system, access control (BAC, PACE), chip
// authentication, active authentication and secure messaging. The protocols are injected as small
// objects (fresh ones after every power cycle) so the chip can be tested piece by piece.
import { type CommandApdu, decodeCommandApdu, encodeResponseApdu, type ResponseApdu } from '../apdu/apdu.ts';
import { SW } from '../apdu/status-word.ts';
import { MrtdError } from '../errors.ts';
import type { ChipProtocolResult } from '../sm/chip-protocol-result.ts';
import {
  maxPlaintextResponseLength,
  protectResponse,
  type SmSession,
  unprotectCommand,
} from '../sm/secure-messaging.ts';
import type { ApduCard } from '../transport/memory-transport.ts';
import { type ChipEf, ChipFileSystem } from './chip-file-system.ts';

/** A chip-side protocol answering its own commands (BAC, PACE, CA), as M2's chip classes do. */
export interface ChipProtocol {
  handle(cmd: CommandApdu): ChipProtocolResult;
}

export interface VirtualChipOptions {
  readonly files: readonly ChipEf[];
  /** Each factory is called after every power cycle, so no protocol state survives a reset. */
  readonly bac?: () => ChipProtocol;
  readonly pace?: () => ChipProtocol;
  readonly chipAuthentication?: () => ChipProtocol;
  /** ICAO 9303-11 §6.1: signs the terminal's challenge with the AA private key. */
  readonly activeAuthentication?: (challenge: Uint8Array) => Uint8Array;
  /** Largest response data field the chip sends (protected form under SM); default 65536. */
  readonly maxResponseLength?: number;
  /** Whether the chip accepts extended-length APDUs (default true); if not, it answers them 6700. */
  readonly extendedLength?: boolean;
}

export type ChipAccess = 'none' | 'BAC' | 'PACE';

const reply = (sw: number, data: Uint8Array = new Uint8Array(0)): ResponseApdu => ({ data, sw });
const plain = (sw: number): Uint8Array => Uint8Array.of(sw >>> 8, sw & 0xff);

/** ISO/IEC 7816-4 §5.1: an extended-length APDU has a zero byte right after the header (and more). */
function isExtended(bytes: Uint8Array): boolean {
  return bytes.length > 5 && bytes[4] === 0;
}

export class VirtualChip implements ApduCard {
  readonly fileSystem: ChipFileSystem;
  readonly maxResponseLength: number;
  readonly extendedLength: boolean;
  readonly #options: VirtualChipOptions;
  #session: SmSession | undefined;
  #access: ChipAccess = 'none';
  #bac: ChipProtocol | undefined;
  #pace: ChipProtocol | undefined;
  #ca: ChipProtocol | undefined;
  /** Which protocol the next GENERAL AUTHENTICATE belongs to (set by MSE:Set AT). */
  #gaTarget: 'PACE' | 'CA' | undefined;
  #commandCount = 0;

  constructor(options: VirtualChipOptions) {
    this.#options = options;
    this.fileSystem = new ChipFileSystem(options.files);
    this.maxResponseLength = options.maxResponseLength ?? 65536;
    this.extendedLength = options.extendedLength ?? true;
    this.reset();
  }

  /** Access control passed in the current session. */
  get access(): ChipAccess {
    return this.#session === undefined ? 'none' : this.#access;
  }

  /** Command APDUs received since construction. */
  get commandCount(): number {
    return this.#commandCount;
  }

  reset(): void {
    this.fileSystem.reset();
    this.#session = undefined;
    this.#access = 'none';
    this.#gaTarget = undefined;
    this.#bac = this.#options.bac?.();
    this.#pace = this.#options.pace?.();
    this.#ca = this.#options.chipAuthentication?.();
  }

  handle(bytes: Uint8Array): Uint8Array {
    this.#commandCount++;
    if (!this.extendedLength && isExtended(bytes)) {
      this.#endSession();
      return plain(SW.WRONG_LENGTH);
    }
    let outer: CommandApdu;
    try {
      outer = decodeCommandApdu(bytes);
    } catch {
      this.#endSession();
      return plain(SW.WRONG_LENGTH);
    }
    if ((outer.cla & 0x0c) === 0x0c) return this.#handleSecure(bytes, outer.ne ?? 0);
    // ICAO 9303-11 §9.8.7: a plain command ends the secure messaging session.
    this.#endSession();
    const { response } = this.#dispatch(outer, Math.min(this.maxResponseLength, outer.ne ?? 0));
    return encodeResponseApdu(response);
  }

  #endSession(): void {
    this.#session = undefined;
    this.#access = 'none';
  }

  #handleSecure(bytes: Uint8Array, outerNe: number): Uint8Array {
    const session = this.#session;
    if (session === undefined) return plain(SW.SM_DATA_OBJECTS_INCORRECT);
    let command: CommandApdu;
    let afterCommand: SmSession;
    try {
      ({ command, session: afterCommand } = unprotectCommand(session, bytes));
    } catch (e) {
      // §9.8.7: an SM error ends the session; the answer is a plain status word.
      this.#endSession();
      if (e instanceof MrtdError && e.code === 'ERR_SM_FORMAT') return plain(SW.SM_DATA_OBJECTS_MISSING);
      return plain(SW.SM_DATA_OBJECTS_INCORRECT);
    }
    const maxProtected = Math.min(this.maxResponseLength, outerNe === 0 ? 256 : outerNe);
    const maxData = maxPlaintextResponseLength(session.cipher, maxProtected);
    const { response, session: next } = this.#dispatch(command, maxData, true);
    const { apdu, session: afterResponse } = protectResponse(afterCommand, response, {
      oddIns: (command.ins & 1) === 1 && response.data.length > 0,
    });
    // The response to the step that set up new keys still goes out under the old ones (§6.2.3, CA).
    if (next !== undefined) this.#session = next;
    else if (this.#session !== undefined) this.#session = afterResponse;
    return apdu;
  }

  #dispatch(
    cmd: CommandApdu,
    maxData: number,
    secure = false,
  ): { response: ResponseApdu; session?: SmSession } {
    if ((cmd.cla & 0xe0) !== 0) return { response: reply(SW.CLA_NOT_SUPPORTED) };
    switch (cmd.ins) {
      case 0xa4:
        return { response: this.fileSystem.select(cmd) };
      case 0xb0:
      case 0xb1:
        return { response: this.fileSystem.readBinary(cmd, { authenticated: secure, maxData }) };
      case 0x84:
      case 0x82:
        if (secure) return { response: reply(SW.CONDITIONS_NOT_SATISFIED) };
        return this.#runAccessControl(this.#bac, cmd, 'BAC');
      case 0x22:
        return this.#manageSecurityEnvironment(cmd, secure);
      case 0x86:
        if (this.#gaTarget === 'PACE') return this.#runAccessControl(this.#pace, cmd, 'PACE');
        if (this.#gaTarget === 'CA' && secure) return this.#runChipAuthentication(cmd);
        return { response: reply(SW.CONDITIONS_NOT_SATISFIED) };
      case 0x88:
        return { response: this.#internalAuthenticate(cmd, secure) };
      default:
        return { response: reply(SW.INS_NOT_SUPPORTED) };
    }
  }

  #manageSecurityEnvironment(
    cmd: CommandApdu,
    secure: boolean,
  ): { response: ResponseApdu; session?: SmSession } {
    // ICAO 9303-11 §4.4.4.1: MSE:Set AT for PACE is C1 A4; §6.2.4: for CA, 41 A4 (AES) or 41 A6 (3DES).
    if (cmd.p1 === 0xc1 && cmd.p2 === 0xa4 && !secure) {
      this.#gaTarget = 'PACE';
      return this.#runAccessControl(this.#pace, cmd, 'PACE');
    }
    if (cmd.p1 === 0x41 && (cmd.p2 === 0xa4 || cmd.p2 === 0xa6) && secure) {
      this.#gaTarget = cmd.p2 === 0xa4 ? 'CA' : undefined;
      return this.#runChipAuthentication(cmd);
    }
    return { response: reply(SW.INCORRECT_P1P2) };
  }

  #runAccessControl(
    protocol: ChipProtocol | undefined,
    cmd: CommandApdu,
    kind: 'BAC' | 'PACE',
  ): { response: ResponseApdu; session?: SmSession } {
    if (protocol === undefined) return { response: reply(SW.INS_NOT_SUPPORTED) };
    const result = protocol.handle(cmd);
    if (result.session !== undefined) {
      this.#access = kind;
      this.#gaTarget = undefined;
      // The answer to the last step goes out plain; the session starts with the next command.
      this.#session = result.session;
      return { response: result.response };
    }
    return { response: result.response };
  }

  #runChipAuthentication(cmd: CommandApdu): { response: ResponseApdu; session?: SmSession } {
    if (this.#ca === undefined) return { response: reply(SW.INS_NOT_SUPPORTED) };
    const result = this.#ca.handle(cmd);
    if (result.session !== undefined) this.#gaTarget = undefined;
    return result.session === undefined ? { response: result.response } : result;
  }

  #internalAuthenticate(cmd: CommandApdu, secure: boolean): ResponseApdu {
    const sign = this.#options.activeAuthentication;
    if (sign === undefined) return reply(SW.INS_NOT_SUPPORTED);
    // ICAO 9303-11 §6.1: AA runs after access control, over an 8-byte challenge.
    if (!secure) return reply(SW.SECURITY_STATUS_NOT_SATISFIED);
    const challenge = cmd.data ?? new Uint8Array(0);
    if (challenge.length !== 8) return reply(SW.WRONG_DATA);
    return reply(SW.OK, sign(challenge));
  }
}
