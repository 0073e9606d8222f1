// X.509 certificates as used in the eMRTD PKI (RFC 5280 §4.1, ICAO 9303-12 §7.1): the fields passive
// authentication needs, the exact to-be-signed bytes, names and their comparison, and PEM handling.

import {
  type Asn1Node,
  asn1Fail,
  expectConstructed,
  isContext,
  isUniversal,
  parseBer,
  readBitFlags,
  readBitStringBytes,
  readIntegerBytes,
  readOctets,
  readOid,
  readSmallInt,
  readString,
  readTime,
  Tag,
  toDefiniteLength,
  unsignedBytes,
} from '../asn1/der.ts';
import { fromBase64, toBase64, toHex } from '../bytes.ts';
import { MrtdError, type MrtdErrorCode } from '../errors.ts';
import { type AlgorithmIdentifier, readAlgorithmIdentifier } from './algorithm.ts';
import { NAME_ATTRIBUTES, Oid } from './oids.ts';

export interface NameAttribute {
  readonly type: string;
  readonly value: string;
}

export interface Name {
  readonly der: Uint8Array;
  /** RDNs in encoded order, each a set of attributes. */
  readonly rdns: readonly (readonly NameAttribute[])[];
}

export interface CertificateExtension {
  readonly oid: string;
  readonly critical: boolean;
  readonly value: Uint8Array;
}

export interface Certificate {
  readonly der: Uint8Array;
  /** The exact tbsCertificate bytes the issuer signed. */
  readonly tbs: Uint8Array;
  readonly version: number;
  /** Serial number magnitude (leading zero octets removed). */
  readonly serialNumber: Uint8Array;
  readonly signatureAlgorithm: AlgorithmIdentifier;
  readonly signature: Uint8Array;
  readonly issuer: Name;
  readonly subject: Name;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** SubjectPublicKeyInfo DER; parse it with parsePublicKeyInfo. */
  readonly subjectPublicKeyInfo: Uint8Array;
  readonly extensions: readonly CertificateExtension[];
  readonly subjectKeyIdentifier?: Uint8Array;
  readonly authorityKeyIdentifier?: Uint8Array;
  readonly isCa?: boolean;
  /** RFC 5280 §4.2.1.3 bits: 0 digitalSignature ... 5 keyCertSign, 6 cRLSign. */
  readonly keyUsage?: readonly boolean[];
}

const CODE: MrtdErrorCode = 'ERR_CERT_FORMAT';

export function parseCertificate(der: Uint8Array): Certificate {
  return readCertificate(parseBer(der, CODE));
}

/** Reads a Certificate from an already parsed node (CMS certificate sets, master lists). */
export function readCertificate(node: Asn1Node): Certificate {
  const [tbsNode, sigAlgNode, sigNode, extra] = expectConstructed(node, 'Certificate', CODE);
  if (extra !== undefined || tbsNode === undefined) asn1Fail(CODE, 'Certificate: wrong number of fields');
  const fields = expectConstructed(tbsNode, 'tbsCertificate', CODE);
  let i = 0;
  let version = 1;
  const first = fields[0];
  if (first !== undefined && isContext(first, 0)) {
    version = readSmallInt(first.children[0], 'version', CODE) + 1;
    i++;
  }
  const serialNumber = unsignedBytes(readIntegerBytes(fields[i++], 'serialNumber', CODE));
  readAlgorithmIdentifier(fields[i++], 'tbsCertificate.signature', CODE);
  const issuer = readName(fields[i++], CODE);
  const [nbNode, naNode] = expectConstructed(fields[i++], 'validity', CODE);
  const notBefore = readTime(nbNode, 'notBefore', CODE);
  const notAfter = readTime(naNode, 'notAfter', CODE);
  const subject = readName(fields[i++], CODE);
  const spkiNode = fields[i++];
  expectConstructed(spkiNode, 'subjectPublicKeyInfo', CODE);
  let extensions: CertificateExtension[] = [];
  for (; i < fields.length; i++) {
    const f = fields[i];
    if (f !== undefined && isContext(f, 3)) extensions = readExtensions(f.children[0]);
  }
  const cert: Certificate = {
    der: toDefiniteLength(node),
    tbs: toDefiniteLength(tbsNode),
    version,
    serialNumber,
    signatureAlgorithm: readAlgorithmIdentifier(sigAlgNode, 'signatureAlgorithm', CODE),
    signature: readBitStringBytes(sigNode, 'signatureValue', CODE),
    issuer,
    subject,
    notBefore,
    notAfter,
    subjectPublicKeyInfo: spkiNode === undefined ? new Uint8Array(0) : toDefiniteLength(spkiNode),
    extensions,
    ...decodeKnownExtensions(extensions),
  };
  return cert;
}

