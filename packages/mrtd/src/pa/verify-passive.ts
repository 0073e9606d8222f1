// Passive authentication (ICAO 9303-11 §5.1): an ordered list of checks over EF.SOD (or EF.CardSecurity),
// the Document Signer, its CSCA in a caller-built TrustStore, CRLs and the data group hashes.
// - sod_structure      ICAO 9303-10 §4.6.2, RFC 5652 §5: the object parses; one SignerInfo
// - signed_attributes  RFC 5652 §5.4, §11.1-11.2: contentType = eContentType, messageDigest = H(eContent)
// - sod_signature      ICAO 9303-11 §5.1 step 1, RFC 5652 §5.6: the DSC named by the SignerInfo signed it
// - dsc_chain          ICAO 9303-11 §5.1 step 2, RFC 5280 §6.1.3: a trusted CSCA (name, AKI/SKI) verifies the DSC
// - dsc_validity, csca_validity  RFC 5280 §4.1.2.5 at `now` (see VALIDITY below)
// - dsc_revocation     RFC 5280 §6.3 with the CSCA's CRL: signature, thisUpdate <= now <= nextUpdate, serial
// - data_group_hashes  ICAO 9303-11 §5.1 step 3: every supplied DG hashes to the SOD's value
//
// VALIDITY: both certificates are checked at verification time ("shell model", RFC 5280 §6.1.3 (a)(2)).
// ICAO 9303-12 §5 sets a DSC's validity to its key usage period plus the validity of the documents it
// signs, and a CSCA's to cover its DSCs, so an expired DSC or CSCA means the document can no longer be
// relied on (e.g. the GB-2 fixture). The SOD carries no trusted signing time to anchor a chain model.
import { constantTimeEqual, toHex } from '../bytes.ts';
import { MrtdError } from '../errors.ts';
import { signatureScheme } from '../pki/algorithm.ts';
import { type Certificate, formatName, namesMatch, serialHex } from '../pki/certificate.ts';
import { isRevoked } from '../pki/crl.ts';
import { digest } from '../pki/digest.ts';
import { type HashAlgorithm, hashByOid, Oid } from '../pki/oids.ts';
import { verifyCertificateSignature } from '../pki/path.ts';
import type { TrustStore } from '../pki/trust-store.ts';
import { verifyCrlSignature } from '../pki/verify-crl-signature.ts';
import type {
  CertificateSummary,
  CheckStatus,
  DataGroupResult,
  PassiveAuthCheck,
  PassiveAuthCheckId,
  PassiveAuthFailureCode,
  PassiveAuthReport,
  PassiveAuthWarning,
  SecurityObjectSummary,
} from './passive-auth-report.ts';
import { CHECK_IDS } from './passive-auth-report.ts';
import type { SignedData, SignerInfo } from './signed-data.ts';
import { type CardSecurity, type LdsSecurityObject, parseCardSecurity, parseSod, type Sod } from './sod.ts';
import { checkSignedAttributes, verifySignerSignature } from './verify-signer-info.ts';

export interface VerifyPassiveOptions {
  /** EF.SOD bytes (tag 77) or an already parsed SOD. */
  readonly sod: Uint8Array | Sod;
  /** Data group number -> the whole EF contents as read from the chip (tag, length and value). */
  readonly dataGroups?: ReadonlyMap<number, Uint8Array>;
  readonly trustStore: TrustStore;
  /** The verification time (validity periods, CRL freshness); pass a fixed clock in tests. */
  readonly now: Date;
}

export interface VerifyCardSecurityOptions {
  readonly cardSecurity: Uint8Array | CardSecurity;
  readonly trustStore: TrustStore;
  readonly now: Date;
}

interface SignedObject {
  readonly kind: SecurityObjectSummary['kind'];
  readonly signedData: SignedData;
  readonly signerInfo: SignerInfo;
  readonly documentSigner: Certificate | undefined;
  readonly lds?: LdsSecurityObject;
}

type Outcome = { status: CheckStatus; code?: PassiveAuthFailureCode; message: string };

const pass = (message: string): Outcome => ({ status: 'passed', message });
const fail = (code: PassiveAuthFailureCode, message: string): Outcome => ({
  status: 'failed',
  code,
  message,
});
const na = (message: string): Outcome => ({ status: 'not_applicable', message });

