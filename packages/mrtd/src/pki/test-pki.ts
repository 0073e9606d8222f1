// A throw-away eMRTD PKI for test documents of the fictitious country UTO (Utopia): a self-signed CSCA,
// Document Signers and CRLs following the ICAO 9303-12 §7 certificate and CRL profiles.
// Only for tests and development mode: the server refuses these trust anchors in production.
import { randomBytes } from 'node:crypto';
import { der } from '../asn1/der-writer.ts';
import { MrtdError } from '../errors.ts';
import { type Certificate, encodePem, parseCertificate } from './certificate.ts';
import { digest } from './digest.ts';
import { type HashAlgorithm, Oid } from './oids.ts';
import { parsePublicKeyInfo } from './public-key.ts';
import {
  defaultHashFor,
  generateSigningKey,
  type RsaSignatureScheme,
  type SigningKey,
  signatureAlgorithmFor,
  signData,
  type TestKeyAlgorithm,
} from './signer.ts';

export type { RsaSignatureScheme, TestKeyAlgorithm } from './signer.ts';

/** A certificate with its private key. */
export interface TestCredential {
  readonly certificate: Certificate;
  /** Certificate DER. */
  readonly der: Uint8Array;
  readonly pem: string;
  /** PKCS#8 DER of the private key. */
  readonly privateKey: Uint8Array;
  readonly keyAlgorithm: TestKeyAlgorithm;
  /** How this credential signs: hash and, for RSA keys, PKCS#1 v1.5 or PSS. */
  readonly hash: HashAlgorithm;
  readonly rsaScheme: RsaSignatureScheme;
}

export interface TestPki {
  /** ICAO three-letter code, as in the MRZ (e.g. 'UTO'). */
  readonly country: string;
  readonly csca: TestCredential;
  readonly documentSigner: TestCredential;
}

/** valid: covers `now`; expired: ended a year before `now`; not_yet_valid: starts a year after `now`. */
export type TestValidity = 'valid' | 'expired' | 'not_yet_valid';

export interface CreateTestPkiOptions {
  readonly country?: string;
  /** The reference time for validity periods (default: the current time). */
  readonly now?: Date;
  readonly cscaKey?: TestKeyAlgorithm;
  readonly documentSignerKey?: TestKeyAlgorithm;
  readonly rsaScheme?: RsaSignatureScheme;
  readonly documentSignerValidity?: TestValidity;
}

const DAY = 86_400_000;
const YEAR = 365 * DAY;

/** X.520 countryName is two letters; Utopia has no ISO 3166 code, so test certificates use 'UT'. */
function certificateCountry(country: string): string {
  return country.toUpperCase() === 'UTO' ? 'UT' : country.slice(0, 2).toUpperCase();
}

function encodeName(country: string, organisation: string, commonName: string): Uint8Array {
  const rdn = (oid: string, value: Uint8Array): Uint8Array => der.setOf(der.sequence(der.oid(oid), value));
  return der.sequence(
    rdn('2.5.4.6', der.printable(certificateCountry(country))),
    rdn('2.5.4.10', der.utf8(organisation)),
    rdn('2.5.4.3', der.utf8(commonName)),
  );
}

function randomSerial(): Uint8Array {
  const s = new Uint8Array(randomBytes(8));
  s[0] = ((s[0] ?? 0) & 0x7f) | 0x01;
  return s;
}

/** RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey bits. */
function keyIdentifier(spki: Uint8Array): Uint8Array {
  const key = parsePublicKeyInfo(spki);
  const bits = key.kind === 'ec' ? key.point : der.sequence(der.integer(key.n), der.integer(key.e));
  return digest('sha1', bits);
}

function extension(oid: string, critical: boolean, value: Uint8Array): Uint8Array {
  return der.sequence(der.oid(oid), ...(critical ? [der.boolean(true)] : []), der.octetString(value));
}

