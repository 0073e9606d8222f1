// Seed step 11, the chip: the phone uploads the raw files it read and the chip's answer to our Active
// Authentication challenge; the server decides (DESIGN §4 trust boundary): passive authentication against
// the configured trust store, AA, MRZ ↔ DG1, document type and country, not expired, and the population
// register (CPR) or the P-code's person ↔ DG1. Every refusal has its own code and changes nothing.
import { createHash } from 'node:crypto';
import type { DocumentVerificationReport } from '@tillid/mrtd/node';
import {
  decodeDg1,
  decodeDg2,
  fromHex,
  type LdsFileName,
  transliterateMrzName,
  verifyDocument,
} from '@tillid/mrtd/node';
import { z } from 'zod';
import { ServerError, type ServerErrorCode } from '../../errors.ts';
import { recordPcodeMismatch } from '../../pcode/pcode-service.ts';
import {
  type EnrollmentData,
  required,
  step,
  type VerifiedDocument,
  type VerifiedPerson,
} from '../enrollment-context.ts';

const FILE_NAMES = ['COM', 'SOD', 'DG1', 'DG2', 'DG7', 'DG11', 'DG12', 'DG14', 'DG15', 'CardAccess'] as const;
const b64 = z.base64().max(2_000_000);

const input = z.object({
  files: z
    .object(
      Object.fromEntries(FILE_NAMES.map((n) => [n, b64.optional()])) as Record<
        (typeof FILE_NAMES)[number],
        z.ZodOptional<typeof b64>
      >,
    )
    .strict(),
  aaResponse: z
    .string()
    .regex(/^([0-9a-fA-F]{2}){1,1024}$/)
    .optional(),
});

/** Passive-authentication failure codes → the answer's code (one per kind of defect). */
const PA_CODES: Record<string, ServerErrorCode> = {
  ERR_PA_SOD_FORMAT: 'ERR_CHIP_DATA_FORMAT',
  ERR_PA_UNSUPPORTED_ALGORITHM: 'ERR_CHIP_UNSUPPORTED',
  ERR_PA_SIGNED_ATTRS_MISSING: 'ERR_CHIP_SIGNATURE_INVALID',
  ERR_PA_CONTENT_TYPE: 'ERR_CHIP_SIGNATURE_INVALID',
  ERR_PA_MESSAGE_DIGEST: 'ERR_CHIP_SIGNATURE_INVALID',
  ERR_PA_DSC_NOT_FOUND: 'ERR_CHIP_SIGNATURE_INVALID',
  ERR_PA_SOD_SIGNATURE: 'ERR_CHIP_SIGNATURE_INVALID',
  ERR_PA_DSC_SIGNATURE: 'ERR_CHIP_SIGNATURE_INVALID',
  ERR_PA_CSCA_NOT_FOUND: 'ERR_CHIP_UNTRUSTED_ISSUER',
  ERR_PA_DSC_KEY_USAGE: 'ERR_CHIP_CERTIFICATE_INVALID',
  ERR_PA_DSC_NOT_YET_VALID: 'ERR_CHIP_CERTIFICATE_INVALID',
  ERR_PA_DSC_EXPIRED: 'ERR_CHIP_CERTIFICATE_INVALID',
  ERR_PA_CSCA_NOT_YET_VALID: 'ERR_CHIP_CERTIFICATE_INVALID',
  ERR_PA_CSCA_EXPIRED: 'ERR_CHIP_CERTIFICATE_INVALID',
  ERR_PA_CRL_SIGNATURE: 'ERR_CHIP_CERTIFICATE_REVOKED',
  ERR_PA_CRL_NOT_CURRENT: 'ERR_CHIP_CERTIFICATE_REVOKED',
  ERR_PA_DSC_REVOKED: 'ERR_CHIP_CERTIFICATE_REVOKED',
  ERR_PA_DG_HASH_MISMATCH: 'ERR_CHIP_DATA_ALTERED',
  ERR_PA_DG_NOT_IN_SOD: 'ERR_CHIP_DATA_ALTERED',
};

