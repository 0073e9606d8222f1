// RFC 5280 §6.3.3 (f): a CRL's signature checked with its CSCA's key (Node only, node:crypto).
import type { Certificate } from './certificate.ts';
import type { Crl } from './crl.ts';
import { parsePublicKeyInfo } from './public-key.ts';
import { verifySignature } from './signature.ts';

/** Verifies the CRL signature with the CSCA key. Unsupported algorithms throw ERR_CRYPTO_UNSUPPORTED. */
export function verifyCrlSignature(crl: Crl, csca: Certificate): boolean {
  return verifySignature({
    algorithm: crl.signatureAlgorithm,
    publicKey: parsePublicKeyInfo(csca.subjectPublicKeyInfo),
    data: crl.tbs,
    signature: crl.signature,
  });
}
