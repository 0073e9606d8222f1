// Generates a complete test passport (TD3) or ID card (TD1) of the fictitious country UTO: MRZ data
// groups, face image, SecurityInfos, AA and CA keys, EF.COM and an EF.SOD signed by a test Document
// Signer, plus the negative variants. Node only (test PKI, optional placeholder face via sharp).
import { generateAaKeyPair } from '../aa/aa-keys.ts';
import { ID_PK_ECDH } from '../ca/dg14-protocol-infos.ts';
import { curveByName, randomScalar, scalarBytes } from '../crypto/ec-curves.ts';
import { secureRandom } from '../crypto/random.ts';
import { encodeEcSpki } from '../crypto/spki.ts';
import { MrtdError } from '../errors.ts';
import { encodeCom } from '../lds/com.ts';
import { encodeDg1 } from '../lds/dg1.ts';
import { encodeDg2 } from '../lds/dg2.ts';
import { encodeDg11 } from '../lds/dg11.ts';
import { encodeDg12 } from '../lds/dg12.ts';
import { encodeCardAccess, encodeDg14 } from '../lds/dg14.ts';
import { encodeDg15 } from '../lds/dg15.ts';
import { detectImageFormat } from '../lds/image-format.ts';
import type { LdsFileName } from '../lds/lds-file.ts';
import { SECURITY_PROTOCOL_OIDS, type SecurityInfo } from '../lds/security-infos.ts';
import { formatMrz } from '../mrz/format-mrz.ts';
import type { MrzFields, MrzSex } from '../mrz/mrz.ts';
import { mrzInformation } from '../mrz/mrz-information.ts';
import { signSod } from '../pki/sign-sod.ts';
import { createCrl, createTestPki, issueDocumentSigner, type TestCredential } from '../pki/test-pki.ts';
import { placeholderFaceJpeg } from './placeholder-face.ts';
import type { ChipSecrets, TestDocument, TestDocumentDefect } from './test-document.ts';

export interface CreateTestDocumentOptions {
  /** An ID card (TD1, document code 'ID') instead of a passport (TD3, 'P'). */
  readonly td1?: boolean;
  readonly documentNumber?: string;
  /** YYMMDD. */
  readonly dateOfBirth?: string;
  /** YYMMDD; default five years from `now`. */
  readonly dateOfExpiry?: string;
  readonly surname?: string;
  readonly givenNames?: string;
  readonly nationality?: string;
  readonly issuingState?: string;
  readonly sex?: MrzSex;
  /** Face image (JPEG or JPEG 2000); default a drawn placeholder. */
  readonly face?: Uint8Array;
  /** Offer PACE (ECDH generic mapping, AES-128, NIST P-256) in EF.CardAccess; BAC stays available. */
  readonly pace?: boolean;
  readonly aa?: 'rsa' | 'ec' | 'none';
  /** Chip authentication key in DG14 (default: on). */
  readonly ca?: boolean;
  readonly defect?: TestDocumentDefect;
  /** The shared test CSCA (see loadOrCreateTestCsca); default a fresh one. */
  readonly csca?: TestCredential;
  readonly can?: string;
  readonly now?: Date;
}

const PACE_INFO = { protocol: `${SECURITY_PROTOCOL_OIDS.PACE_ECDH_GM}.2`, parameterId: 12 } as const; // AES-128, P-256
const CA_PROTOCOL = `${SECURITY_PROTOCOL_OIDS.CA_ECDH}.2`; // id-CA-ECDH-AES-CBC-CMAC-128

function yymmdd(d: Date): string {
  return d.toISOString().slice(2, 10).replace(/-/g, '');
}

function randomDigits(n: number): string {
  return [...secureRandom(n)].map((b) => String(b % 10)).join('');
}

function mrzFields(o: CreateTestDocumentOptions, now: Date): MrzFields {
  const expiry = new Date(now.getTime());
  expiry.setUTCFullYear(expiry.getUTCFullYear() + 5);
  return {
    format: o.td1 ? 'TD1' : 'TD3',
    documentCode: o.td1 ? 'ID' : 'P',
    issuingState: o.issuingState ?? 'UTO',
    documentNumber: o.documentNumber ?? `T${randomDigits(8)}`,
    dateOfBirth: o.dateOfBirth ?? '900101',
    sex: o.sex ?? 'F',
    dateOfExpiry: o.dateOfExpiry ?? yymmdd(expiry),
    nationality: o.nationality ?? 'UTO',
    surname: o.surname ?? 'ERIKSSON',
    givenNames: o.givenNames ?? 'ANNA MARIA',
    optionalData1: '',
    ...(o.td1 ? { optionalData2: '' } : {}),
  };
}