function refuse(code: ServerErrorCode, message: string, details?: Record<string, unknown>): ServerError {
  return new ServerError(code, message, {
    status: 422,
    messageId: `error.${code.slice(4).toLowerCase().replace(/_/g, '-')}`,
    ...(details ? { details } : {}),
  });
}

/**
 * The server's policy on the report: every file decodes (a malformed file is reported as such, before the
 * hash mismatch it also causes), every applicable check passed, and DG1 and DG2 were hashed as valid.
 */
function requireTrustworthy(report: DocumentVerificationReport): void {
  const formatFailure = Object.entries(report.fileFormat).find(([, c]) => c?.status === 'failed');
  const failed = report.passiveAuthentication.checks.find((c) => c.status === 'failed');
  if (formatFailure) {
    throw refuse('ERR_CHIP_DATA_FORMAT', `${formatFailure[0]} is malformed`, {
      file: formatFailure[0],
      reason: formatFailure[1]?.code,
    });
  }
  if (failed?.code) {
    throw refuse(PA_CODES[failed.code] ?? 'ERR_CHIP_SIGNATURE_INVALID', failed.message, {
      check: failed.id,
      reason: failed.code,
    });
  }
  for (const dg of [1, 2]) {
    if (report.passiveAuthentication.dataGroups.find((d) => d.dg === dg)?.status !== 'valid') {
      throw refuse('ERR_CHIP_DATA_ALTERED', `DG${dg} is missing or not covered by the SOD`, { dg });
    }
  }
  if (report.activeAuthentication.status === 'failed') {
    throw refuse('ERR_CHIP_CLONE_SUSPECTED', 'the chip did not prove it holds the document key', {
      reason: report.activeAuthentication.code,
    });
  }
}

/** ICAO 9303-3 dates: the birth century is the one that puts the date in the past; expiry dates are 20YY. */
export function isoDate(yymmdd: string, kind: 'birth' | 'expiry', now: number): string {
  const yy = Number(yymmdd.slice(0, 2));
  const thisYear = new Date(now).getUTCFullYear();
  const year = kind === 'expiry' ? 2000 + yy : 2000 + yy > thisYear ? 1900 + yy : 2000 + yy;
  return `${year}-${yymmdd.slice(2, 4)}-${yymmdd.slice(4, 6)}`;
}

/** Names compare in MRZ form (ICAO 9303-3 transliteration): surname equal, first given name equal. */
function sameName(register: { surname: string; givenNames: string }, chip: VerifiedPerson): boolean {
  const norm = (s: string) =>
    transliterateMrzName(s)
      .replace(/[^A-Z]+/g, ' ')
      .trim();
  const first = (s: string) => norm(s).split(' ')[0] ?? '';
  return (
    norm(register.surname) === norm(chip.surname) && first(register.givenNames) === first(chip.givenNames)
  );
}

