// Reads a virtual passport in the browser exactly as a phone reads a real chip: the app's one reading path
// (read-chip.ts) against the virtual chip on an in-memory transport. Loaded lazily: it pulls in mrtd.
import {
  type AaHash,
  type AaPrivateKey,
  type ChipSecrets,
  type CurveName,
  createVirtualChip,
  curveByName,
  fromHex,
  type LdsFileName,
  MemoryTransport,
} from '@tillid/mrtd';
import { ApiError } from '../api/api-error.ts';
import type { MrzKeys } from '../api/enrollment-api.ts';
import { type ChipRead, readChip } from './read-chip.ts';
import type { VirtualPassport } from './virtual-passport.ts';

function invalid(what: string): ApiError {
  return new ApiError({ code: 'ERR_CHIP_READ', messageId: 'chip.filesMissing', status: 0 }, what);
}

type Json = Record<string, unknown>;
const str = (v: unknown, what: string): string => {
  if (typeof v !== 'string') throw invalid(`chip.json: ${what}`);
  return v;
};
const big = (v: unknown): bigint => BigInt(`0x${str(v, 'key number')}`);

/**
 * chip.json → ChipSecrets. Mirrors parseChipSecrets of @tillid/mrtd, which lives in its Node-only
 * directory module; drop this copy once mrtd exports the parser from its browser entry.
 */
export function parseChipSecrets(text: string): ChipSecrets {
  let j: Json;
  try {
    j = JSON.parse(text) as Json;
  } catch {
    throw invalid('chip.json is not JSON');
  }
  if (j.kind !== 'tillid-virtual-chip' || j.version !== 1 || !Array.isArray(j.mrz))
    throw invalid('chip.json');
  const aa = j.activeAuthentication as Json | undefined;
  const ca = j.chipAuthentication as Json | undefined;
  let activeAuthentication: AaPrivateKey | undefined;
  if (aa?.kind === 'ec') {
    activeAuthentication = {
      kind: 'ec',
      curve: curveByName(str(aa.curve, 'AA curve') as CurveName),
      d: fromHex(str(aa.d, 'AA key')),
      hash: str(aa.hash, 'AA hash') as AaHash,
    };
  } else if (aa?.kind === 'rsa') {
    const crt = aa.crt as Json | undefined;
    activeAuthentication = {
      kind: 'rsa',
      n: big(aa.n),
      d: big(aa.d),
      hash: str(aa.hash, 'AA hash') as AaHash,
      ...(crt
        ? { crt: { p: big(crt.p), q: big(crt.q), dp: big(crt.dp), dq: big(crt.dq), qi: big(crt.qi) } }
        : {}),
    };
  }
  return {
    mrz: j.mrz as string[],
    mrzInformation: str(j.mrzInformation, 'mrzInformation'),
    can: str(j.can, 'can'),
    bac: j.bac !== false,
    paceInfos: Array.isArray(j.paceInfos) ? (j.paceInfos as ChipSecrets['paceInfos']) : [],
    ...(activeAuthentication ? { activeAuthentication } : {}),
    ...(ca
      ? {
          chipAuthentication: {
            curve: str(ca.curve, 'CA curve') as CurveName,
            privateKey: fromHex(str(ca.privateKey, 'CA key')),
            protocol: str(ca.protocol, 'CA protocol'),
            ...(typeof ca.keyId === 'number' ? { keyId: ca.keyId } : {}),
          },
        }
      : {}),
  };
}

/**
 * The virtual chip answers at once; a real NFC link takes some 10-50 ms an APDU. Simulating that keeps
 * the page painting and the progress bar meaningful (the person sees the same screen as with a chip).
 */
const SIMULATED_APDU_MS = 15;

function nfcLikeCard(card: { handle(c: Uint8Array): Uint8Array | Promise<Uint8Array>; reset?(): void }) {
  return {
    handle: async (command: Uint8Array) => {
      await new Promise((r) => setTimeout(r, SIMULATED_APDU_MS));
      return card.handle(command);
    },
    ...(card.reset ? { reset: () => card.reset?.() } : {}),
  };
}

export async function readVirtualChip(input: {
  passport: VirtualPassport;
  mrz: MrzKeys;
  aaChallenge: string;
  onProgress: (fraction: number) => void;
}): Promise<ChipRead> {
  const chip = createVirtualChip({
    files: input.passport.files as ReadonlyMap<LdsFileName, Uint8Array>,
    chip: parseChipSecrets(input.passport.chipJson),
    cscaCertificate: new Uint8Array(0),
  });
  const { mrz, aaChallenge, onProgress } = input;
  return readChip({ transport: new MemoryTransport(nfcLikeCard(chip)), mrz, aaChallenge, onProgress });
}
