// CMS SignedData (RFC 5652 §5) as used by EF.SOD, EF.CardSecurity and CSCA master lists: parsing from
// BER (indefinite lengths included) and signer lookup (the checks are in verify-signer-info.ts, Node only).

import {
  type Asn1Node,
  asn1Fail,
  expectConstructed,
  isContext,
  isUniversal,
  parseBer,
  readIntegerBytes,
  readOctets,
  readOid,
  readSmallInt,
  Tag,
  toDefiniteLength,
  unsignedBytes,
} from '../asn1/der.ts';
import { constantTimeEqual } from '../bytes.ts';
import { MrtdError, type MrtdErrorCode } from '../errors.ts';
import { type AlgorithmIdentifier, readAlgorithmIdentifier } from '../pki/algorithm.ts';
import { type Certificate, type Name, namesMatch, readCertificate, readName } from '../pki/certificate.ts';
import { Oid } from '../pki/oids.ts';

export type SignerIdentifier =
  | { readonly kind: 'issuerAndSerialNumber'; readonly issuer: Name; readonly serialNumber: Uint8Array }
  | { readonly kind: 'subjectKeyIdentifier'; readonly keyIdentifier: Uint8Array };

export interface CmsAttribute {
  readonly type: string;
  /** Each AttributeValue's DER. */
  readonly values: readonly Uint8Array[];
}

export interface SignerInfo {
  readonly version: number;
  readonly sid: SignerIdentifier;
  readonly digestAlgorithm: AlgorithmIdentifier;
  readonly signedAttributes?: {
    /** RFC 5652 §5.4: the DER of the attributes with the SET OF tag, i.e. what the signer signed. */
    readonly signedBytes: Uint8Array;
    readonly attributes: readonly CmsAttribute[];
  };
  readonly signatureAlgorithm: AlgorithmIdentifier;
  readonly signature: Uint8Array;
}

export interface SignedData {
  readonly version: number;
  readonly digestAlgorithms: readonly AlgorithmIdentifier[];
  readonly eContentType: string;
  /** The encapsulated content (OCTET STRING contents, constructed BER strings joined). */
  readonly eContent: Uint8Array;
  readonly certificates: readonly Certificate[];
  /** RevocationInfoChoices as raw DER (CRLs carried inside the CMS, rare in eMRTDs). */
  readonly crls: readonly Uint8Array[];
  readonly signerInfos: readonly SignerInfo[];
}

/** Parses a ContentInfo holding SignedData (RFC 5652 §3, §5.1). */
export function parseSignedData(bytes: Uint8Array, code: MrtdErrorCode = 'ERR_CMS_FORMAT'): SignedData {
  return readSignedData(parseBer(bytes, code), code);
}

export function readSignedData(contentInfo: Asn1Node, code: MrtdErrorCode): SignedData {
  const [typeNode, contentNode] = expectConstructed(contentInfo, 'ContentInfo', code);
  const contentType = readOid(typeNode, 'contentType', code);
  if (contentType !== Oid.signedData) {
    throw new MrtdError(code, `ContentInfo is ${contentType}, not SignedData`, { details: { contentType } });
  }
  if (contentNode === undefined || !isContext(contentNode, 0))
    asn1Fail(code, 'ContentInfo: [0] content missing');
  const fields = expectConstructed(contentNode.children[0], 'SignedData', code);
  let i = 0;
  const version = readSmallInt(fields[i++], 'SignedData.version', code);
  const digestAlgorithms = expectConstructed(fields[i++], 'digestAlgorithms', code, Tag.set).map((n) =>
    readAlgorithmIdentifier(n, 'digestAlgorithm', code),
  );
  const [eTypeNode, eContentWrapper] = expectConstructed(fields[i++], 'encapContentInfo', code);
  const eContentType = readOid(eTypeNode, 'eContentType', code);
  if (eContentWrapper === undefined || !isContext(eContentWrapper, 0)) {
    asn1Fail(code, 'encapContentInfo: eContent missing (detached content is not used by eMRTDs)');
  }
  const eContent = readOctets(eContentWrapper.children[0], 'eContent', code);
  const certificates: Certificate[] = [];
  const crls: Uint8Array[] = [];
  let next = fields[i];
  if (next !== undefined && isContext(next, 0)) {
    for (const c of next.children) {
      // CertificateChoices: only the plain Certificate form (RFC 5652 §10.2.2) is used by eMRTD PKIs.
      if (isUniversal(c, Tag.sequence)) certificates.push(readCertificate(c));
    }
    next = fields[++i];
  }
  if (next !== undefined && isContext(next, 1)) {
    for (const c of next.children) crls.push(toDefiniteLength(c));
    next = fields[++i];
  }
  const signerInfos = expectConstructed(next, 'signerInfos', code, Tag.set).map((n) =>
    readSignerInfo(n, code),
  );
  if (fields.length > i + 1) asn1Fail(code, 'SignedData: unexpected trailing fields');
  return { version, digestAlgorithms, eContentType, eContent, certificates, crls, signerInfos };
}

