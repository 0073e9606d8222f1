// RFC 5652 §5.4 and §5.6 checks of a CMS SignerInfo (EF.SOD, EF.CardSecurity, master lists): signed
// attributes against eContent, and the signature with the signer's key. Node only (node:crypto).
import { parseBer, readOctets, readOid } from '../asn1/der.ts';
import { constantTimeEqual } from '../bytes.ts';
import type { Certificate } from '../pki/certificate.ts';
import { digest } from '../pki/digest.ts';
import { type HashAlgorithm, hashByOid, Oid } from '../pki/oids.ts';
import { parsePublicKeyInfo } from '../pki/public-key.ts';
import { verifySignature } from '../pki/signature.ts';
import type { SignedData, SignerInfo } from './signed-data.ts';

export type SignedAttributesResult =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly reason: 'missing' | 'content_type' | 'message_digest' | 'unsupported_digest';
      readonly message: string;
    };

/**
 * RFC 5652 §5.4 / §11.1-11.2 and ICAO 9303-10 §4.6.2: signed attributes are present, contentType equals
 * eContentType and messageDigest equals the hash of eContent under the SignerInfo digest algorithm.
 */
export function checkSignedAttributes(sd: SignedData, si: SignerInfo): SignedAttributesResult {
  const attrs = si.signedAttributes;
  if (attrs === undefined)
    return { ok: false, reason: 'missing', message: 'SignerInfo has no signed attributes' };
  const single = (type: string): Uint8Array | undefined => {
    const found = attrs.attributes.filter((a) => a.type === type);
    return found.length === 1 && found[0]?.values.length === 1 ? found[0].values[0] : undefined;
  };
  const ct = single(Oid.contentTypeAttr);
  let ctOid: string | undefined;
  try {
    ctOid = ct === undefined ? undefined : readOid(parseBer(ct), 'contentType', 'ERR_CMS_FORMAT');
  } catch {
    ctOid = undefined;
  }
  if (ctOid !== sd.eContentType) {
    return {
      ok: false,
      reason: 'content_type',
      message: 'contentType attribute missing or not eContentType',
    };
  }
  let hash: HashAlgorithm;
  try {
    hash = hashByOid(si.digestAlgorithm.oid);
  } catch {
    return {
      ok: false,
      reason: 'unsupported_digest',
      message: `unsupported digest ${si.digestAlgorithm.oid}`,
    };
  }
  const md = single(Oid.messageDigestAttr);
  let mdValue: Uint8Array | undefined;
  try {
    mdValue = md === undefined ? undefined : readOctets(parseBer(md), 'messageDigest', 'ERR_CMS_FORMAT');
  } catch {
    mdValue = undefined;
  }
  if (mdValue === undefined || !constantTimeEqual(mdValue, digest(hash, sd.eContent))) {
    return {
      ok: false,
      reason: 'message_digest',
      message: 'messageDigest does not match the hash of eContent',
    };
  }
  return { ok: true };
}

/** RFC 5652 §5.6: verifies the SignerInfo signature over the signed attributes with the signer's key. */
export function verifySignerSignature(sd: SignedData, si: SignerInfo, signer: Certificate): boolean {
  const data = si.signedAttributes?.signedBytes ?? sd.eContent;
  return verifySignature({
    algorithm: si.signatureAlgorithm,
    digestHash: hashByOid(si.digestAlgorithm.oid),
    publicKey: parsePublicKeyInfo(signer.subjectPublicKeyInfo),
    data,
    signature: si.signature,
  });
}
