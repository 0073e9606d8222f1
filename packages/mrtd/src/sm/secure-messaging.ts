// Secure messaging (ICAO 9303-11 §9.8) for both ends: the terminal protects commands and checks
// responses, the chip checks commands and protects responses. Sessions are immutable: every step
// returns the session with the advanced send sequence counter (SSC), nothing is changed in place.

import { type CommandApdu, decodeCommandApdu, encodeCommandApdu, type ResponseApdu } from '../apdu/apdu.ts';
import { concatBytes, constantTimeEqual } from '../bytes.ts';
import { type CipherSuite, createCipherSuite } from '../crypto/cipher-suite.ts';
import { pad, unpad } from '../crypto/padding.ts';
import { MrtdError } from '../errors.ts';
import { decodeTlvSequence, encodeTlv, type Tlv } from '../tlv/tlv.ts';

export type SmCipher = '3DES' | 'AES';

export interface SmSession {
  readonly cipher: SmCipher;
  readonly kEnc: Uint8Array;
  readonly kMac: Uint8Array;
  /** Send sequence counter, big-endian: 8 bytes for 3DES, 16 for AES (§9.8.2). */
  readonly ssc: Uint8Array;
}

const SUITE = Symbol('cipherSuite');
interface SessionWithSuite extends SmSession {
  readonly [SUITE]: CipherSuite;
}

/** Builds a session, expanding its keys once; `ssc` defaults to zero (as after PACE and CA). */
export function createSmSession(init: {
  cipher: SmCipher;
  kEnc: Uint8Array;
  kMac: Uint8Array;
  ssc?: Uint8Array;
}): SmSession {
  const blockSize = init.cipher === 'AES' ? 16 : 8;
  const ssc = init.ssc ?? new Uint8Array(blockSize);
  if (ssc.length !== blockSize) {
    throw new MrtdError('ERR_USAGE', `the ${init.cipher} SSC has ${blockSize} bytes, not ${ssc.length}`);
  }
  const suite = createCipherSuite(init.cipher, init.kEnc, init.kMac);
  return withSuite(init.cipher, init.kEnc.slice(), init.kMac.slice(), ssc.slice(), suite);
}

function withSuite(
  cipher: SmCipher,
  kEnc: Uint8Array,
  kMac: Uint8Array,
  ssc: Uint8Array,
  suite: CipherSuite,
): SmSession {
  const s: SessionWithSuite = { cipher, kEnc, kMac, ssc, [SUITE]: suite };
  return Object.freeze(s);
}

function suiteOf(s: SmSession): CipherSuite {
  const cached = (s as Partial<SessionWithSuite>)[SUITE];
  return cached ?? createCipherSuite(s.cipher, s.kEnc, s.kMac);
}

/** The session with SSC + 1 (§9.8.2: incremented before each command and each response). */
export function incrementSsc(s: SmSession): SmSession {
  const ssc = s.ssc.slice();
  for (let i = ssc.length - 1; i >= 0; i--) {
    ssc[i] = ((ssc[i] ?? 0) + 1) & 0xff;
    if (ssc[i] !== 0) break;
  }
  return withSuite(s.cipher, s.kEnc, s.kMac, ssc, suiteOf(s));
}

/** §9.8.6.1: 3DES uses a zero IV; §9.8.6.2: AES uses IV = E(KSenc, SSC). */
function ivFor(s: SmSession, suite: CipherSuite): Uint8Array {
  return suite.cipher === 'AES' ? suite.encryptBlock(s.ssc) : new Uint8Array(8);
}

function encryptedDo(s: SmSession, suite: CipherSuite, data: Uint8Array, oddIns: boolean): Uint8Array {
  const cryptogram = suite.encrypt(pad(data, suite.blockSize), ivFor(s, suite));
  // §9.8.5: DO'87' carries a padding-content indicator (01); odd INS (BER-TLV data) uses DO'85'.
  return oddIns ? encodeTlv(0x85, cryptogram) : encodeTlv(0x87, concatBytes(Uint8Array.of(0x01), cryptogram));
}

function decryptDo(s: SmSession, suite: CipherSuite, t: Tlv): Uint8Array {
  let cryptogram = t.value;
  if (t.tag === 0x87) {
    if (t.value[0] !== 0x01) throw new MrtdError('ERR_SM_FORMAT', 'DO87 padding indicator is not 01');
    cryptogram = t.value.subarray(1);
  }
  if (cryptogram.length === 0 || cryptogram.length % suite.blockSize !== 0) {
    throw new MrtdError('ERR_SM_FORMAT', 'cryptogram is not whole cipher blocks');
  }
  return unpad(suite.decrypt(cryptogram, ivFor(s, suite)), suite.blockSize);
}