function readExtensions(node: Asn1Node | undefined): CertificateExtension[] {
  return expectConstructed(node, 'extensions', CODE).map((ext) => {
    const parts = expectConstructed(ext, 'Extension', CODE);
    const oid = readOid(parts[0], 'extnID', CODE);
    let critical = false;
    let k = 1;
    const maybeBool = parts[1];
    if (maybeBool !== undefined && isUniversal(maybeBool, Tag.boolean)) {
      critical = (maybeBool.value[0] ?? 0) !== 0;
      k = 2;
    }
    return { oid, critical, value: readOctets(parts[k], 'extnValue', CODE) };
  });
}

function decodeKnownExtensions(
  exts: readonly CertificateExtension[],
): Pick<Certificate, 'subjectKeyIdentifier' | 'authorityKeyIdentifier' | 'isCa' | 'keyUsage'> {
  const out: {
    subjectKeyIdentifier?: Uint8Array;
    authorityKeyIdentifier?: Uint8Array;
    isCa?: boolean;
    keyUsage?: readonly boolean[];
  } = {};
  for (const e of exts) {
    if (e.oid === Oid.subjectKeyIdentifier) {
      out.subjectKeyIdentifier = readOctets(parseBer(e.value, CODE), 'subjectKeyIdentifier', CODE);
    } else if (e.oid === Oid.authorityKeyIdentifier) {
      // RFC 5280 §4.2.1.1: keyIdentifier is [0] IMPLICIT OCTET STRING.
      const kid = expectConstructed(parseBer(e.value, CODE), 'authorityKeyIdentifier', CODE).find((c) =>
        isContext(c, 0),
      );
      if (kid !== undefined) out.authorityKeyIdentifier = kid.value;
    } else if (e.oid === Oid.basicConstraints) {
      const bc = expectConstructed(parseBer(e.value, CODE), 'basicConstraints', CODE)[0];
      out.isCa = bc !== undefined && isUniversal(bc, Tag.boolean) && (bc.value[0] ?? 0) !== 0;
    } else if (e.oid === Oid.keyUsage) {
      out.keyUsage = readBitFlags(parseBer(e.value, CODE), 'keyUsage', CODE);
    }
  }
  return out;
}

export function readName(node: Asn1Node | undefined, code: MrtdErrorCode): Name {
  const rdns = expectConstructed(node, 'Name', code).map((rdn) =>
    expectConstructed(rdn, 'RelativeDistinguishedName', code, Tag.set).map((atv) => {
      const [typeNode, valueNode] = expectConstructed(atv, 'AttributeTypeAndValue', code);
      if (valueNode === undefined) asn1Fail(code, 'AttributeTypeAndValue without value');
      return { type: readOid(typeNode, 'attribute type', code), value: readString(valueNode, 'value', code) };
    }),
  );
  return { der: node?.raw ?? new Uint8Array(0), rdns };
}

/** RFC 4514-like text, in encoded order: "C=NZ, O=Government of New Zealand, OU=Passports". */
export function formatName(name: Name): string {
  return name.rdns
    .map((rdn) => rdn.map((a) => `${NAME_ATTRIBUTES[a.type] ?? a.type}=${a.value}`).join('+'))
    .join(', ');
}

/** The country code of a name (C attribute), upper-case, if present. */
export function nameCountry(name: Name): string | undefined {
  for (const rdn of name.rdns) for (const a of rdn) if (a.type === '2.5.4.6') return a.value.toUpperCase();
  return undefined;
}

function normalise(value: string): string {
  return value.trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * A canonical text for name matching after RFC 5280 §7.1 (case-insensitive, whitespace-folded values).
 * RDN order is ignored: some issuers (MY) put the RDNs of the SignerInfo issuer in a different order from
 * the DSC's issuer. The key identifiers and the signature check, not the name alone, establish the chain.
 */
export function nameMatchKey(name: Name): string {
  return name.rdns
    .map((rdn) =>
      rdn
        .map((x) => `${x.type}=${normalise(x.value)}`)
        .sort()
        .join('+'),
    )
    .sort()
    .join(',');
}

export function namesMatch(a: Name, b: Name): boolean {
  return nameMatchKey(a) === nameMatchKey(b);
}

export function serialHex(cert: Pick<Certificate, 'serialNumber'>): string {
  return toHex(cert.serialNumber);
}

/** RFC 7468 PEM blocks with the given label (e.g. CERTIFICATE, X509 CRL) as DER. */
export function decodePem(text: string, label: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  const re = new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]*?)-----END ${label}-----`, 'g');
  for (const m of text.matchAll(re)) out.push(fromBase64((m[1] ?? '').replace(/\s+/g, '')));
  return out;
}

export function encodePem(der: Uint8Array, label: string): string {
  const b64 = toBase64(der);
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** Certificates from DER bytes, or PEM text (one or more blocks). */
export function parseCertificates(input: Uint8Array | string): Certificate[] {
  if (typeof input === 'string') {
    const blocks = decodePem(input, 'CERTIFICATE');
    if (blocks.length === 0) throw new MrtdError(CODE, 'no PEM CERTIFICATE block found');
    return blocks.map(parseCertificate);
  }
  return [parseCertificate(input)];
}
