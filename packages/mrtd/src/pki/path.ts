// One step of certification path validation (RFC 5280 §6.1.3 (a)(1), (a)(4)): does `issuer` issue `cert`?
// eMRTD paths are one step long (DSC -> CSCA, ICAO 9303-12 §4), so no general path builder is needed.
import { constantTimeEqual } from '../bytes.ts';
import { MrtdError } from '../errors.ts';
import { type Certificate, namesMatch } from './certificate.ts';
import { parsePublicKeyInfo } from './public-key.ts';
import { verifySignature } from './signature.ts';

/** Name and key-identifier match only (cheap; no signature). */
export function mayBeIssuedBy(cert: Certificate, issuer: Certificate): boolean {
  if (!namesMatch(cert.issuer, issuer.subject)) return false;
  const aki = cert.authorityKeyIdentifier;
  const ski = issuer.subjectKeyIdentifier;
  return aki === undefined || ski === undefined || constantTimeEqual(aki, ski);
}

/** Name/key-identifier match and the issuer's key verifies the certificate signature. */
export function issuedBy(cert: Certificate, issuer: Certificate): boolean {
  if (!mayBeIssuedBy(cert, issuer)) return false;
  return verifyCertificateSignature(cert, issuer);
}

/** The issuer's key verifies `cert`'s signature; unsupported keys or algorithms count as "no". */
export function verifyCertificateSignature(cert: Certificate, issuer: Certificate): boolean {
  try {
    return verifySignature({
      algorithm: cert.signatureAlgorithm,
      publicKey: parsePublicKeyInfo(issuer.subjectPublicKeyInfo),
      data: cert.tbs,
      signature: cert.signature,
    });
  } catch (e) {
    if (e instanceof MrtdError) return false;
    throw e;
  }
}