function macOver(s: SmSession, suite: CipherSuite, ...parts: Uint8Array[]): Uint8Array {
  return suite.mac(pad(concatBytes(s.ssc, ...parts), suite.blockSize));
}

function checkMac(s: SmSession, suite: CipherSuite, macInput: Uint8Array[], do8e: Tlv | undefined): void {
  if (do8e === undefined) throw new MrtdError('ERR_SM_FORMAT', 'DO8E (cryptographic checksum) missing');
  const expected = macOver(s, suite, ...macInput);
  if (!constantTimeEqual(expected, do8e.value)) {
    throw new MrtdError('ERR_SM_MAC', 'secure messaging MAC does not verify');
  }
}

function encodeLe(ne: number): Uint8Array {
  if (ne > 256) return Uint8Array.of((ne >>> 8) & 0xff, ne & 0xff); // 65536 → 00 00
  return Uint8Array.of(ne & 0xff); // 256 → 00
}

function decodeLe(value: Uint8Array): number {
  if (value.length === 1) return value[0] === 0 ? 256 : (value[0] ?? 0);
  if (value.length === 2) {
    const v = ((value[0] ?? 0) << 8) | (value[1] ?? 0);
    return v === 0 ? 65536 : v;
  }
  throw new MrtdError('ERR_SM_FORMAT', 'DO97 must hold one or two bytes');
}

/** Splits SM data into its DOs; DO'8E' must be last, and everything before it is MAC input. */
function splitDos(data: Uint8Array): { dos: Tlv[]; macInput: Uint8Array; do8e: Tlv | undefined } {
  let dos: Tlv[];
  try {
    dos = decodeTlvSequence(data);
  } catch (e) {
    throw new MrtdError('ERR_SM_FORMAT', 'secure messaging data objects are malformed', { cause: e });
  }
  const last = dos[dos.length - 1];
  if (last?.tag !== 0x8e) return { dos, macInput: data, do8e: undefined };
  if (last.value.length !== 8) throw new MrtdError('ERR_SM_FORMAT', 'DO8E must hold 8 bytes');
  const body = dos.slice(0, -1);
  if (body.some((t) => t.tag === 0x8e)) throw new MrtdError('ERR_SM_FORMAT', 'DO8E appears twice');
  return { dos: body, macInput: data.subarray(0, data.length - last.raw.length), do8e: last };
}

function single(dos: readonly Tlv[], tags: readonly number[]): Tlv | undefined {
  const found = dos.filter((t) => tags.includes(t.tag));
  if (found.length > 1) throw new MrtdError('ERR_SM_FORMAT', 'a secure messaging data object is repeated');
  return found[0];
}

// ---------------------------------------------------------------- terminal side

/** §9.8.4/§9.8.6: protects one command; returns the APDU bytes and the session after SSC + 1. */
export function protectCommand(s: SmSession, cmd: CommandApdu): { apdu: Uint8Array; session: SmSession } {
  if ((cmd.cla & 0x0c) !== 0)
    throw new MrtdError('ERR_USAGE', 'the command is already secure-messaging coded');
  const session = incrementSsc(s);
  const suite = suiteOf(session);
  const cla = cmd.cla | 0x0c;
  const header = Uint8Array.of(cla, cmd.ins, cmd.p1, cmd.p2);
  const data = cmd.data ?? new Uint8Array(0);
  const doData = data.length > 0 ? encryptedDo(session, suite, data, (cmd.ins & 1) === 1) : new Uint8Array(0);
  const ne = cmd.ne ?? 0;
  const do97 = ne > 0 ? encodeTlv(0x97, encodeLe(ne)) : new Uint8Array(0);
  const cc = macOver(session, suite, pad(header, suite.blockSize), doData, do97);
  const body = concatBytes(doData, do97, encodeTlv(0x8e, cc));
  // The protected command always expects a response (at least DO'99' and DO'8E'): Le = 00 or 0000.
  const extended = body.length > 255 || ne > 256;
  const apdu = encodeCommandApdu({
    cla,
    ins: cmd.ins,
    p1: cmd.p1,
    p2: cmd.p2,
    data: body,
    ne: extended ? 65536 : 256,
  });
  return { apdu, session };
}

/**
 * §9.8.4/§9.8.6: checks and decrypts one response; returns it and the session after SSC + 1.
 * A bare error status word without SM data objects (a chip reporting an SM error and ending the
 * session, §9.8.7) is passed through with `authenticated: false`; it carries no data, and a bare
 * 9000 or any unauthenticated data is rejected.
 */