export const chipEvidenceSubmitted = step({
  event: 'chip-evidence-submitted',
  from: ['mrz-given'],
  to: ['chip-verified'],
  input,
  apply: async (data: EnrollmentData, body, env) => {
    const files = new Map<LdsFileName, Uint8Array>();
    for (const [name, value] of Object.entries(body.files)) {
      if (value) files.set(name as LdsFileName, new Uint8Array(Buffer.from(value, 'base64')));
    }
    if (!files.has('SOD') || !files.has('DG1') || !files.has('DG2')) {
      throw refuse('ERR_CHIP_DATA_FORMAT', 'EF.SOD, DG1 and DG2 are required', { have: [...files.keys()] });
    }
    const challenge = fromHex(required(data.aaChallenge, 'aaChallenge'));
    const report = verifyDocument({
      files,
      trustStore: env.deps.trustStore,
      now: new Date(env.now),
      ...(body.aaResponse ? { activeAuthentication: { challenge, response: fromHex(body.aaResponse) } } : {}),
    });
    requireTrustworthy(report);
    // Only once the files are known genuine: a chip with an AA key (DG15) must prove it holds it.
    if (files.has('DG15') && !body.aaResponse) {
      throw refuse(
        'ERR_CHIP_CLONE_SUSPECTED',
        'the chip supports Active Authentication: its answer is required',
      );
    }

    // The LDS decoded and its hashes hold: its content is now the document's word.
    const dg1 = decodeDg1(required(files.get('DG1'), 'DG1')).mrz;
    const typed = required(data.mrz, 'mrz');
    if (
      dg1.documentNumber !== typed.documentNumber.replace(/<+$/, '') ||
      dg1.dateOfBirth !== typed.dateOfBirth ||
      dg1.dateOfExpiry !== typed.dateOfExpiry
    ) {
      throw refuse('ERR_CHIP_MRZ_MISMATCH', 'the chip does not belong to the scanned document');
    }
    const type = dg1.documentCode.startsWith('P') ? 'passport' : 'id-card';
    if (type !== data.documentType || dg1.issuingState.replace(/<+$/, '') !== data.country) {
      throw refuse('ERR_DOCUMENT_MISMATCH', 'the document is not of the type and country chosen', {
        documentType: type,
        country: dg1.issuingState,
      });
    }
    const person: VerifiedPerson = {
      surname: dg1.surname,
      givenNames: dg1.givenNames,
      birthDate: isoDate(dg1.dateOfBirth, 'birth', env.now),
      nationality: dg1.nationality,
      sex: dg1.sex,
    };
    const document: VerifiedDocument = {
      type,
      country: data.country ?? dg1.issuingState,
      number: dg1.documentNumber,
      expiry: isoDate(dg1.dateOfExpiry, 'expiry', env.now),
    };
    if (document.expiry < new Date(env.now).toISOString().slice(0, 10)) {
      throw refuse('ERR_DOCUMENT_EXPIRED', 'the document has expired', { expiry: document.expiry });
    }

    const reference = required(data.reference, 'reference');
    if (reference.kind === 'cpr') {
      const registered = await env.deps.register.lookup(reference.cpr);
      // One answer for "unknown" and "different": no CPR existence oracle.
      if (!registered || registered.birthDate !== person.birthDate || !sameName(registered, person)) {
        throw refuse('ERR_CPR_MISMATCH', 'the CPR number does not match the document');
      }
    } else {
      const pdeps = {
        store: env.deps.store,
        secretBox: env.deps.secretBox,
        hmacKey: env.deps.hmacKey,
        now: () => env.now,
      };
      const row = await env.deps.store.pcodes.get(reference.pcodeId);
      const p = row
        ? JSON.parse(env.deps.secretBox.open('pcode-person', row.personSealed, row.id))
        : undefined;
      const matches =
        p !== undefined &&
        p.birthDate === person.birthDate &&
        String(p.documentNumber).toUpperCase() === document.number &&
        transliterateMrzName(p.name).includes(transliterateMrzName(person.surname));
      if (!matches) {
        const { attemptsLeft } = await recordPcodeMismatch(pdeps, reference.pcodeId);
        throw refuse('ERR_PCODE_MISMATCH', 'the P-code was issued for another person or document', {
          attemptsLeft,
        });
      }
    }

    const face = decodeDg2(required(files.get('DG2'), 'DG2')).faces[0];
    if (!face) throw refuse('ERR_CHIP_DATA_FORMAT', 'DG2 holds no face image');
    return {
      state: 'chip-verified',
      data: {
        ...data,
        person,
        document,
        portrait: {
          image: Buffer.from(face.image).toString('base64'),
          sha256: createHash('sha256').update(face.image).digest('hex'),
        },
        evidence: {
          chip: {
            passiveAuthentication: report.passiveAuthentication.checks.map((c) => [c.id, c.status]),
            activeAuthentication: report.activeAuthentication.status,
            csca: report.passiveAuthentication.csca?.subject,
            documentSigner: report.passiveAuthentication.documentSigner?.serialNumber,
            warnings: report.passiveAuthentication.warnings,
          },
        },
      },
      output: { verified: true, person: { givenNames: person.givenNames, surname: person.surname } },
    };
  },
});
