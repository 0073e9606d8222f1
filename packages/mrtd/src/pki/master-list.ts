// ICAO CSCA master lists (ICAO 9303-12 §8): CMS SignedData over CscaMasterList. The list's CMS signature
// and its signer's chain to a caller-supplied trust anchor are both verified before any CSCA is used.
import { constantTimeEqual } from '../bytes.ts';
import { MrtdError, type MrtdErrorCode } from '../errors.ts';
import {
  checkSignedAttributes,
  findSignerCertificate,
  parseSignedData,
  type SignedData,
  type SignerInfo,
  singleSignerInfo,
  verifySignerSignature,
} from '../pa/signed-data.ts';
import { type Certificate, formatName, readCertificate } from './certificate.ts';
import { expectConstructed, parseBer, readSmallInt, Tag } from '../asn1/der.ts';
import { Oid } from './oids.ts';
import { issuedBy } from './path.ts';

export interface MasterList {
  readonly signedData: SignedData;
  readonly signerInfo: SignerInfo;
  /** The master list signer certificate carried in the SignedData, if the SignerInfo names one. */
  readonly signer: Certificate | undefined;
  readonly version: number;
  readonly certificates: readonly Certificate[];
  /** Entries that are not parseable certificates, by position; they are left out, not fatal. */
  readonly rejected: readonly {
    readonly index: number;
    readonly code: MrtdErrorCode;
    readonly message: string;
  }[];
}

const CODE: MrtdErrorCode = 'ERR_MASTERLIST_FORMAT';

/** Parses a master list's structure (no signature checks: see verifyMasterList). */
export function parseMasterList(bytes: Uint8Array): MasterList {
  const signedData = parseSignedData(bytes, CODE);
  if (signedData.eContentType !== Oid.cscaMasterList) {
    throw new MrtdError(CODE, `eContentType ${signedData.eContentType} is not id-icao-cscaMasterList`);
  }
  const signerInfo = singleSignerInfo(signedData, CODE);
  const [versionNode, listNode] = expectConstructed(
    parseBer(signedData.eContent, CODE),
    'CscaMasterList',
    CODE,
  );
  const version = readSmallInt(versionNode, 'CscaMasterList.version', CODE);
  if (version !== 0) throw new MrtdError(CODE, `CscaMasterList version ${version} unknown`);
  const certificates: Certificate[] = [];
  const rejected: { index: number; code: MrtdErrorCode; message: string }[] = [];
  expectConstructed(listNode, 'certList', CODE, Tag.set).forEach((node, index) => {
    try {
      certificates.push(readCertificate(node));
    } catch (e) {
      if (!(e instanceof MrtdError)) throw e;
      rejected.push({ index, code: e.code, message: e.message });
    }
  });
  return {
    signedData,
    signerInfo,
    signer: findSignerCertificate(signerInfo, signedData.certificates),
    version,
    certificates,
    rejected,
  };
}

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
