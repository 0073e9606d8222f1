// Reads one elementary file with as few READ BINARY round trips as the chip allows: the first command
// asks for a whole chunk by short EF identifier, the TLV header in it gives the file's length, and the
// rest follows in chunks of the largest size the chip and reader carry. Offsets above 32767 use the
// odd INS B1 with an offset data object. A partial result survives errors so a read can resume.
import type { CardTransport, CommandApdu, ResponseApdu } from '../apdu/apdu.ts';
import { decodeResponseApdu, encodeCommandApdu } from '../apdu/apdu.ts';
import { requireOk, SW } from '../apdu/status-word.ts';
import { concatBytes } from '../bytes.ts';
import { MrtdError } from '../errors.ts';
import { decodeTlv } from '../tlv/tlv.ts';

/** An elementary file as the reader addresses it (a row of the LDS table). */
export interface FileRef {
  readonly name: string;
  readonly fid: number;
  readonly sfi?: number;
}

/** Bytes read so far; `total` is known once the TLV header has arrived. */
export interface PartialFile {
  data: Uint8Array;
  total: number | undefined;
}

/** Per access-control session: the channel and what the reader learnt about the chip. */
export interface FileReaderContext {
  readonly transport: CardTransport;
  /** Largest response data (plaintext) to ask for in one READ BINARY. */
  maxChunk: number;
  /** The chunk size to fall back to when the chip refuses extended length. */
  readonly shortChunk: number;
  /** Name of the EF the chip has selected, when the reader knows it. */
  currentFile: string | undefined;
  sfiSupported: boolean;
}

/** Files beyond this are refused: no LDS file comes near it, and a hostile chip must not keep us reading. */
export const MAX_FILE_LENGTH = 1 << 20;

const SELECT_EF_BY_FID = { cla: 0x00, ins: 0xa4, p1: 0x02, p2: 0x0c } as const;

export async function sendCommand(transport: CardTransport, command: CommandApdu): Promise<ResponseApdu> {
  return decodeResponseApdu(await transport.transmit(encodeCommandApdu(command)));
}

/**
 * The length of the whole TLV (header + value) that `prefix` begins, or undefined when the prefix
 * is too short to hold the header. ICAO 9303-10 §4.6: every LDS EF is one BER-TLV.
 */
export function tlvTotalLength(prefix: Uint8Array): number | undefined {
  try {
    const t = decodeTlv(prefix);
    return t.raw.length;
  } catch (e) {
    if (!(e instanceof MrtdError) || e.code !== 'ERR_TLV_TRUNCATED') throw e;
    const needed = e.details?.length;
    const available = e.details?.available;
    if (typeof needed === 'number' && typeof available === 'number') {
      return prefix.length - available + needed;
    }
    return undefined;
  }
}

function lengthOfLengthHeader(n: number): number {
  if (n < 0x80) return 1;
  if (n <= 0xff) return 2;
  if (n <= 0xffff) return 3;
  return 4;
}

function offsetObject(offset: number): Uint8Array {
  // ISO/IEC 7816-4 §11.2.3: offset data object '54', minimal big-endian encoding.
  const bytes =
    offset <= 0xffff ? [offset >>> 8, offset & 0xff] : [offset >>> 16, (offset >>> 8) & 0xff, offset & 0xff];
  return Uint8Array.of(0x54, bytes.length, ...bytes);
}

/** ISO/IEC 7816-4 §11.2.3: the odd-INS response wraps the data in DO '53'. */
function unwrapOddResponse(data: Uint8Array): Uint8Array {
  if (data.length === 0) return data;
  const t = decodeTlv(data);
  if (t.tag !== 0x53)
    throw new MrtdError('ERR_CARD_STATUS', 'READ BINARY (B1) answer is not a 53 data object');
  return t.value;
}

async function selectByFid(ctx: FileReaderContext, file: FileRef): Promise<void> {
  // ICAO 9303-10 §3.6.2: SELECT EF by FID under the eMRTD application.
  const r = await sendCommand(ctx.transport, {
    ...SELECT_EF_BY_FID,
    data: Uint8Array.of(file.fid >>> 8, file.fid & 0xff),
  });
  if (r.sw === SW.FILE_NOT_FOUND) {
    throw new MrtdError('ERR_LDS_FILE_NOT_FOUND', `${file.name} is not on the chip`, {
      details: { file: file.name },
    });
  }
  requireOk(r.sw, `SELECT ${file.name}`);
  ctx.currentFile = file.name;
}

function buildRead(ctx: FileReaderContext, file: FileRef, offset: number, ne: number): CommandApdu {
  const useSfi =
    ctx.currentFile !== file.name && ctx.sfiSupported && file.sfi !== undefined && offset <= 0xff;
  if (useSfi) return { cla: 0x00, ins: 0xb0, p1: 0x80 | (file.sfi ?? 0), p2: offset, ne };
  if (offset <= 0x7fff) return { cla: 0x00, ins: 0xb0, p1: offset >>> 8, p2: offset & 0xff, ne };
  return { cla: 0x00, ins: 0xb1, p1: 0x00, p2: 0x00, data: offsetObject(offset), ne };
}

