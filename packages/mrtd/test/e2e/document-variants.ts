// The test documents the end-to-end tests read, and how each must be judged: every negative variant
// has its own failure code, found either by the reader or by verification.
import type { CardTransport } from '../../src/apdu/apdu.ts';
import { createTestDocument } from '../../src/chip/create-test-document.ts';
import type { TestDocument, TestDocumentDefect } from '../../src/chip/test-document.ts';
import { MrtdError } from '../../src/errors.ts';
import type { TestCredential } from '../../src/pki/test-pki.ts';
import { TrustStore } from '../../src/pki/trust-store.ts';
import { type ReadDocumentResult, readDocument } from '../../src/reader/read-document.ts';
import { type DocumentVerificationReport, verifyDocument } from '../../src/reader/verify-document.ts';

/** The code each negative variant must be rejected with. */
export const EXPECTED_FAILURE: Readonly<Record<TestDocumentDefect, string>> = {
  'bad-sod-signature': 'ERR_PA_SOD_SIGNATURE',
  'wrong-dg-hash': 'ERR_PA_DG_HASH_MISMATCH',
  'unknown-csca': 'ERR_PA_CSCA_NOT_FOUND',
  'expired-ds': 'ERR_PA_DSC_EXPIRED',
  'revoked-ds': 'ERR_PA_DSC_REVOKED',
  'aa-key-mismatch': 'ERR_AA_FAILED',
  'truncated-tlv': 'ERR_TLV_TRUNCATED',
  'garbled-tlv': 'ERR_LDS_FORMAT',
};

export const CHALLENGE = Uint8Array.of(0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88);

export async function makeDocument(
  csca: TestCredential,
  options: { pace?: boolean; aa?: 'rsa' | 'ec'; defect?: TestDocumentDefect },
): Promise<TestDocument> {
  return createTestDocument({ csca, aa: options.aa ?? 'ec', ...options });
}

export interface Outcome {
  readonly read?: ReadDocumentResult;
  readonly report?: DocumentVerificationReport;
  /** The read error's code, or every failed check's code. */
  readonly failures: readonly string[];
}

export function failureCodes(report: DocumentVerificationReport): string[] {
  const codes: string[] = report.passiveAuthentication.checks.flatMap((c) =>
    c.status === 'failed' && c.code ? [c.code] : [],
  );
  if (report.activeAuthentication.status === 'failed' && report.activeAuthentication.code) {
    codes.push(report.activeAuthentication.code);
  }
  for (const c of Object.values(report.fileFormat)) if (c?.status === 'failed' && c.code) codes.push(c.code);
  return codes;
}

/** Reads `doc` through `transport` (PACE with the MRZ when offered) and verifies what was read. */
export async function readAndVerify(doc: TestDocument, transport: CardTransport): Promise<Outcome> {
  let read: ReadDocumentResult;
  try {
    read = await readDocument({
      transport,
      password: { kind: 'mrz', mrzInformation: doc.chip.mrzInformation },
      activeAuthenticationChallenge: CHALLENGE,
    });
  } catch (e) {
    if (e instanceof MrtdError) return { failures: [e.code] };
    throw e;
  }
  const trustStore = new TrustStore();
  trustStore.addCsca(doc.cscaCertificate);
  if (doc.crl) trustStore.addCrl(doc.crl);
  const report = verifyDocument({
    files: read.files,
    trustStore,
    now: new Date(),
    ...(read.activeAuthenticationResponse
      ? { activeAuthentication: { challenge: CHALLENGE, response: read.activeAuthenticationResponse } }
      : {}),
  });
  return { read, report, failures: failureCodes(report) };
}