export function unprotectResponse(
  s: SmSession,
  bytes: Uint8Array,
): { response: ResponseApdu; session: SmSession; authenticated: boolean } {
  if (bytes.length < 2) throw new MrtdError('ERR_SM_FORMAT', 'response shorter than a status word');
  const session = incrementSsc(s);
  const sw = ((bytes[bytes.length - 2] ?? 0) << 8) | (bytes[bytes.length - 1] ?? 0);
  const data = bytes.subarray(0, bytes.length - 2);
  if (data.length === 0) {
    if (sw === 0x9000 || (sw & 0xff00) === 0x6100) {
      throw new MrtdError('ERR_SM_MAC', 'a success status word arrived without secure messaging', {
        details: { sw },
      });
    }
    return { response: { data: new Uint8Array(0), sw }, session, authenticated: false };
  }
  const suite = suiteOf(session);
  const { dos, macInput, do8e } = splitDos(data);
  checkMac(session, suite, [macInput], do8e);
  const do99 = single(dos, [0x99]);
  if (do99 === undefined || do99.value.length !== 2) {
    throw new MrtdError('ERR_SM_FORMAT', 'DO99 (protected status word) missing or malformed');
  }
  const protectedSw = ((do99.value[0] ?? 0) << 8) | (do99.value[1] ?? 0);
  const encrypted = single(dos, [0x85, 0x87]);
  const plain = encrypted === undefined ? new Uint8Array(0) : decryptDo(session, suite, encrypted);
  return { response: { data: plain, sw: protectedSw }, session, authenticated: true };
}

// ---------------------------------------------------------------- chip side

/** Chip side of §9.8: checks and decrypts one protected command. Throws ERR_SM_MAC / ERR_SM_FORMAT. */
export function unprotectCommand(
  s: SmSession,
  bytes: Uint8Array,
): { command: CommandApdu; session: SmSession } {
  let raw: CommandApdu;
  try {
    raw = decodeCommandApdu(bytes);
  } catch (e) {
    throw new MrtdError('ERR_SM_FORMAT', 'protected command is not a valid APDU', { cause: e });
  }
  if ((raw.cla & 0x0c) !== 0x0c)
    throw new MrtdError('ERR_SM_FORMAT', 'command is not secure-messaging coded');
  const session = incrementSsc(s);
  const suite = suiteOf(session);
  const { dos, macInput, do8e } = splitDos(raw.data ?? new Uint8Array(0));
  const header = Uint8Array.of(raw.cla, raw.ins, raw.p1, raw.p2);
  checkMac(session, suite, [pad(header, suite.blockSize), macInput], do8e);
  for (const t of dos) {
    if (t.tag !== 0x85 && t.tag !== 0x87 && t.tag !== 0x97) {
      throw new MrtdError('ERR_SM_FORMAT', `unexpected data object ${t.tag.toString(16)} in a command`);
    }
  }
  const encrypted = single(dos, [0x85, 0x87]);
  const do97 = single(dos, [0x97]);
  const command: CommandApdu = {
    cla: raw.cla & ~0x0c & 0xff,
    ins: raw.ins,
    p1: raw.p1,
    p2: raw.p2,
    ...(encrypted ? { data: decryptDo(session, suite, encrypted) } : {}),
    ...(do97 ? { ne: decodeLe(do97.value) } : {}),
  };
  return { command, session };
}

/** Chip side of §9.8: protects one response (DO'87', DO'99', DO'8E'); returns the bytes incl. SW. */
export function protectResponse(
  s: SmSession,
  r: ResponseApdu,
  options: { oddIns?: boolean } = {},
): { apdu: Uint8Array; session: SmSession } {
  const session = incrementSsc(s);
  const suite = suiteOf(session);
  const doData =
    r.data.length > 0 ? encryptedDo(session, suite, r.data, options.oddIns === true) : new Uint8Array(0);
  const do99 = encodeTlv(0x99, Uint8Array.of(r.sw >>> 8, r.sw & 0xff));
  const cc = macOver(session, suite, doData, do99);
  const apdu = concatBytes(doData, do99, encodeTlv(0x8e, cc), Uint8Array.of(r.sw >>> 8, r.sw & 0xff));
  return { apdu, session };
}

/**
 * The largest plaintext response length whose protected form (DO'87' + DO'99' + DO'8E') still fits
 * in `maxProtected` bytes of response data.
 */
export function maxPlaintextResponseLength(cipher: SmCipher, maxProtected: number): number {
  const bs = cipher === 'AES' ? 16 : 8;
  const overhead = 4 + 10; // DO'99' and DO'8E'
  let best = 0;
  const maxBlocks = Math.floor(maxProtected / bs);
  for (let blocks = 1; blocks <= maxBlocks; blocks++) {
    const valueLength = 1 + blocks * bs;
    const lengthBytes = valueLength < 0x80 ? 1 : valueLength < 0x100 ? 2 : 3;
    if (1 + lengthBytes + valueLength + overhead > maxProtected) break;
    best = blocks * bs - 1;
  }
  return best;
}