/** Sends one READ BINARY, adapting Ne to the chip's hints; returns the data (possibly empty). */
async function readChunk(
  ctx: FileReaderContext,
  file: FileRef,
  offset: number,
  wanted: number,
): Promise<Uint8Array> {
  let limit = wanted;
  for (let attempt = 0; attempt < 4; attempt++) {
    if (ctx.currentFile !== file.name && !(ctx.sfiSupported && file.sfi !== undefined && offset <= 0xff)) {
      await selectByFid(ctx, file);
    }
    const odd = offset > 0x7fff;
    const dataLimit = Math.min(limit, ctx.maxChunk - (odd ? 1 + lengthOfLengthHeader(ctx.maxChunk) : 0));
    const ne = odd ? Math.min(ctx.maxChunk, dataLimit + 1 + lengthOfLengthHeader(dataLimit)) : dataLimit;
    const command = buildRead(ctx, file, offset, ne);
    const r = await sendCommand(ctx.transport, command);
    const sw = r.sw;
    if (sw === SW.OK || sw === SW.END_OF_FILE_WARNING) {
      if (command.p1 & 0x80 && command.ins === 0xb0) ctx.currentFile = file.name;
      return odd ? unwrapOddResponse(r.data) : r.data;
    }
    if ((sw & 0xff00) === 0x6c00) {
      // ISO/IEC 7816-4 §5.6: wrong Le, SW2 gives the exact number available.
      const exact = sw & 0xff || 256;
      if (exact >= ne || odd) break;
      limit = exact;
      continue;
    }
    if (sw === SW.WRONG_LENGTH && ctx.maxChunk > ctx.shortChunk) {
      // The chip (or reader) refuses extended length: short APDUs from now on.
      ctx.maxChunk = ctx.shortChunk;
      continue;
    }
    if (sw === SW.FILE_NOT_FOUND) {
      throw new MrtdError('ERR_LDS_FILE_NOT_FOUND', `${file.name} is not on the chip`, {
        details: { file: file.name },
      });
    }
    if (
      command.ins === 0xb0 &&
      command.p1 & 0x80 &&
      (sw === SW.FUNCTION_NOT_SUPPORTED ||
        sw === SW.INCORRECT_P1P2 ||
        sw === SW.WRONG_P1P2 ||
        sw === SW.INS_NOT_SUPPORTED)
    ) {
      // No short EF identifiers: select by FID and read by offset.
      ctx.sfiSupported = false;
      continue;
    }
    requireOk(sw, `READ BINARY ${file.name} at ${offset}`);
  }
  throw new MrtdError('ERR_CARD_STATUS', `READ BINARY ${file.name} at ${offset}: the chip keeps refusing`, {
    details: { file: file.name, offset },
  });
}

/**
 * Reads `file` to its end, continuing from `partial` (which it updates after every chunk, so a caller can
 * resume after an error). Calls `onData` after each chunk.
 */
export async function readFile(
  ctx: FileReaderContext,
  file: FileRef,
  partial: PartialFile,
  onData?: (partial: PartialFile) => void,
): Promise<Uint8Array> {
  for (;;) {
    const offset = partial.data.length;
    if (partial.total !== undefined && offset >= partial.total)
      return partial.data.subarray(0, partial.total);
    const wanted =
      partial.total === undefined ? ctx.maxChunk : Math.min(ctx.maxChunk, partial.total - offset);
    const chunk = await readChunk(ctx, file, offset, wanted);
    if (chunk.length === 0) {
      // The file ends before the length its TLV header announced (or holds nothing at all).
      throw new MrtdError(
        partial.total === undefined ? 'ERR_LDS_FORMAT' : 'ERR_TLV_TRUNCATED',
        `${file.name}: the chip returned no data at offset ${offset}`,
        {
          details: {
            file: file.name,
            offset,
            ...(partial.total !== undefined ? { length: partial.total } : {}),
          },
        },
      );
    }
    const room = partial.total === undefined ? chunk.length : partial.total - offset;
    partial.data = concatBytes(partial.data, chunk.length > room ? chunk.subarray(0, room) : chunk);
    if (partial.total === undefined) {
      const total = tlvTotalLength(partial.data);
      if (total !== undefined) {
        if (total > MAX_FILE_LENGTH) {
          throw new MrtdError('ERR_LDS_FORMAT', `${file.name} claims ${total} bytes`, {
            details: { file: file.name, length: total },
          });
        }
        partial.total = total;
        if (partial.data.length > total) partial.data = partial.data.slice(0, total);
      } else if (partial.data.length > 16) {
        throw new MrtdError('ERR_LDS_FORMAT', `${file.name} does not start with a TLV header`);
      }
    }
    onData?.(partial);
  }
}