interface IssueInput {
  readonly subjectName: Uint8Array;
  readonly subjectKey: SigningKey;
  readonly issuerName: Uint8Array;
  readonly issuerKey: Uint8Array;
  readonly issuerKeyId: Uint8Array;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly ca: boolean;
  readonly hash: HashAlgorithm;
  readonly rsaScheme: RsaSignatureScheme;
  readonly serialNumber?: Uint8Array;
}

/** RFC 5280 §4.1 certificate with the ICAO 9303-12 §7.1 CSCA or Document Signer extensions. */
function issueCertificate(input: IssueInput): Uint8Array {
  const signOpts = { hash: input.hash, rsaScheme: input.rsaScheme };
  const sigAlg = signatureAlgorithmFor(input.issuerKey, signOpts);
  const ski = keyIdentifier(input.subjectKey.publicKey);
  const keyUsage = input.ca
    ? der.bitString(Uint8Array.of(0x06), 1) // keyCertSign, cRLSign
    : der.bitString(Uint8Array.of(0x80), 7); // digitalSignature
  const extensions = [
    extension(Oid.authorityKeyIdentifier, false, der.sequence(der.contextPrimitive(0, input.issuerKeyId))),
    extension(Oid.subjectKeyIdentifier, false, der.octetString(ski)),
    extension(Oid.keyUsage, true, keyUsage),
    ...(input.ca
      ? [extension(Oid.basicConstraints, true, der.sequence(der.boolean(true), der.integer(0)))]
      : []),
  ];
  const tbs = der.sequence(
    der.contextConstructed(0, der.integer(2)),
    der.integer(input.serialNumber ?? randomSerial()),
    sigAlg,
    input.issuerName,
    der.sequence(der.time(input.notBefore), der.time(input.notAfter)),
    input.subjectName,
    input.subjectKey.publicKey,
    der.contextConstructed(3, der.sequence(...extensions)),
  );
  return der.sequence(tbs, sigAlg, der.bitString(signData(input.issuerKey, tbs, signOpts)));
}

function credential(
  certDer: Uint8Array,
  key: SigningKey,
  keyAlgorithm: TestKeyAlgorithm,
  rsaScheme: RsaSignatureScheme,
): TestCredential {
  return {
    certificate: parseCertificate(certDer),
    der: certDer,
    pem: encodePem(certDer, 'CERTIFICATE'),
    privateKey: key.privateKey,
    keyAlgorithm,
    hash: defaultHashFor(keyAlgorithm),
    rsaScheme,
  };
}

/** Creates a CSCA for `country` and one Document Signer it issued. */
export function createTestPki(options: CreateTestPkiOptions = {}): TestPki {
  const country = options.country ?? 'UTO';
  if (!/^[A-Z]{3}$/.test(country))
    throw new MrtdError('ERR_USAGE', `country must be an ICAO code, got ${country}`);
  const now = options.now ?? new Date();
  const cscaAlg = options.cscaKey ?? 'ec-p256';
  const rsaScheme = options.rsaScheme ?? 'pkcs1';
  const key = generateSigningKey(cscaAlg);
  const name = encodeName(country, `Government of ${country}`, `CSCA ${country}`);
  const cscaDer = issueCertificate({
    subjectName: name,
    subjectKey: key,
    issuerName: name,
    issuerKey: key.privateKey,
    issuerKeyId: keyIdentifier(key.publicKey),
    notBefore: new Date(now.getTime() - YEAR),
    notAfter: new Date(now.getTime() + 15 * YEAR),
    ca: true,
    hash: defaultHashFor(cscaAlg),
    rsaScheme,
  });
  const csca = credential(cscaDer, key, cscaAlg, rsaScheme);
  const documentSigner = issueDocumentSigner({
    csca,
    now,
    key: options.documentSignerKey ?? 'ec-p256',
    validity: options.documentSignerValidity ?? 'valid',
    rsaScheme,
  });
  return { country, csca, documentSigner };
}