export async function createTestDocument(options: CreateTestDocumentOptions = {}): Promise<TestDocument> {
  const now = options.now ?? new Date();
  const defect = options.defect;
  const fields = mrzFields(options, now);
  const mrz = formatMrz(fields);
  const face = options.face ?? (await placeholderFaceJpeg());
  const format = detectImageFormat(face);
  if (format === undefined)
    throw new MrtdError('ERR_TEST_DOCUMENT', 'the face image is neither JPEG nor JPEG 2000');

  const dataGroups = new Map<number, Uint8Array>();
  dataGroups.set(1, encodeDg1({ mrz: fields }));
  dataGroups.set(2, encodeDg2({ faces: [{ format, image: face }] }));
  dataGroups.set(11, encodeDg11({ fullName: `${fields.surname}<<${fields.givenNames.replace(/ /g, '<')}` }));
  dataGroups.set(
    12,
    encodeDg12({
      issuingAuthority: 'UTOPIA PASSPORT OFFICE',
      dateOfIssue: now.toISOString().slice(0, 10).replace(/-/g, ''),
    }),
  );

  // ICAO 9303-11 §6.1 / §9.2.7: the AA key (DG15) and, for ECDSA, its algorithm in DG14.
  const aaType = options.aa ?? 'ec';
  let activeAuthentication: ChipSecrets['activeAuthentication'];
  const securityInfos: SecurityInfo[] = [];
  if (aaType !== 'none') {
    const keyOptions =
      aaType === 'rsa' ? ({ type: 'rsa', bits: 1024 } as const) : ({ type: 'ec', curve: 'P-256' } as const);
    const published = await generateAaKeyPair(keyOptions);
    // A cloned chip: it cannot sign with the key the issuer put in DG15.
    const onChip = defect === 'aa-key-mismatch' ? await generateAaKeyPair(keyOptions) : published;
    activeAuthentication = onChip.privateKey;
    dataGroups.set(15, encodeDg15({ subjectPublicKeyInfo: published.subjectPublicKeyInfo }));
    if (published.signatureAlgorithm !== undefined) {
      securityInfos.push({
        type: 'ActiveAuthenticationInfo',
        protocol: SECURITY_PROTOCOL_OIDS.AA,
        version: 1,
        signatureAlgorithm: published.signatureAlgorithm,
      });
    }
  }

  // ICAO 9303-11 §6.2 / §9.2.5-6: the chip authentication key pair.
  let chipAuthentication: ChipSecrets['chipAuthentication'];
  if (options.ca ?? true) {
    const curve = curveByName('P-256');
    const sk = randomScalar(curve, secureRandom);
    chipAuthentication = { curve: curve.name, privateKey: scalarBytes(curve, sk), protocol: CA_PROTOCOL };
    securityInfos.push(
      { type: 'ChipAuthenticationInfo', protocol: CA_PROTOCOL, version: 1 },
      {
        type: 'ChipAuthenticationPublicKeyInfo',
        protocol: ID_PK_ECDH,
        subjectPublicKeyInfo: encodeEcSpki(curve, curve.ecdsa.Point.BASE.multiply(sk)),
      },
    );
  }
  const paceInfos = options.pace ? [PACE_INFO] : [];
  const paceSecurityInfos: SecurityInfo[] = paceInfos.map((p) => ({
    type: 'PACEInfo',
    protocol: p.protocol,
    version: 2,
    parameterId: p.parameterId,
  }));
  if (securityInfos.length > 0 || paceSecurityInfos.length > 0) {
    dataGroups.set(14, encodeDg14({ securityInfos: [...paceSecurityInfos, ...securityInfos] }));
  }

  if (defect === 'garbled-tlv') {
    // The issuer signs a DG11 whose outer TLV is sound but whose content is not TLV at all.
    const dg11 = dataGroups.get(11) ?? new Uint8Array(0);
    const garbled = dg11.slice();
    garbled.fill(0xff, 2);
    dataGroups.set(11, garbled);
  }

  // ICAO 9303-12 §7: the Document Signer, chosen per variant.
  const csca = options.csca ?? createTestPki({ now }).csca;
  let documentSigner: TestCredential;
  let crl: Uint8Array | undefined;
  if (defect === 'unknown-csca') documentSigner = createTestPki({ now }).documentSigner;
  else
    documentSigner = issueDocumentSigner({
      csca,
      now,
      validity: defect === 'expired-ds' ? 'expired' : 'valid',
    });
  if (defect === 'revoked-ds') {
    crl = createCrl({ csca, now, revokedSerials: [documentSigner.certificate.serialNumber] });
  }
  const sod = signSod({
    dataGroups,
    documentSigner,
    hashAlgorithm: 'sha256',
    signingTime: now,
    ...(defect === 'bad-sod-signature' ? { tamper: 'signature' as const } : {}),
  });

  if (defect === 'wrong-dg-hash') {
    // Changed after signing: one byte of the face image's entropy-coded data.
    const dg2 = (dataGroups.get(2) ?? new Uint8Array(0)).slice();
    const i = dg2.length - 8;
    dg2[i] = (dg2[i] ?? 0) ^ 0x01;
    dataGroups.set(2, dg2);
  }
  if (defect === 'truncated-tlv') {
    // The chip holds DG11 cut short of the length its TLV header announces.
    const dg11 = dataGroups.get(11) ?? new Uint8Array(0);
    dataGroups.set(11, dg11.slice(0, dg11.length - 4));
  }

  const files = new Map<LdsFileName, Uint8Array>();
  if (paceInfos.length > 0) files.set('CardAccess', encodeCardAccess({ securityInfos: paceSecurityInfos }));
  files.set('COM', encodeCom({ dataGroups: [...dataGroups.keys()].sort((a, b) => a - b) }));
  files.set('SOD', sod);
  for (const [dg, bytes] of [...dataGroups].sort(([a], [b]) => a - b))
    files.set(`DG${dg}` as LdsFileName, bytes);

  return {
    files,
    chip: {
      mrz,
      mrzInformation: mrzInformation(fields),
      can: options.can ?? randomDigits(6),
      bac: true,
      paceInfos,
      ...(activeAuthentication ? { activeAuthentication } : {}),
      ...(chipAuthentication ? { chipAuthentication } : {}),
      ...(defect ? { defect } : {}),
    },
    cscaCertificate: csca.der,
    ...(crl ? { crl } : {}),
  };
}