/** Passive authentication of EF.SOD and the data groups read. Never throws for bad input: see the report. */
export function verifyPassive(options: VerifyPassiveOptions): PassiveAuthReport {
  return run({
    kind: 'EF.SOD',
    parse: () => {
      const sod = options.sod instanceof Uint8Array ? parseSod(options.sod) : options.sod;
      return { kind: 'EF.SOD', ...sod, lds: sod.ldsSecurityObject };
    },
    dataGroups: options.dataGroups ?? new Map(),
    trustStore: options.trustStore,
    now: options.now,
  });
}

/** The same checks for EF.CardSecurity (no data groups: its content is SecurityInfos). */
export function verifyCardSecurity(options: VerifyCardSecurityOptions): PassiveAuthReport {
  return run({
    kind: 'EF.CardSecurity',
    parse: () => {
      const cs =
        options.cardSecurity instanceof Uint8Array
          ? parseCardSecurity(options.cardSecurity)
          : options.cardSecurity;
      return { kind: 'EF.CardSecurity', ...cs };
    },
    dataGroups: new Map(),
    trustStore: options.trustStore,
    now: options.now,
  });
}

interface RunInput {
  readonly kind: SignedObject['kind'];
  readonly parse: () => SignedObject;
  readonly dataGroups: ReadonlyMap<number, Uint8Array>;
  readonly trustStore: TrustStore;
  readonly now: Date;
}

function run(input: RunInput): PassiveAuthReport {
  const results = new Map<PassiveAuthCheckId, Outcome>();
  const warnings = new Set<PassiveAuthWarning>();
  const now = input.now;
  let summary: SecurityObjectSummary | undefined;
  let dscSummary: CertificateSummary | undefined;
  let cscaSummary: CertificateSummary | undefined;
  let dataGroups: DataGroupResult[] = [];

  const obj = parseObject(input, results);
  if (obj !== undefined) {
    summary = summarise(obj);
    collectWarnings(obj, warnings);
    results.set('signed_attributes', signedAttributesOutcome(obj));
    const dsc = obj.documentSigner;
    results.set('sod_signature', signatureOutcome(obj));
    if (dsc !== undefined) {
      dscSummary = certificateSummary(dsc);
      results.set('dsc_validity', validityOutcome(dsc, now, 'DSC'));
      const chain = findCsca(dsc, input.trustStore, now);
      results.set('dsc_chain', chain.outcome);
      if (chain.csca !== undefined) {
        cscaSummary = certificateSummary(chain.csca);
        results.set('csca_validity', validityOutcome(chain.csca, now, 'CSCA'));
        results.set('dsc_revocation', revocationOutcome(dsc, chain.csca, input.trustStore, now));
      }
    }
    if (obj.lds !== undefined) {
      const dg = dataGroupOutcome(obj.lds, input.dataGroups);
      dataGroups = dg.results;
      results.set('data_group_hashes', dg.outcome);
    } else {
      results.set('data_group_hashes', na(`${obj.kind} carries no data group hashes`));
    }
  }

  const checks: PassiveAuthCheck[] = CHECK_IDS.map((id) => {
    const o =
      results.get(id) ?? na(obj === undefined ? 'security object did not parse' : 'no DSC or CSCA to check');
    return { id, status: o.status, ...(o.code === undefined ? {} : { code: o.code }), message: o.message };
  });
  return {
    version: 1,
    ok: checks.every((c) => c.status !== 'failed'),
    checkedAt: now.toISOString(),
    checks,
    dataGroups,
    ...(summary === undefined ? {} : { securityObject: summary }),
    ...(dscSummary === undefined ? {} : { documentSigner: dscSummary }),
    ...(cscaSummary === undefined ? {} : { csca: cscaSummary }),
    warnings: [...warnings].sort(),
  };
}

function parseObject(input: RunInput, results: Map<PassiveAuthCheckId, Outcome>): SignedObject | undefined {
  try {
    const obj = input.parse();
    results.set('sod_structure', pass(`${obj.kind} parsed`));
    return obj;
  } catch (e) {
    if (!(e instanceof MrtdError)) throw e;
    const code = e.code === 'ERR_CRYPTO_UNSUPPORTED' ? 'ERR_PA_UNSUPPORTED_ALGORITHM' : 'ERR_PA_SOD_FORMAT';
    results.set('sod_structure', fail(code, `${input.kind}: ${e.message}`));
    return undefined;
  }
}