function readSignerInfo(node: Asn1Node, code: MrtdErrorCode): SignerInfo {
  const f = expectConstructed(node, 'SignerInfo', code);
  let i = 0;
  const version = readSmallInt(f[i++], 'SignerInfo.version', code);
  const sidNode = f[i++];
  if (sidNode === undefined) asn1Fail(code, 'SignerInfo.sid missing');
  let sid: SignerIdentifier;
  if (isContext(sidNode, 0)) {
    sid = { kind: 'subjectKeyIdentifier', keyIdentifier: sidNode.value };
  } else {
    const [issuerNode, serialNode] = expectConstructed(sidNode, 'issuerAndSerialNumber', code);
    sid = {
      kind: 'issuerAndSerialNumber',
      issuer: readName(issuerNode, code),
      serialNumber: unsignedBytes(readIntegerBytes(serialNode, 'serialNumber', code)),
    };
  }
  const digestAlgorithm = readAlgorithmIdentifier(f[i++], 'SignerInfo.digestAlgorithm', code);
  let signedAttributes: SignerInfo['signedAttributes'];
  const maybeAttrs = f[i];
  if (maybeAttrs !== undefined && isContext(maybeAttrs, 0)) {
    const der = toDefiniteLength(maybeAttrs);
    const signedBytes = new Uint8Array(der);
    signedBytes[0] = 0x31; // RFC 5652 §5.4: the signature covers the explicit SET OF tag, not [0] IMPLICIT.
    signedAttributes = { signedBytes, attributes: maybeAttrs.children.map((a) => readAttribute(a, code)) };
    i++;
  }
  const signatureAlgorithm = readAlgorithmIdentifier(f[i++], 'SignerInfo.signatureAlgorithm', code);
  const signature = readOctets(f[i++], 'SignerInfo.signature', code);
  return {
    version,
    sid,
    digestAlgorithm,
    ...(signedAttributes === undefined ? {} : { signedAttributes }),
    signatureAlgorithm,
    signature,
  };
}

function readAttribute(node: Asn1Node, code: MrtdErrorCode): CmsAttribute {
  const [typeNode, valuesNode] = expectConstructed(node, 'Attribute', code);
  return {
    type: readOid(typeNode, 'attrType', code),
    values: expectConstructed(valuesNode, 'attrValues', code, Tag.set).map(toDefiniteLength),
  };
}

/** The certificate a SignerInfo names (RFC 5652 §5.3), among `candidates`. */
export function findSignerCertificate(
  si: SignerInfo,
  candidates: readonly Certificate[],
): Certificate | undefined {
  const sid = si.sid;
  if (sid.kind === 'subjectKeyIdentifier') {
    return candidates.find(
      (c) =>
        c.subjectKeyIdentifier !== undefined && constantTimeEqual(c.subjectKeyIdentifier, sid.keyIdentifier),
    );
  }
  return candidates.find(
    (c) => constantTimeEqual(c.serialNumber, sid.serialNumber) && namesMatch(c.issuer, sid.issuer),
  );
}

/** The one SignerInfo an eMRTD security object carries (ICAO 9303-10 §4.6.2.1). */
export function singleSignerInfo(sd: SignedData, code: MrtdErrorCode): SignerInfo {
  const si = sd.signerInfos[0];
  if (si === undefined || sd.signerInfos.length !== 1) {
    throw new MrtdError(code, `expected exactly one SignerInfo, found ${sd.signerInfos.length}`);
  }
  return si;
}
