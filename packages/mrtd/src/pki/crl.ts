// Certificate revocation lists of CSCAs (RFC 5280 §5, ICAO 9303-12 §7 CRL profile): parsing from DER or PEM,
// issuer match and serial lookup (the signature check is in verify-crl-signature.ts, Node only).

import {
  asn1Fail,
  expectConstructed,
  isContext,
  isUniversal,
  parseBer,
  readBitStringBytes,
  readIntegerBytes,
  readOctets,
  readOid,
  readSmallInt,
  readTime,
  Tag,
  toDefiniteLength,
  unsignedBytes,
} from '../asn1/der.ts';
import { constantTimeEqual } from '../bytes.ts';
import { MrtdError } from '../errors.ts';
import { type AlgorithmIdentifier, readAlgorithmIdentifier } from './algorithm.ts';
import { type Certificate, decodePem, type Name, namesMatch, readName } from './certificate.ts';
import { Oid } from './oids.ts';

export interface RevokedCertificate {
  readonly serialNumber: Uint8Array;
  readonly revocationDate: Date;
}

export interface Crl {
  readonly der: Uint8Array;
  readonly tbs: Uint8Array;
  readonly issuer: Name;
  readonly thisUpdate: Date;
  readonly nextUpdate?: Date;
  readonly revoked: readonly RevokedCertificate[];
  readonly authorityKeyIdentifier?: Uint8Array;
  readonly signatureAlgorithm: AlgorithmIdentifier;
  readonly signature: Uint8Array;
}

const CODE = 'ERR_CRL_FORMAT' as const;

/** Parses a CRL from DER bytes or PEM text ("X509 CRL"). */
export function parseCrl(input: Uint8Array | string): Crl {
  let der: Uint8Array;
  if (typeof input === 'string') {
    const block = decodePem(input, 'X509 CRL')[0];
    if (block === undefined) throw new MrtdError(CODE, 'no PEM X509 CRL block found');
    der = block;
  } else {
    der = input;
  }
  const root = parseBer(der, CODE);
  const [tbsNode, algNode, sigNode] = expectConstructed(root, 'CertificateList', CODE);
  const f = expectConstructed(tbsNode, 'tbsCertList', CODE);
  let i = 0;
  const first = f[0];
  if (first !== undefined && isUniversal(first, Tag.integer)) {
    if (readSmallInt(first, 'version', CODE) !== 1) asn1Fail(CODE, 'CRL version is not v2');
    i++;
  }
  readAlgorithmIdentifier(f[i++], 'tbsCertList.signature', CODE);
  const issuer = readName(f[i++], CODE);
  const thisUpdate = readTime(f[i++], 'thisUpdate', CODE);
  let nextUpdate: Date | undefined;
  let next = f[i];
  if (next !== undefined && (isUniversal(next, Tag.utcTime) || isUniversal(next, Tag.generalizedTime))) {
    nextUpdate = readTime(next, 'nextUpdate', CODE);
    next = f[++i];
  }
  const revoked: RevokedCertificate[] = [];
  if (next !== undefined && isUniversal(next, Tag.sequence)) {
    for (const entry of next.children) {
      const [serialNode, dateNode] = expectConstructed(entry, 'revokedCertificate', CODE);
      revoked.push({
        serialNumber: unsignedBytes(readIntegerBytes(serialNode, 'userCertificate', CODE)),
        revocationDate: readTime(dateNode, 'revocationDate', CODE),
      });
    }
    next = f[++i];
  }
  let authorityKeyIdentifier: Uint8Array | undefined;
  if (next !== undefined && isContext(next, 0)) {
    for (const ext of expectConstructed(next.children[0], 'crlExtensions', CODE)) {
      const parts = expectConstructed(ext, 'Extension', CODE);
      if (readOid(parts[0], 'extnID', CODE) !== Oid.authorityKeyIdentifier) continue;
      const value = readOctets(parts[parts.length - 1], 'extnValue', CODE);
      const kid = expectConstructed(parseBer(value, CODE), 'authorityKeyIdentifier', CODE).find((c) =>
        isContext(c, 0),
      );
      if (kid !== undefined) authorityKeyIdentifier = kid.value;
    }
  }
  if (tbsNode === undefined) asn1Fail(CODE, 'tbsCertList missing');
  return {
    der: toDefiniteLength(root),
    tbs: toDefiniteLength(tbsNode),
    issuer,
    thisUpdate,
    ...(nextUpdate === undefined ? {} : { nextUpdate }),
    revoked,
    ...(authorityKeyIdentifier === undefined ? {} : { authorityKeyIdentifier }),
    signatureAlgorithm: readAlgorithmIdentifier(algNode, 'signatureAlgorithm', CODE),
    signature: readBitStringBytes(sigNode, 'signatureValue', CODE),
  };
}

/** RFC 5280 §6.3.3 (b)-(f), reduced to one CSCA: the CRL names the CSCA and its key signed it. */
export function crlIssuedBy(crl: Crl, csca: Certificate): boolean {
  if (!namesMatch(crl.issuer, csca.subject)) return false;
  if (
    crl.authorityKeyIdentifier !== undefined &&
    csca.subjectKeyIdentifier !== undefined &&
    !constantTimeEqual(crl.authorityKeyIdentifier, csca.subjectKeyIdentifier)
  ) {
    return false;
  }
  return true;
}

export function isRevoked(crl: Crl, serialNumber: Uint8Array): RevokedCertificate | undefined {
  return crl.revoked.find((r) => constantTimeEqual(r.serialNumber, serialNumber));
}
