// Verifies a document from its raw files alone (as a server does with an upload): passive
// authentication (ICAO 9303-11 §5.1), active authentication over the verifier's challenge (§6.1),
// and that every file present decodes. A typed report; `ok` is false when any applicable check fails.
import { verifyActiveAuthentication } from '../aa/verify-active-authentication.ts';
import { MrtdError } from '../errors.ts';
import { decodeCom } from '../lds/com.ts';
import { decodeDg1 } from '../lds/dg1.ts';
import { decodeDg2 } from '../lds/dg2.ts';
import { decodeDg7 } from '../lds/dg7.ts';
import { decodeDg11 } from '../lds/dg11.ts';
import { decodeDg12 } from '../lds/dg12.ts';
import { decodeCardAccess, decodeDg14 } from '../lds/dg14.ts';
import { decodeDg15 } from '../lds/dg15.ts';
import { type LdsFileName, ldsFileByName } from '../lds/lds-file.ts';
import type { PassiveAuthReport } from '../pa/passive-auth-report.ts';
import { verifyPassive } from '../pa/verify-passive.ts';
import type { TrustStore } from '../pki/trust-store.ts';

export type DocumentCheckStatus = 'passed' | 'failed' | 'not_applicable';

export interface DocumentCheck {
  readonly status: DocumentCheckStatus;
  readonly code?: string;
  readonly message: string;
}

export interface DocumentVerificationReport {
  readonly ok: boolean;
  readonly passiveAuthentication: PassiveAuthReport;
  readonly activeAuthentication: DocumentCheck;
  /** One entry per file present: does it decode as its LDS structure? */
  readonly fileFormat: Readonly<Partial<Record<LdsFileName, DocumentCheck>>>;
}

export interface VerifyDocumentOptions {
  readonly files: ReadonlyMap<LdsFileName, Uint8Array>;
  readonly trustStore: TrustStore;
  readonly now: Date;
  /** The verifier's challenge and the chip's INTERNAL AUTHENTICATE answer. */
  readonly activeAuthentication?: { readonly challenge: Uint8Array; readonly response: Uint8Array };
}

const DECODERS: Partial<Record<LdsFileName, (bytes: Uint8Array) => unknown>> = {
  COM: decodeCom,
  CardAccess: decodeCardAccess,
  DG1: decodeDg1,
  DG2: decodeDg2,
  DG7: decodeDg7,
  DG11: decodeDg11,
  DG12: decodeDg12,
  DG14: decodeDg14,
  DG15: decodeDg15,
};

function checkFormat(name: LdsFileName, bytes: Uint8Array): DocumentCheck {
  const decode = DECODERS[name];
  if (decode === undefined) return { status: 'not_applicable', message: `no decoder for ${name}` };
  try {
    decode(bytes);
    return { status: 'passed', message: `${name} decodes` };
  } catch (e) {
    if (e instanceof MrtdError) return { status: 'failed', code: e.code, message: e.message };
    throw e;
  }
}

export function verifyDocument(options: VerifyDocumentOptions): DocumentVerificationReport {
  const { files } = options;
  const dataGroups = new Map<number, Uint8Array>();
  for (const [name, bytes] of files) {
    const dg = ldsFileByName(name).dg;
    if (dg !== undefined) dataGroups.set(dg, bytes);
  }
  const sod = files.get('SOD');
  const passiveAuthentication = verifyPassive({
    sod: sod ?? new Uint8Array(0),
    dataGroups,
    trustStore: options.trustStore,
    now: options.now,
  });

  const fileFormat: Partial<Record<LdsFileName, DocumentCheck>> = {};
  for (const [name, bytes] of files) fileFormat[name] = checkFormat(name, bytes);

  let activeAuthentication: DocumentCheck;
  const dg15 = files.get('DG15');
  if (options.activeAuthentication === undefined) {
    activeAuthentication = { status: 'not_applicable', message: 'no challenge and response given' };
  } else if (dg15 === undefined) {
    activeAuthentication = {
      status: 'failed',
      code: 'ERR_AA_FAILED',
      message: 'a response was given but DG15 is missing',
    };
  } else {
    const dg14 = files.get('DG14');
    const r = verifyActiveAuthentication({
      challenge: options.activeAuthentication.challenge,
      response: options.activeAuthentication.response,
      dg15,
      ...(dg14 ? { dg14 } : {}),
    });
    activeAuthentication = r.ok
      ? { status: 'passed', message: `${r.algorithm} with ${r.hash}` }
      : { status: 'failed', code: r.code, message: r.reason };
  }

  const ok =
    passiveAuthentication.ok &&
    activeAuthentication.status !== 'failed' &&
    Object.values(fileFormat).every((c) => c?.status !== 'failed');
  return { ok, passiveAuthentication, activeAuthentication, fileFormat };
}
