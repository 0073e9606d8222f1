// ICAO CSCA master lists (ICAO 9303-12 §8): CMS SignedData over CscaMasterList, parsed. Before any CSCA
// is used, verify-master-list.ts (Node only) checks the list's signature and its signer's chain.

import { expectConstructed, parseBer, readSmallInt, Tag } from '../asn1/der.ts';
import { MrtdError, type MrtdErrorCode } from '../errors.ts';
import {
  findSignerCertificate,
  parseSignedData,
  type SignedData,
  type SignerInfo,
  singleSignerInfo,
} from '../pa/signed-data.ts';
import { type Certificate, readCertificate } from './certificate.ts';
import { Oid } from './oids.ts';

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
