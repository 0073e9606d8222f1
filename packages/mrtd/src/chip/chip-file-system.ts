// The virtual chip's file system: the master file (EF.CardAccess, ...) and the eMRTD application
// (EF.COM, EF.SOD, DG1..DG16), with SELECT and READ BINARY (even and odd INS) on plain commands.
// Access conditions are checked here; secure messaging is the caller's business.
import type { CommandApdu, ResponseApdu } from '../apdu/apdu.ts';
import { SW } from '../apdu/status-word.ts';
import { constantTimeEqual } from '../bytes.ts';
import { EMRTD_AID } from '../reader/emrtd-aid.ts';
import { decodeTlv, encodeTlv } from '../tlv/tlv.ts';

export type ChipDf = 'MF' | 'eMRTD';

export interface ChipEf {
  readonly name: string;
  readonly fid: number;
  readonly sfi?: number;
  readonly df: ChipDf;
  readonly data: Uint8Array;
  /** True for files readable only inside a secure-messaging session (after BAC or PACE). */
  readonly protected: boolean;
}

export interface ReadLimits {
  /** The holder has passed access control and the command came through secure messaging. */
  readonly authenticated: boolean;
  /** Most response data bytes the chip returns to this command. */
  readonly maxData: number;
}

const reply = (sw: number, data: Uint8Array = new Uint8Array(0)): ResponseApdu => ({ data, sw });

export class ChipFileSystem {
  readonly files: readonly ChipEf[];
  #df: ChipDf = 'MF';
  #ef: ChipEf | undefined;

  constructor(files: readonly ChipEf[]) {
    this.files = files;
  }

  get currentDf(): ChipDf {
    return this.#df;
  }

  /** Power-up state: the MF is implicitly selected (ISO/IEC 7816-4 §7.1.1). */
  reset(): void {
    this.#df = 'MF';
    this.#ef = undefined;
  }

  #find(df: ChipDf, match: (f: ChipEf) => boolean): ChipEf | undefined {
    return this.files.find((f) => f.df === df && match(f));
  }

  /** ISO/IEC 7816-4 §11.1.1 SELECT; ICAO 9303-10 §3.6.2 (by AID, by FID). */
  select(cmd: CommandApdu): ResponseApdu {
    const data = cmd.data ?? new Uint8Array(0);
    if (cmd.p1 === 0x04) {
      if (!constantTimeEqual(data, EMRTD_AID)) return reply(SW.FILE_NOT_FOUND);
      this.#df = 'eMRTD';
      this.#ef = undefined;
      return reply(SW.OK);
    }
    if (cmd.p1 !== 0x00 && cmd.p1 !== 0x02) return reply(SW.INCORRECT_P1P2);
    if (
      cmd.p1 === 0x00 &&
      (data.length === 0 || (data.length === 2 && data[0] === 0x3f && data[1] === 0x00))
    ) {
      this.#df = 'MF';
      this.#ef = undefined;
      return reply(SW.OK);
    }
    if (data.length !== 2) return reply(SW.WRONG_LENGTH);
    const fid = ((data[0] ?? 0) << 8) | (data[1] ?? 0);
    const ef = this.#find(this.#df, (f) => f.fid === fid);
    if (ef === undefined) return reply(SW.FILE_NOT_FOUND);
    this.#ef = ef;
    if ((cmd.p2 & 0x0c) === 0x0c) return reply(SW.OK);
    // File control parameters: size (80), descriptor transparent EF (82), FID (83).
    const fcp = encodeTlv(
      0x62,
      Uint8Array.of(
        0x80,
        0x02,
        ef.data.length >>> 8,
        ef.data.length & 0xff,
        0x82,
        0x01,
        0x01,
        0x83,
        0x02,
        fid >>> 8,
        fid & 0xff,
      ),
    );
    return reply(SW.OK, fcp);
  }

  /** ISO/IEC 7816-4 §11.2.3 READ BINARY: B0 with offset in P1-P2 or an SFI in P1, B1 with offset DO'54'. */
  readBinary(cmd: CommandApdu, limits: ReadLimits): ResponseApdu {
    const odd = cmd.ins === 0xb1;
    let ef: ChipEf | undefined;
    let offset: number;
    if (!odd) {
      if (cmd.p1 & 0x80) {
        if (cmd.p1 & 0x60) return reply(SW.INCORRECT_P1P2);
        const sfi = cmd.p1 & 0x1f;
        ef = this.#find(this.#df, (f) => f.sfi === sfi);
        if (ef === undefined) return reply(SW.FILE_NOT_FOUND);
        offset = cmd.p2;
      } else {
        ef = this.#ef;
        offset = (cmd.p1 << 8) | cmd.p2;
      }
    } else {
      const id = (cmd.p1 << 8) | cmd.p2;
      if (id === 0) ef = this.#ef;
      else if (cmd.p1 === 0 && cmd.p2 <= 0x1f) ef = this.#find(this.#df, (f) => f.sfi === cmd.p2);
      else ef = this.#find(this.#df, (f) => f.fid === id);
      if (id !== 0 && ef === undefined) return reply(SW.FILE_NOT_FOUND);
      const parsed = parseOffsetObject(cmd.data);
      if (parsed === undefined) return reply(SW.WRONG_DATA);
      offset = parsed;
    }
    if (ef === undefined) return reply(SW.CONDITIONS_NOT_SATISFIED); // no current EF
    if (ef.protected && !limits.authenticated) return reply(SW.SECURITY_STATUS_NOT_SATISFIED);
    this.#ef = ef;
    const ne = cmd.ne ?? 0;
    if (ne === 0) return reply(SW.WRONG_LENGTH);
    if (offset > ef.data.length) return reply(SW.WRONG_P1P2);
    const available = ef.data.length - offset;
    const room = Math.min(ne, limits.maxData);
    // DO'53' header, reckoned generously so the wrapped answer never exceeds the room.
    const header = odd ? (room > 0x102 ? 4 : room > 0x81 ? 3 : 2) : 0;
    const n = Math.max(0, Math.min(available, room - header));
    const chunk = ef.data.slice(offset, offset + n);
    // ISO/IEC 7816-4 §5.6: 6282 when the end of the file came before Ne bytes.
    const sw = n < available || n + header >= ne ? SW.OK : SW.END_OF_FILE_WARNING;
    return reply(sw, odd ? encodeTlv(0x53, chunk) : chunk);
  }
}

function parseOffsetObject(data: Uint8Array | undefined): number | undefined {
  if (data === undefined || data.length === 0) return undefined;
  try {
    const t = decodeTlv(data);
    if (t.tag !== 0x54 || t.value.length === 0 || t.value.length > 3) return undefined;
    let offset = 0;
    for (const b of t.value) offset = offset * 256 + b;
    return offset;
  } catch {
    return undefined;
  }
}
