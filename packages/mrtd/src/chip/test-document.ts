// The model of a test document: its raw LDS files, the chip's secrets (access passwords, AA and CA
// private keys) and the trust material a verifier needs (the test CSCA, a CRL for the revoked variant).
import type { AaPrivateKey } from '../aa/aa-signer.ts';
import type { CurveName } from '../crypto/ec-curves.ts';
import type { LdsFileName } from '../lds/lds-file.ts';
import type { PaceInfoInput } from '../pace/perform-pace.ts';

/** Negative variants: each breaks exactly one thing a verifier (or the reader) must catch. */
export const TEST_DOCUMENT_DEFECTS = [
  'bad-sod-signature',
  'wrong-dg-hash',
  'unknown-csca',
  'expired-ds',
  'revoked-ds',
  'aa-key-mismatch',
  'truncated-tlv',
  'garbled-tlv',
] as const;

export type TestDocumentDefect = (typeof TEST_DOCUMENT_DEFECTS)[number];

export function isTestDocumentDefect(s: string): s is TestDocumentDefect {
  return (TEST_DOCUMENT_DEFECTS as readonly string[]).includes(s);
}

export interface ChipSecrets {
  /** The MRZ lines printed on the document. */
  readonly mrz: readonly string[];
  /** ICAO 9303-11 §4.3.2 MRZ information: the BAC key seed and the PACE MRZ password. */
  readonly mrzInformation: string;
  /** The card access number printed on the document (PACE password). */
  readonly can: string;
  readonly bac: boolean;
  /** PACEInfos the chip accepts (also in EF.CardAccess); empty without PACE. */
  readonly paceInfos: readonly PaceInfoInput[];
  readonly activeAuthentication?: AaPrivateKey;
  readonly chipAuthentication?: {
    readonly curve: CurveName;
    /** Private scalar, big-endian. */
    readonly privateKey: Uint8Array;
    readonly protocol: string;
    readonly keyId?: number;
  };
  readonly defect?: TestDocumentDefect;
}

export interface TestDocument {
  readonly files: ReadonlyMap<LdsFileName, Uint8Array>;
  readonly chip: ChipSecrets;
  /** DER of the CSCA the verifier should trust (the shared test CSCA). */
  readonly cscaCertificate: Uint8Array;
  /** A CRL from that CSCA (revoking the document signer for 'revoked-ds'). */
  readonly crl?: Uint8Array;
}
