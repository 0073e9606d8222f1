// The one chip-reading path of the app, whatever carries the APDUs (a virtual chip in memory, a USB reader
// through `tillid reader`, later native NFC): @tillid/mrtd's reader (PACE or BAC with the MRZ keys, secure
// messaging, chip and active authentication over the server's challenge), then the evidence the server
// re-verifies. Loaded lazily: it pulls in mrtd.
import {
  type CardTransport,
  fromHex,
  mrzInformation,
  type ReadProgress,
  readDocument,
  toHex,
} from '@tillid/mrtd';
import type { MrzKeys } from '../api/enrollment-api.ts';
import { bytesToBase64 } from '../camera/camera.ts';

/** The files the server's chip-evidence-submitted step takes (docs/enrollment.md). */
const SERVER_FILES: ReadonlySet<string> = new Set([
  'COM',
  'SOD',
  'DG1',
  'DG2',
  'DG7',
  'DG11',
  'DG12',
  'DG14',
  'DG15',
  'CardAccess',
]);

/** The body of `chip-evidence-submitted`: raw files (base64) and the chip's AA signature (hex). */
export interface ChipEvidence {
  readonly files: Record<string, string>;
  readonly aaResponse?: string;
}

export interface ChipRead {
  readonly evidence: ChipEvidence;
  readonly protocol: 'PACE' | 'BAC';
  readonly chipAuthentication: string;
}

export async function readChip(input: {
  transport: CardTransport;
  mrz: MrzKeys;
  aaChallenge: string;
  onProgress: (fraction: number) => void;
}): Promise<ChipRead> {
  const result = await readDocument({
    transport: input.transport,
    // ICAO 9303-11 §4.3.2: the MRZ information the server read or the helper typed is the access key.
    password: { kind: 'mrz', mrzInformation: mrzInformation(input.mrz) },
    // ICAO 9303-11 §6.1: the chip signs the server's challenge; the server verifies it against DG15.
    activeAuthenticationChallenge: fromHex(input.aaChallenge),
    onProgress: (p: ReadProgress) =>
      input.onProgress(p.totalExpected > 0 ? p.totalRead / p.totalExpected : 0),
  });
  const files: Record<string, string> = {};
  for (const [name, bytes] of result.files) {
    if (SERVER_FILES.has(name)) files[name] = bytesToBase64(bytes);
  }
  input.onProgress(1);
  return {
    evidence: {
      files,
      ...(result.activeAuthenticationResponse
        ? { aaResponse: toHex(result.activeAuthenticationResponse) }
        : {}),
    },
    protocol: result.protocol,
    chipAuthentication: result.chipAuthentication,
  };
}
