// ICAO 9303-12 §8: a CSCA master list is trusted only when its CMS signature verifies and its signer
// chains to a caller-supplied trust anchor (Node only, node:crypto).
import { constantTimeEqual } from '../bytes.ts';
import { MrtdError } from '../errors.ts';
import { checkSignedAttributes, verifySignerSignature } from '../pa/verify-signer-info.ts';
import { type Certificate, formatName } from './certificate.ts';
import type { MasterList } from './master-list.ts';
import { issuedBy } from './path.ts';

export interface VerifyMasterListOptions {
  /** Certificates trusted to issue master list signers (e.g. the issuing country's CSCA). */
  readonly trustAnchors: readonly Certificate[];
  readonly now: Date;
}

export interface MasterListVerification {
  readonly signer: Certificate;
  readonly anchor: Certificate;
}

/**
 * RFC 5652 §5.6 on the list, then the signer certificate: issued by a trust anchor (name, key identifier,
 * signature) and both valid at `now`. Throws ERR_SIGNATURE_INVALID or ERR_TRUST_ANCHOR on failure.
 */
export function verifyMasterList(ml: MasterList, options: VerifyMasterListOptions): MasterListVerification {
  const signer = ml.signer;
  if (signer === undefined)
    throw new MrtdError('ERR_TRUST_ANCHOR', 'master list signer certificate not found');
  const attrs = checkSignedAttributes(ml.signedData, ml.signerInfo);
  if (!attrs.ok) throw new MrtdError('ERR_SIGNATURE_INVALID', `master list: ${attrs.message}`);
  if (!verifySignerSignature(ml.signedData, ml.signerInfo, signer)) {
    throw new MrtdError('ERR_SIGNATURE_INVALID', 'master list signature does not verify');
  }
  const now = options.now.getTime();
  const validAt = (c: Certificate): boolean => c.notBefore.getTime() <= now && now <= c.notAfter.getTime();
  if (!validAt(signer)) {
    throw new MrtdError(
      'ERR_TRUST_ANCHOR',
      `master list signer ${formatName(signer.subject)} is not valid now`,
    );
  }
  for (const anchor of options.trustAnchors) {
    const same = constantTimeEqual(anchor.der, signer.der);
    if ((same || issuedBy(signer, anchor)) && validAt(anchor)) return { signer, anchor };
  }
  throw new MrtdError('ERR_TRUST_ANCHOR', 'master list signer does not chain to a trust anchor', {
    details: { signerIssuer: formatName(signer.issuer) },
  });
}
