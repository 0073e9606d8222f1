// Command and response APDUs (ISO/IEC 7816-4 §5.1), short and extended length, and the card transport port.
import { concatBytes } from '../bytes.ts';
import { MrtdError } from '../errors.ts';

export interface CommandApdu {
  readonly cla: number;
  readonly ins: number;
  readonly p1: number;
  readonly p2: number;
  readonly data?: Uint8Array;
  /** Ne, the maximum response length expected; 0 or absent means no Le field. 256 / 65536 are the maxima. */
  readonly ne?: number;
}

export interface ResponseApdu {
  readonly data: Uint8Array;
  readonly sw: number;
}

/** A channel to a card: sends one command APDU, returns the response APDU bytes (data ‖ SW1 SW2). */
export interface CardTransport {
  transmit(command: Uint8Array): Promise<Uint8Array>;
  /** Largest Ne the transport/reader can carry (256 = short only, 65536 = extended). */
  readonly maxResponseLength?: number;
  close?(): Promise<void>;
}

function checkByte(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0 || v > 0xff)
    throw new MrtdError('ERR_APDU_FORMAT', `${name} is not a byte`);
}

/** ISO/IEC 7816-4 §5.1: chooses short form when Nc ≤ 255 and Ne ≤ 256, extended form otherwise. */
export function encodeCommandApdu(c: CommandApdu): Uint8Array {
  checkByte('CLA', c.cla);
  checkByte('INS', c.ins);
  checkByte('P1', c.p1);
  checkByte('P2', c.p2);
  const data = c.data ?? new Uint8Array(0);
  const ne = c.ne ?? 0;
  if (data.length > 65535) throw new MrtdError('ERR_APDU_FORMAT', 'command data longer than 65535 bytes');
  if (!Number.isInteger(ne) || ne < 0 || ne > 65536) throw new MrtdError('ERR_APDU_FORMAT', `bad Ne ${ne}`);
  const header = Uint8Array.of(c.cla, c.ins, c.p1, c.p2);
  const extended = data.length > 255 || ne > 256;
  if (!extended) {
    const lc = data.length > 0 ? Uint8Array.of(data.length) : new Uint8Array(0);
    const le = ne > 0 ? Uint8Array.of(ne === 256 ? 0 : ne) : new Uint8Array(0);
    return concatBytes(header, lc, data, le);
  }
  const lc = data.length > 0 ? Uint8Array.of(0, data.length >>> 8, data.length & 0xff) : new Uint8Array(0);
  const leValue = ne === 65536 ? 0 : ne;
  let le = new Uint8Array(0);
  if (ne > 0) {
    le =
      data.length > 0
        ? Uint8Array.of(leValue >>> 8, leValue & 0xff)
        : Uint8Array.of(0, leValue >>> 8, leValue & 0xff);
  }
  return concatBytes(header, lc, data, le);
}

/** Decodes a command APDU in any of the seven ISO/IEC 7816-3 §12.1.3 cases. */
export function decodeCommandApdu(bytes: Uint8Array): CommandApdu {
  if (bytes.length < 4) throw new MrtdError('ERR_APDU_FORMAT', 'command APDU shorter than 4 bytes');
  const [cla, ins, p1, p2] = [bytes[0] ?? 0, bytes[1] ?? 0, bytes[2] ?? 0, bytes[3] ?? 0];
  const body = bytes.subarray(4);
  const base = { cla, ins, p1, p2 };
  if (body.length === 0) return base; // case 1
  const b0 = body[0] ?? 0;
  if (body.length === 1) return { ...base, ne: b0 === 0 ? 256 : b0 }; // case 2S
  if (b0 !== 0) {
    // short Lc: case 3S or 4S
    const nc = b0;
    if (body.length === 1 + nc) return { ...base, data: body.slice(1) };
    if (body.length === 2 + nc) {
      const le = body[1 + nc] ?? 0;
      return { ...base, data: body.slice(1, 1 + nc), ne: le === 0 ? 256 : le };
    }
    throw new MrtdError('ERR_APDU_FORMAT', 'Lc does not match the command length');
  }
  if (body.length === 3) {
    // case 2E
    const le = ((body[1] ?? 0) << 8) | (body[2] ?? 0);
    return { ...base, ne: le === 0 ? 65536 : le };
  }
  const nc = ((body[1] ?? 0) << 8) | (body[2] ?? 0);
  if (nc === 0) throw new MrtdError('ERR_APDU_FORMAT', 'extended Lc of zero');
  if (body.length === 3 + nc) return { ...base, data: body.slice(3) }; // case 3E
  if (body.length === 5 + nc) {
    const le = ((body[3 + nc] ?? 0) << 8) | (body[4 + nc] ?? 0);
    return { ...base, data: body.slice(3, 3 + nc), ne: le === 0 ? 65536 : le }; // case 4E
  }
  throw new MrtdError('ERR_APDU_FORMAT', 'extended Lc does not match the command length');
}

export function decodeResponseApdu(bytes: Uint8Array): ResponseApdu {
  if (bytes.length < 2) throw new MrtdError('ERR_APDU_FORMAT', 'response APDU shorter than 2 bytes');
  const n = bytes.length;
  return { data: bytes.slice(0, n - 2), sw: ((bytes[n - 2] ?? 0) << 8) | (bytes[n - 1] ?? 0) };
}

export function encodeResponseApdu(r: ResponseApdu): Uint8Array {
  if (!Number.isInteger(r.sw) || r.sw < 0 || r.sw > 0xffff) throw new MrtdError('ERR_APDU_FORMAT', 'bad SW');
  return concatBytes(r.data, Uint8Array.of(r.sw >>> 8, r.sw & 0xff));
}
