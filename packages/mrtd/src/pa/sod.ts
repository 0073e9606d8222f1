// EF.SOD (ICAO 9303-10 §4.6.2) and EF.CardSecurity (BSI TR-03110-3 §A.1.2.5): the signed security objects
// of an eMRTD, parsed from their bytes into CMS parts, the LDS security object and the Document Signer.

import {
  type Asn1Node,
  asn1Fail,
  expectConstructed,
  expectPrimitive,
  isUniversal,
  parseBer,
  readOctets,
  readSmallInt,
  readString,
  TagClass,
} from '../asn1/der.ts';
import { der } from '../asn1/der-writer.ts';
import { MrtdError } from '../errors.ts';
import { readAlgorithmIdentifier } from '../pki/algorithm.ts';
import type { Certificate } from '../pki/certificate.ts';
import { type HashAlgorithm, hashByOid, hashOid, Oid } from '../pki/oids.ts';
import {
  findSignerCertificate,
  readSignedData,
  type SignedData,
  type SignerInfo,
  singleSignerInfo,
} from './signed-data.ts';

export interface LdsSecurityObject {
  /** 0 = v0; 1 = v1 with LDS and Unicode versions (ICAO 9303-10 §4.6.2.2). */
  readonly version: number;
  readonly hashAlgorithm: HashAlgorithm;
  readonly dataGroupHashes: ReadonlyMap<number, Uint8Array>;
  readonly ldsVersion?: string;
  readonly unicodeVersion?: string;
}

export interface Sod {
  readonly signedData: SignedData;
  readonly signerInfo: SignerInfo;
  /** The Document Signer certificate embedded in the SOD that the SignerInfo names, if any. */
  readonly documentSigner: Certificate | undefined;
  readonly ldsSecurityObject: LdsSecurityObject;
}

export interface CardSecurity {
  readonly signedData: SignedData;
  readonly signerInfo: SignerInfo;
  readonly documentSigner: Certificate | undefined;
  /** The SecurityInfos DER (BSI TR-03110-3 §A.1.1); decode it with the lds/ SecurityInfos decoder. */
  readonly securityInfos: Uint8Array;
}

const CODE = 'ERR_CMS_FORMAT' as const;
const SOD_TAG = 0x17; // application 23, i.e. tag 77 (ICAO 9303-10 §4.7.14)

/** Parses EF.SOD: the tag 77 wrapper (or a bare ContentInfo), CMS SignedData and the LDSSecurityObject. */
export function parseSod(bytes: Uint8Array): Sod {
  const outer = parseBer(bytes, CODE);
  let contentInfo: Asn1Node = outer;
  if (outer.tagClass === TagClass.application && outer.tagNumber === SOD_TAG) {
    const [inner, extra] = outer.children;
    if (inner === undefined || extra !== undefined)
      asn1Fail(CODE, 'EF.SOD: tag 77 must hold one ContentInfo');
    contentInfo = inner;
  } else if (!isUniversal(outer, 16)) {
    asn1Fail(CODE, 'EF.SOD: expected tag 77 or a ContentInfo');
  }
  const signedData = readSignedData(contentInfo, CODE);
  // ICAO 9303-10 §4.6.2.1 names id-icao-ldsSecurityObject; some issuers (CN) declare id-data with the
  // same content. The content is parsed either way; verifyPassive reports the deviation.
  if (signedData.eContentType !== Oid.ldsSecurityObject && signedData.eContentType !== Oid.data) {
    throw new MrtdError(
      'ERR_CMS_FORMAT',
      `EF.SOD eContentType ${signedData.eContentType} is not an LDS object`,
      {
        details: { eContentType: signedData.eContentType },
      },
    );
  }
  const signerInfo = singleSignerInfo(signedData, CODE);
  return {
    signedData,
    signerInfo,
    documentSigner: findSignerCertificate(signerInfo, signedData.certificates),
    ldsSecurityObject: decodeLdsSecurityObject(signedData.eContent),
  };
}