export interface IssueDocumentSignerOptions {
  readonly csca: TestCredential;
  readonly now?: Date;
  readonly key?: TestKeyAlgorithm;
  readonly validity?: TestValidity;
  readonly rsaScheme?: RsaSignatureScheme;
  readonly commonName?: string;
  readonly serialNumber?: Uint8Array;
}

/** Issues another Document Signer certificate from a test CSCA (for expired / revoked / extra DS cases). */
export function issueDocumentSigner(options: IssueDocumentSignerOptions): TestCredential {
  const now = options.now ?? new Date();
  const alg = options.key ?? 'ec-p256';
  const rsaScheme = options.rsaScheme ?? options.csca.rsaScheme;
  const key = generateSigningKey(alg);
  const validity = options.validity ?? 'valid';
  const start =
    validity === 'expired'
      ? now.getTime() - 11 * YEAR
      : validity === 'not_yet_valid'
        ? now.getTime() + YEAR
        : now.getTime() - 30 * DAY;
  const country =
    options.csca.certificate.subject.rdns.flat().find((a) => a.type === '2.5.4.6')?.value ?? 'UT';
  const organisation =
    options.csca.certificate.subject.rdns.flat().find((a) => a.type === '2.5.4.10')?.value ?? '';
  const certDer = issueCertificate({
    subjectName: encodeName(country, organisation, options.commonName ?? `Document Signer ${country}`),
    subjectKey: key,
    issuerName: options.csca.certificate.subject.der,
    issuerKey: options.csca.privateKey,
    issuerKeyId: options.csca.certificate.subjectKeyIdentifier ?? new Uint8Array(0),
    notBefore: new Date(start),
    notAfter: new Date(start + 10 * YEAR),
    ca: false,
    hash: options.csca.hash,
    rsaScheme: options.csca.rsaScheme,
    ...(options.serialNumber === undefined ? {} : { serialNumber: options.serialNumber }),
  });
  return credential(certDer, key, alg, rsaScheme);
}

export interface CreateCrlOptions {
  readonly csca: TestCredential;
  /** Serial numbers to revoke (certificate serialNumber bytes, or bigint). */
  readonly revokedSerials?: readonly (Uint8Array | bigint)[];
  readonly now?: Date;
  readonly thisUpdate?: Date;
  readonly nextUpdate?: Date;
  readonly crlNumber?: number;
}

/** RFC 5280 §5.1 v2 CRL signed by the CSCA (ICAO 9303-12 §7.2 profile: AKI and CRL number). */
export function createCrl(options: CreateCrlOptions): Uint8Array {
  const now = options.now ?? new Date();
  const thisUpdate = options.thisUpdate ?? new Date(now.getTime() - DAY);
  const nextUpdate = options.nextUpdate ?? new Date(now.getTime() + 90 * DAY);
  const csca = options.csca;
  const signOpts = { hash: csca.hash, rsaScheme: csca.rsaScheme };
  const sigAlg = signatureAlgorithmFor(csca.privateKey, signOpts);
  const revoked = (options.revokedSerials ?? []).map((s) =>
    der.sequence(der.integer(s), der.time(thisUpdate)),
  );
  const tbs = der.sequence(
    der.integer(1),
    sigAlg,
    csca.certificate.subject.der,
    der.time(thisUpdate),
    der.time(nextUpdate),
    ...(revoked.length > 0 ? [der.sequence(...revoked)] : []),
    der.contextConstructed(
      0,
      der.sequence(
        extension(
          Oid.authorityKeyIdentifier,
          false,
          der.sequence(der.contextPrimitive(0, csca.certificate.subjectKeyIdentifier ?? new Uint8Array(0))),
        ),
        extension(Oid.crlNumber, false, der.integer(options.crlNumber ?? 1)),
      ),
    ),
  );
  return der.sequence(tbs, sigAlg, der.bitString(signData(csca.privateKey, tbs, signOpts)));
}
