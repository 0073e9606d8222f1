// Reads an eMRTD: EF.CardAccess, access control (PACE preferred, BAC as fallback), the eMRTD
// application's EF.COM, EF.SOD and data groups, then chip authentication (if DG14 offers it) and
// active authentication over the caller's challenge. A broken read resumes from its last good offset
// after access control has been run again; finished files are kept. ICAO 9303-10 and 9303-11.
import type { CardTransport } from '../apdu/apdu.ts';
import { requireOk } from '../apdu/status-word.ts';
import type { RandomSource } from '../crypto/random.ts';
import { MrtdError } from '../errors.ts';
import { decodeCom } from '../lds/com.ts';
import { decodeCardAccess } from '../lds/dg14.ts';
import { type LdsFileName, ldsFileByName } from '../lds/lds-file.ts';
import type { PaceInfoInput } from '../pace/perform-pace.ts';
import { performActiveAuthenticationStep, performChipAuthenticationStep } from './authenticate-chip.ts';
import { CountingTransport } from './counting-transport.ts';
import { EMRTD_AID } from './emrtd-aid.ts';
import { type AccessPassword, type EstablishedAccess, establishAccess } from './establish-access.ts';
import { type FileReaderContext, type PartialFile, readFile, sendCommand } from './read-file.ts';

export interface ReadProgress {
  readonly file: LdsFileName;
  readonly bytesRead: number;
  /** Undefined until the file's TLV header has been read. */
  readonly bytesExpected: number | undefined;
  readonly totalRead: number;
  /** Sum over the files whose length is known so far; grows as files are discovered. */
  readonly totalExpected: number;
}

export interface ReadDocumentOptions {
  readonly transport: CardTransport;
  readonly password: AccessPassword;
  /** Data groups to read; default: every one EF.COM lists except DG3 and DG4 (those need EAC). */
  readonly files?: readonly LdsFileName[];
  /** ICAO 9303-11 §6.1: the verifier's 8-byte challenge; active authentication runs only when given. */
  readonly activeAuthenticationChallenge?: Uint8Array;
  /** Run chip authentication when DG14 offers it (default true). */
  readonly chipAuthentication?: boolean;
  readonly onProgress?: (progress: ReadProgress) => void;
  /** How often a broken read may be resumed (default 3). */
  readonly maxResumes?: number;
  /** Milliseconds clock for the timings (default performance.now). */
  readonly clock?: () => number;
  readonly random?: RandomSource;
}

export type ChipAuthenticationOutcome = 'performed' | 'not_offered' | 'not_requested' | 'failed';

export interface ReadDocumentResult {
  /** Raw file contents by LDS name, including EF.CardAccess when the chip has one. */
  readonly files: ReadonlyMap<LdsFileName, Uint8Array>;
  readonly protocol: 'PACE' | 'BAC';
  readonly chipAuthentication: ChipAuthenticationOutcome;
  /** The error code when chip authentication failed. */
  readonly chipAuthenticationError?: string;
  /** The chip's answer to INTERNAL AUTHENTICATE, for the verifier to check against DG15. */
  readonly activeAuthenticationResponse?: Uint8Array;
  /** Files EF.COM listed (or the caller asked for) that the chip does not have. */
  readonly missingFiles: readonly LdsFileName[];
  readonly apduCount: number;
  readonly resumes: number;
  readonly timings: {
    readonly accessControlMs: number;
    readonly readMs: number;
    readonly chipAuthenticationMs: number;
    readonly activeAuthenticationMs: number;
    readonly totalMs: number;
  };
}

const EAC_PROTECTED: ReadonlySet<LdsFileName> = new Set(['DG3', 'DG4']);

/** Errors after which the session (or the card link) is gone but the card itself may still answer. */
function isResumable(e: unknown): boolean {
  if (!(e instanceof MrtdError)) return false;
  if (e.code === 'ERR_TRANSPORT' || e.code === 'ERR_SM_MAC' || e.code === 'ERR_SM_FORMAT') return true;
  if (e.code === 'ERR_CARD_STATUS') {
    const sw = e.details?.sw;
    // 6987/6988: SM error, the chip dropped its keys (§9.8.7); 6700: extended length refused (also ends SM);
    // 6982: the chip no longer sees an authenticated session.
    return sw === 0x6987 || sw === 0x6988 || sw === 0x6700 || sw === 0x6982;
  }
  return false;
}