function signedAttributesOutcome(obj: SignedObject): Outcome {
  const r = checkSignedAttributes(obj.signedData, obj.signerInfo);
  if (r.ok) return pass('contentType and messageDigest match');
  const code: Record<typeof r.reason, PassiveAuthFailureCode> = {
    missing: 'ERR_PA_SIGNED_ATTRS_MISSING',
    content_type: 'ERR_PA_CONTENT_TYPE',
    message_digest: 'ERR_PA_MESSAGE_DIGEST',
    unsupported_digest: 'ERR_PA_UNSUPPORTED_ALGORITHM',
  };
  return fail(code[r.reason], r.message);
}

function signatureOutcome(obj: SignedObject): Outcome {
  const dsc = obj.documentSigner;
  if (dsc === undefined)
    return fail('ERR_PA_DSC_NOT_FOUND', 'the SOD holds no certificate matching its SignerInfo');
  try {
    return verifySignerSignature(obj.signedData, obj.signerInfo, dsc)
      ? pass('SignerInfo signature verifies with the DSC')
      : fail('ERR_PA_SOD_SIGNATURE', 'SignerInfo signature does not verify with the DSC');
  } catch (e) {
    if (!(e instanceof MrtdError)) throw e;
    return fail('ERR_PA_UNSUPPORTED_ALGORITHM', e.message);
  }
}

function validAt(cert: Certificate, now: Date): boolean {
  return cert.notBefore.getTime() <= now.getTime() && now.getTime() <= cert.notAfter.getTime();
}

function validityOutcome(cert: Certificate, now: Date, what: 'DSC' | 'CSCA'): Outcome {
  const range = `${cert.notBefore.toISOString()} .. ${cert.notAfter.toISOString()}`;
  if (now.getTime() < cert.notBefore.getTime()) {
    return fail(
      what === 'DSC' ? 'ERR_PA_DSC_NOT_YET_VALID' : 'ERR_PA_CSCA_NOT_YET_VALID',
      `${what} not yet valid (${range})`,
    );
  }
  if (now.getTime() > cert.notAfter.getTime()) {
    return fail(what === 'DSC' ? 'ERR_PA_DSC_EXPIRED' : 'ERR_PA_CSCA_EXPIRED', `${what} expired (${range})`);
  }
  return pass(`${what} valid (${range})`);
}

/**
 * The trusted CSCA certificate whose key verifies the DSC. Self-signed CSCAs and link certificates of
 * the same key are all trust anchors here (as listed in master lists); a self-signed one valid at `now`
 * is preferred, then any valid at `now`.
 */
function findCsca(dsc: Certificate, store: TrustStore, now: Date): { outcome: Outcome; csca?: Certificate } {
  const candidates = store.issuerCandidates(dsc);
  if (candidates.length === 0) {
    return { outcome: fail('ERR_PA_CSCA_NOT_FOUND', `no trusted CSCA named ${formatName(dsc.issuer)}`) };
  }
  const verified = candidates.filter((c) => verifyCertificateSignature(dsc, c));
  const selfSigned = (c: Certificate): boolean => namesMatch(c.subject, c.issuer);
  const csca =
    verified.find((c) => validAt(c, now) && selfSigned(c)) ??
    verified.find((c) => validAt(c, now)) ??
    verified[0];
  if (csca === undefined) {
    return { outcome: fail('ERR_PA_DSC_SIGNATURE', 'no trusted CSCA key verifies the DSC signature') };
  }
  // RFC 5280 §4.2.1.3: when present, key usage must allow the use made of the key.
  if (csca.keyUsage !== undefined && csca.keyUsage[5] !== true) {
    return { outcome: fail('ERR_PA_DSC_SIGNATURE', 'CSCA key usage lacks keyCertSign'), csca };
  }
  if (dsc.keyUsage !== undefined && dsc.keyUsage[0] !== true) {
    return { outcome: fail('ERR_PA_DSC_KEY_USAGE', 'DSC key usage lacks digitalSignature'), csca };
  }
  return { outcome: pass(`DSC issued by CSCA serial ${serialHex(csca)}`), csca };
}

