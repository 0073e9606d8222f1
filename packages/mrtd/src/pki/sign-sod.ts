// Producing signed security objects for test documents: CMS SignedData (RFC 5652 §5) with signed
// attributes, EF.SOD (ICAO 9303-10 §4.6.2, tag 77), and CSCA master lists (ICAO 9303-12 §8).

import { der } from '../asn1/der-writer.ts';
import { concatBytes } from '../bytes.ts';
import { MrtdError } from '../errors.ts';
import { encodeLdsSecurityObject } from '../pa/sod.ts';
import { encodeTlv } from '../tlv/tlv.ts';
import { digest } from './digest.ts';
import { type HashAlgorithm, hashOid, Oid } from './oids.ts';
import { signatureAlgorithmFor, signData } from './signer.ts';
import type { TestCredential } from './test-pki.ts';

/** Deliberate defects for negative test documents. */
export type SodTamper = 'signature' | 'message_digest' | 'content';

export interface SignCmsOptions {
  readonly eContentType: string;
  readonly eContent: Uint8Array;
  readonly signer: TestCredential;
  readonly hash?: HashAlgorithm;
  readonly signingTime?: Date;
  readonly tamper?: SodTamper;
}

const flipLast = (b: Uint8Array): Uint8Array => {
  const out = new Uint8Array(b);
  out[out.length - 1] = (out[out.length - 1] ?? 0) ^ 0x01;
  return out;
};

/** ContentInfo(SignedData) DER with one SignerInfo (issuerAndSerialNumber) and the signer certificate. */
export function signCms(options: SignCmsOptions): Uint8Array {
  const hash = options.hash ?? options.signer.hash;
  const signOpts = { hash, rsaScheme: options.signer.rsaScheme };
  const digestAlg = der.sequence(der.oid(hashOid(hash)));
  let messageDigest = digest(hash, options.eContent);
  if (options.tamper === 'message_digest') messageDigest = flipLast(messageDigest);
  const attribute = (oid: string, value: Uint8Array): Uint8Array =>
    der.sequence(der.oid(oid), der.setOf(value));
  // RFC 5652 §5.4: the signature covers the DER SET OF; the SignerInfo carries it as [0] IMPLICIT.
  const signedAttrs = der.setOf(
    attribute(Oid.contentTypeAttr, der.oid(options.eContentType)),
    attribute(Oid.messageDigestAttr, der.octetString(messageDigest)),
    ...(options.signingTime === undefined
      ? []
      : [attribute(Oid.signingTimeAttr, der.time(options.signingTime))]),
  );
  let signature = signData(options.signer.privateKey, signedAttrs, signOpts);
  if (options.tamper === 'signature') signature = flipLast(signature);
  const implicitAttrs = concatBytes(Uint8Array.of(0xa0), signedAttrs.subarray(1));
  const cert = options.signer.certificate;
  const signerInfo = der.sequence(
    der.integer(1),
    der.sequence(cert.issuer.der, der.integer(cert.serialNumber)),
    digestAlg,
    implicitAttrs,
    signatureAlgorithmFor(options.signer.privateKey, signOpts),
    der.octetString(signature),
  );
  const eContent = options.tamper === 'content' ? flipLast(options.eContent) : options.eContent;
  const signedData = der.sequence(
    // RFC 5652 §5.1: version 3 because eContentType is not id-data.
    der.integer(options.eContentType === Oid.data ? 1 : 3),
    der.setOf(digestAlg),
    der.sequence(der.oid(options.eContentType), der.contextConstructed(0, der.octetString(eContent))),
    der.contextConstructed(0, options.signer.der),
    der.setOf(signerInfo),
  );
  return der.sequence(der.oid(Oid.signedData), der.contextConstructed(0, signedData));
}

export interface SignSodOptions {
  /** Data group number -> whole EF bytes; their hashes go into the LDS security object. */
  readonly dataGroups?: ReadonlyMap<number, Uint8Array>;
  /** Or the hashes directly (e.g. to build a SOD that disagrees with the data groups). */
  readonly dataGroupHashes?: ReadonlyMap<number, Uint8Array>;
  readonly hashAlgorithm?: HashAlgorithm;
  /** LDS 1.8 version info, making the object v1 (ICAO 9303-10 §4.6.2.2), e.g. '0108' and '040000'. */
  readonly ldsVersion?: string;
  readonly unicodeVersion?: string;
  readonly documentSigner: TestCredential;
  readonly signingTime?: Date;
  readonly tamper?: SodTamper;
}

/** EF.SOD bytes (tag 77 wrapping the ContentInfo) for a test document. */
export function signSod(options: SignSodOptions): Uint8Array {
  const hashAlgorithm = options.hashAlgorithm ?? 'sha256';
  const hashes = new Map<number, Uint8Array>(options.dataGroupHashes ?? []);
  for (const [dg, bytes] of options.dataGroups ?? []) hashes.set(dg, digest(hashAlgorithm, bytes));
  if (hashes.size === 0) throw new MrtdError('ERR_USAGE', 'signSod needs data groups or their hashes');
  const lso = encodeLdsSecurityObject({
    hashAlgorithm,
    dataGroupHashes: hashes,
    ...(options.ldsVersion === undefined ? {} : { ldsVersion: options.ldsVersion }),
    ...(options.unicodeVersion === undefined ? {} : { unicodeVersion: options.unicodeVersion }),
  });
  const contentInfo = signCms({
    eContentType: Oid.ldsSecurityObject,
    eContent: lso,
    signer: options.documentSigner,
    hash: hashAlgorithm,
    ...(options.signingTime === undefined ? {} : { signingTime: options.signingTime }),
    ...(options.tamper === undefined ? {} : { tamper: options.tamper }),
  });
  return encodeTlv(0x77, contentInfo);
}

export interface CreateMasterListOptions {
  /** The CSCA certificates to list (DER). */
  readonly certificates: readonly Uint8Array[];
  /** The master list signer (e.g. a CSCA, or a signer certificate a CSCA issued). */
  readonly signer: TestCredential;
}

/** A CSCA master list (CMS over CscaMasterList { version 0, certList }) for development trust setups. */
export function createMasterList(options: CreateMasterListOptions): Uint8Array {
  const content = der.sequence(der.integer(0), der.setOf(...options.certificates));
  return signCms({ eContentType: Oid.cscaMasterList, eContent: content, signer: options.signer });
}