function shortChunkFor(transport: CardTransport, secure: boolean): number {
  // ICAO 9303-10 / JMRTD practice: 0xDF plaintext bytes fit a short protected response (256 bytes).
  return Math.min(secure ? 0xdf : 256, transport.maxResponseLength ?? 256);
}

export async function readDocument(options: ReadDocumentOptions): Promise<ReadDocumentResult> {
  const clock = options.clock ?? (() => performance.now());
  const started = clock();
  const raw = new CountingTransport(options.transport);
  const maxResumes = options.maxResumes ?? 3;
  const files = new Map<LdsFileName, Uint8Array>();
  const partials = new Map<LdsFileName, PartialFile>();
  const missing: LdsFileName[] = [];
  let resumes = 0;
  const timings = {
    accessControlMs: 0,
    readMs: 0,
    chipAuthenticationMs: 0,
    activeAuthenticationMs: 0,
    totalMs: 0,
  };

  // ICAO 9303-11 §4.2: EF.CardAccess (MF, SFI 1C) says whether and how the chip does PACE.
  const plainCtx: FileReaderContext = {
    transport: raw,
    maxChunk: raw.maxResponseLength ?? 256,
    shortChunk: shortChunkFor(raw, false),
    currentFile: undefined,
    sfiSupported: true,
  };
  let paceInfos: PaceInfoInput[] = [];
  try {
    const cardAccess = await readFile(plainCtx, ldsFileByName('CardAccess'), {
      data: new Uint8Array(0),
      total: undefined,
    });
    files.set('CardAccess', cardAccess);
    paceInfos = decodeCardAccess(cardAccess).securityInfos.flatMap((info) =>
      info.type === 'PACEInfo'
        ? [
            {
              protocol: info.protocol,
              ...(info.parameterId !== undefined ? { parameterId: info.parameterId } : {}),
            },
          ]
        : [],
    );
  } catch (e) {
    if (!(e instanceof MrtdError) || e.code === 'ERR_TRANSPORT' || e.code === 'ERR_NO_CARD') throw e;
    // No (readable, well-formed) EF.CardAccess: BAC only.
  }

  let access!: EstablishedAccess;
  let ctx!: FileReaderContext;
  let maxChunk = Number.POSITIVE_INFINITY;
  let caKeys: Uint8Array | undefined; // DG14, once chip authentication succeeded
  let chipAuthentication: ChipAuthenticationOutcome =
    options.chipAuthentication === false ? 'not_requested' : 'not_offered';
  let chipAuthenticationError: string | undefined;

  const establish = async (): Promise<void> => {
    const t0 = clock();
    access = await establishAccess({
      transport: raw,
      password: options.password,
      paceInfos,
      ...(options.random ? { random: options.random } : {}),
    });
    // ICAO 9303-10 §3.6.1: the eMRTD application (under SM after PACE, it was selected before BAC).
    if (access.protocol === 'PACE') {
      const r = await sendCommand(access.transport, {
        cla: 0x00,
        ins: 0xa4,
        p1: 0x04,
        p2: 0x0c,
        data: EMRTD_AID,
      });
      requireOk(r.sw, 'SELECT eMRTD application');
    }
    if (caKeys !== undefined)
      access = (await performChipAuthenticationStep(access, caKeys, options.random)) ?? access;
    const secure = access.transport;
    const shortChunk = shortChunkFor(secure, true);
    ctx = {
      transport: secure,
      maxChunk: Math.max(shortChunk, Math.min(maxChunk, secure.maxResponseLength ?? shortChunk)),
      shortChunk,
      currentFile: undefined,
      sfiSupported: ctx?.sfiSupported ?? true,
    };
    timings.accessControlMs += clock() - t0;
  };

  const resumeAfter = async (e: unknown): Promise<void> => {
    if (!isResumable(e) || resumes >= maxResumes) throw e;
    resumes++;
    maxChunk = ctx.maxChunk; // keep what was learnt about the chip's limits
    await establish();
  };

  const progress = (file: LdsFileName, p: PartialFile) => {
    if (options.onProgress === undefined) return;
    let totalRead = 0;
    let totalExpected = 0;
    for (const [name, data] of files) {
      if (name === 'CardAccess') continue;
      totalRead += data.length;
      totalExpected += data.length;
    }
    for (const [name, q] of partials) {
      if (files.has(name)) continue;
      totalRead += q.data.length;
      totalExpected += q.total ?? q.data.length;
    }
    options.onProgress({ file, bytesRead: p.data.length, bytesExpected: p.total, totalRead, totalExpected });
  };

  const read = async (name: LdsFileName): Promise<Uint8Array | undefined> => {
    const t0 = clock();
    const partial = partials.get(name) ?? { data: new Uint8Array(0), total: undefined };
    partials.set(name, partial);
    try {
      for (;;) {
        try {
          const data = await readFile(ctx, ldsFileByName(name), partial, (p) => progress(name, p));
          files.set(name, data);
          return data;
        } catch (e) {
          if (e instanceof MrtdError && e.code === 'ERR_LDS_FILE_NOT_FOUND') {
            missing.push(name);
            partials.delete(name);
            return undefined;
          }
          await resumeAfter(e);
        }
      }
    } finally {
      timings.readMs += clock() - t0;
    }
  };

  await establish();

  const com = await read('COM');
  if (com === undefined)
    throw new MrtdError('ERR_LDS_FILE_NOT_FOUND', 'the chip has no EF.COM', { details: { file: 'COM' } });
  const listed = decodeCom(com).dataGroups.map((dg) => `DG${dg}` as LdsFileName);
  const wanted = options.files ?? listed.filter((n) => !EAC_PROTECTED.has(n));
  const sod = await read('SOD');
  if (sod === undefined)
    throw new MrtdError('ERR_LDS_FILE_NOT_FOUND', 'the chip has no EF.SOD', { details: { file: 'SOD' } });

  // DG14 first, so chip authentication (ICAO 9303-11 §6.2) protects the rest of the read.
  const ordered = [...new Set(wanted)].sort((a, b) => (a === 'DG14' ? -1 : b === 'DG14' ? 1 : 0));
  for (const name of ordered) {
    if (name === 'COM' || name === 'SOD' || name === 'CardAccess' || name === 'CardSecurity') continue;
    const data = await read(name);
    if (name === 'DG14' && data !== undefined && options.chipAuthentication !== false) {
      const t0 = clock();
      try {
        const next = await performChipAuthenticationStep(access, data, options.random);
        if (next !== undefined) {
          access = next;
          ctx = { ...ctx, transport: next.transport, currentFile: undefined };
          caKeys = data;
          chipAuthentication = 'performed';
        }
      } catch (e) {
        if (!(e instanceof MrtdError) || e.code === 'ERR_TRANSPORT') throw e;
        // A failed CA is a finding for the verifier, not a reason to stop: read on under fresh access control.
        chipAuthentication = 'failed';
        chipAuthenticationError = e.code;
        await establish();
      }
      timings.chipAuthenticationMs += clock() - t0;
    }
  }

  let activeAuthenticationResponse: Uint8Array | undefined;
  if (options.activeAuthenticationChallenge !== undefined && files.has('DG15')) {
    const t0 = clock();
    for (;;) {
      try {
        activeAuthenticationResponse = await performActiveAuthenticationStep(
          access,
          options.activeAuthenticationChallenge,
        );
        break;
      } catch (e) {
        await resumeAfter(e);
      }
    }
    timings.activeAuthenticationMs = clock() - t0;
  }

  timings.totalMs = clock() - started;
  return {
    files,
    protocol: access.protocol,
    chipAuthentication,
    ...(chipAuthenticationError !== undefined ? { chipAuthenticationError } : {}),
    ...(activeAuthenticationResponse !== undefined ? { activeAuthenticationResponse } : {}),
    missingFiles: missing,
    apduCount: raw.count,
    resumes,
    timings,
  };
}