/** Parses EF.CardSecurity: CMS SignedData whose content is SecurityInfos (eContentType id-SecurityObject). */
export function parseCardSecurity(bytes: Uint8Array): CardSecurity {
  const signedData = readSignedData(parseBer(bytes, CODE), CODE);
  if (signedData.eContentType !== Oid.securityObject) {
    throw new MrtdError(
      'ERR_CMS_FORMAT',
      `EF.CardSecurity eContentType ${signedData.eContentType} unexpected`,
      {
        details: { eContentType: signedData.eContentType },
      },
    );
  }
  const signerInfo = singleSignerInfo(signedData, CODE);
  // SecurityInfos ::= SET OF SecurityInfo; only the outer shape is checked here (lds/ decodes the rest).
  expectConstructed(parseBer(signedData.eContent, CODE), 'SecurityInfos', CODE, 17);
  return {
    signedData,
    signerInfo,
    documentSigner: findSignerCertificate(signerInfo, signedData.certificates),
    securityInfos: signedData.eContent,
  };
}

/** ICAO 9303-10 §4.6.2.2 LDSSecurityObject. */
export function decodeLdsSecurityObject(bytes: Uint8Array): LdsSecurityObject {
  const f = expectConstructed(parseBer(bytes, CODE), 'LDSSecurityObject', CODE);
  const version = readSmallInt(f[0], 'LDSSecurityObject.version', CODE);
  if (version !== 0 && version !== 1) asn1Fail(CODE, `LDSSecurityObject version ${version} unknown`);
  const hashAlgorithm = hashByOid(readAlgorithmIdentifier(f[1], 'hashAlgorithm', CODE).oid);
  const dataGroupHashes = new Map<number, Uint8Array>();
  for (const entry of expectConstructed(f[2], 'dataGroupHashValues', CODE)) {
    const [numNode, hashNode] = expectConstructed(entry, 'DataGroupHash', CODE);
    const dg = readSmallInt(numNode, 'dataGroupNumber', CODE);
    if (dg < 1 || dg > 16) asn1Fail(CODE, `data group number ${dg} out of range`);
    if (dataGroupHashes.has(dg)) asn1Fail(CODE, `data group ${dg} listed twice`);
    dataGroupHashes.set(dg, readOctets(hashNode, 'dataGroupHashValue', CODE));
  }
  if (dataGroupHashes.size === 0) asn1Fail(CODE, 'LDSSecurityObject lists no data groups');
  const versionInfo = f[3];
  if (versionInfo === undefined) {
    if (f.length > 3) asn1Fail(CODE, 'LDSSecurityObject: unexpected fields');
    return { version, hashAlgorithm, dataGroupHashes };
  }
  // v1 adds LDSVersionInfo { ldsVersion, unicodeVersion } (both PrintableString, e.g. "0108", "040000").
  const [ldsNode, unicodeNode] = expectConstructed(versionInfo, 'LDSVersionInfo', CODE);
  const text = (n: Asn1Node | undefined, what: string): string => {
    if (n === undefined) asn1Fail(CODE, `${what} missing`);
    expectPrimitive(n, n.tagNumber, what, CODE);
    return readString(n, what, CODE);
  };
  return {
    version,
    hashAlgorithm,
    dataGroupHashes,
    ldsVersion: text(ldsNode, 'ldsVersion'),
    unicodeVersion: text(unicodeNode, 'unicodeVersion'),
  };
}

/** DER of an LDSSecurityObject (v1 when both LDS and Unicode versions are given). */
export function encodeLdsSecurityObject(lso: Omit<LdsSecurityObject, 'version'>): Uint8Array {
  const v1 = lso.ldsVersion !== undefined && lso.unicodeVersion !== undefined;
  const hashes = [...lso.dataGroupHashes.entries()]
    .sort(([a], [b]) => a - b)
    .map(([dg, h]) => der.sequence(der.integer(dg), der.octetString(h)));
  return der.sequence(
    der.integer(v1 ? 1 : 0),
    der.sequence(der.oid(hashOid(lso.hashAlgorithm))),
    der.sequence(...hashes),
    ...(v1
      ? [der.sequence(der.printable(lso.ldsVersion ?? ''), der.printable(lso.unicodeVersion ?? ''))]
      : []),
  );
}