function revocationOutcome(dsc: Certificate, csca: Certificate, store: TrustStore, now: Date): Outcome {
  const crls = store.crlsFor(csca);
  if (crls.length === 0) return na('no CRL loaded for this CSCA');
  // Only CRLs the CSCA key signed count; of those the newest decides (RFC 5280 §6.3.3).
  const signed = crls.filter((crl) => {
    try {
      return verifyCrlSignature(crl, csca);
    } catch (e) {
      if (e instanceof MrtdError) return false;
      throw e;
    }
  });
  const newest = [...signed].sort((a, b) => b.thisUpdate.getTime() - a.thisUpdate.getTime())[0];
  if (newest === undefined) return fail('ERR_PA_CRL_SIGNATURE', 'no CRL for this CSCA has a valid signature');
  const revoked = isRevoked(newest, dsc.serialNumber);
  if (revoked !== undefined) {
    return fail('ERR_PA_DSC_REVOKED', `DSC revoked on ${revoked.revocationDate.toISOString()}`);
  }
  if (newest.thisUpdate.getTime() > now.getTime())
    return fail('ERR_PA_CRL_NOT_CURRENT', 'CRL issued in the future');
  if (newest.nextUpdate !== undefined && newest.nextUpdate.getTime() < now.getTime()) {
    return fail('ERR_PA_CRL_NOT_CURRENT', `CRL expired (nextUpdate ${newest.nextUpdate.toISOString()})`);
  }
  return pass(`DSC not on the CRL of ${newest.thisUpdate.toISOString()}`);
}

function dataGroupOutcome(
  lds: LdsSecurityObject,
  supplied: ReadonlyMap<number, Uint8Array>,
): { outcome: Outcome; results: DataGroupResult[] } {
  const numbers = [...new Set([...lds.dataGroupHashes.keys(), ...supplied.keys()])].sort((a, b) => a - b);
  const results: DataGroupResult[] = numbers.map((dg) => {
    const expected = lds.dataGroupHashes.get(dg);
    const bytes = supplied.get(dg);
    if (bytes === undefined) return { dg, status: 'not_read' };
    if (expected === undefined) return { dg, status: 'not_in_sod' };
    return {
      dg,
      status: constantTimeEqual(digest(lds.hashAlgorithm, bytes), expected) ? 'valid' : 'invalid',
    };
  });
  const bad = (s: DataGroupResult['status']): string =>
    results
      .filter((r) => r.status === s)
      .map((r) => `DG${r.dg}`)
      .join(', ');
  if (results.some((r) => r.status === 'invalid')) {
    return { outcome: fail('ERR_PA_DG_HASH_MISMATCH', `hash mismatch: ${bad('invalid')}`), results };
  }
  if (results.some((r) => r.status === 'not_in_sod')) {
    return { outcome: fail('ERR_PA_DG_NOT_IN_SOD', `not listed in the SOD: ${bad('not_in_sod')}`), results };
  }
  if (!results.some((r) => r.status === 'valid')) return { outcome: na('no data groups supplied'), results };
  return { outcome: pass(`hashes match: ${bad('valid')}`), results };
}

function certificateSummary(cert: Certificate): CertificateSummary {
  return {
    subject: formatName(cert.subject),
    issuer: formatName(cert.issuer),
    serialNumber: serialHex(cert),
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
    sha256: toHex(digest('sha256', cert.der)),
  };
}

function summarise(obj: SignedObject): SecurityObjectSummary {
  return {
    kind: obj.kind,
    eContentType: obj.signedData.eContentType,
    ...(obj.lds === undefined ? {} : { hashAlgorithm: obj.lds.hashAlgorithm }),
    ...(obj.lds?.ldsVersion === undefined ? {} : { ldsVersion: obj.lds.ldsVersion }),
    ...(obj.lds?.unicodeVersion === undefined ? {} : { unicodeVersion: obj.lds.unicodeVersion }),
    digestAlgorithm: obj.signerInfo.digestAlgorithm.oid,
    signatureAlgorithm: obj.signerInfo.signatureAlgorithm.oid,
  };
}

function collectWarnings(obj: SignedObject, warnings: Set<PassiveAuthWarning>): void {
  if (obj.kind === 'EF.SOD' && obj.signedData.eContentType === Oid.data)
    warnings.add('econtent_type_id_data');
  const hashes: HashAlgorithm[] = [];
  if (obj.lds !== undefined) hashes.push(obj.lds.hashAlgorithm);
  try {
    const h = hashByOid(obj.signerInfo.digestAlgorithm.oid);
    hashes.push(h, signatureScheme(obj.signerInfo.signatureAlgorithm, h).hash);
  } catch {
    // Unsupported algorithms are reported by the checks themselves.
  }
  if (hashes.includes('sha1')) warnings.add('weak_hash_sha1');
  const sid = obj.signerInfo.sid;
  const dsc = obj.documentSigner;
  if (
    sid.kind === 'issuerAndSerialNumber' &&
    dsc !== undefined &&
    !constantTimeEqual(sid.issuer.der, dsc.issuer.der)
  ) {
    warnings.add('signer_name_order');
  }
}
