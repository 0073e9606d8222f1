// The result of passive authentication: a stable, JSON-serialisable record that the server stores and the
// CLI prints. Add fields only; never rename or repurpose one (bump `version` if a change is unavoidable).

/**
 * PassiveAuthReport (version 1)
 *
 * {
 *   version: 1,
 *   ok: boolean,                 // true iff no check has status 'failed'
 *   checkedAt: string,           // ISO 8601 instant used as "now" for validity and CRL freshness
 *   checks: PassiveAuthCheck[],  // always all CHECK_IDS, in that order
 *   dataGroups: DataGroupResult[], // one per DG listed by the SOD or supplied, ascending
 *   securityObject?: { kind, eContentType, hashAlgorithm?, ldsVersion?, unicodeVersion?,
 *                      digestAlgorithm, signatureAlgorithm }   // OIDs / names, when the SOD parsed
 *   documentSigner?: CertificateSummary,   // the DSC embedded in the SOD
 *   csca?: CertificateSummary,             // the trusted CSCA certificate that verified the DSC
 *   warnings: PassiveAuthWarning[]         // accepted deviations worth recording
 * }
 *
 * A check is { id, status: 'passed' | 'failed' | 'not_applicable', code?, message }. `code` is set only
 * when status is 'failed'. 'not_applicable' means the check could not or need not run (an earlier check
 * it depends on failed, no CRL is loaded for the CSCA, no data groups were supplied); it never makes
 * `ok` false by itself, so callers that need CRLs or data groups must require them in their own policy.
 */
export interface PassiveAuthReport {
  readonly version: 1;
  readonly ok: boolean;
  readonly checkedAt: string;
  readonly checks: readonly PassiveAuthCheck[];
  readonly dataGroups: readonly DataGroupResult[];
  readonly securityObject?: SecurityObjectSummary;
  readonly documentSigner?: CertificateSummary;
  readonly csca?: CertificateSummary;
  readonly warnings: readonly PassiveAuthWarning[];
}

/** The checks, in the order they run (ICAO 9303-11 §5.1 passive authentication, steps 1-3). */
export const CHECK_IDS = [
  'sod_structure',
  'signed_attributes',
  'sod_signature',
  'dsc_chain',
  'dsc_validity',
  'csca_validity',
  'dsc_revocation',
  'data_group_hashes',
] as const;

export type PassiveAuthCheckId = (typeof CHECK_IDS)[number];

export type CheckStatus = 'passed' | 'failed' | 'not_applicable';

export type PassiveAuthFailureCode =
  | 'ERR_PA_SOD_FORMAT'
  | 'ERR_PA_UNSUPPORTED_ALGORITHM'
  | 'ERR_PA_SIGNED_ATTRS_MISSING'
  | 'ERR_PA_CONTENT_TYPE'
  | 'ERR_PA_MESSAGE_DIGEST'
  | 'ERR_PA_DSC_NOT_FOUND'
  | 'ERR_PA_SOD_SIGNATURE'
  | 'ERR_PA_CSCA_NOT_FOUND'
  | 'ERR_PA_DSC_SIGNATURE'
  | 'ERR_PA_DSC_KEY_USAGE'
  | 'ERR_PA_DSC_NOT_YET_VALID'
  | 'ERR_PA_DSC_EXPIRED'
  | 'ERR_PA_CSCA_NOT_YET_VALID'
  | 'ERR_PA_CSCA_EXPIRED'
  | 'ERR_PA_CRL_SIGNATURE'
  | 'ERR_PA_CRL_NOT_CURRENT'
  | 'ERR_PA_DSC_REVOKED'
  | 'ERR_PA_DG_HASH_MISMATCH'
  | 'ERR_PA_DG_NOT_IN_SOD';

export interface PassiveAuthCheck {
  readonly id: PassiveAuthCheckId;
  readonly status: CheckStatus;
  readonly code?: PassiveAuthFailureCode;
  /** English text for logs; user interfaces translate `id`/`code` instead. */
  readonly message: string;
}

/**
 * valid: hash matches; invalid: hash differs; not_read: listed by the SOD but not supplied (not a
 * failure); not_in_sod: supplied but the SOD lists no hash for it (a failure).
 */
export type DataGroupStatus = 'valid' | 'invalid' | 'not_read' | 'not_in_sod';

export interface DataGroupResult {
  readonly dg: number;
  readonly status: DataGroupStatus;
}

export interface CertificateSummary {
  readonly subject: string;
  readonly issuer: string;
  /** Upper-case hex, leading zero octets removed. */
  readonly serialNumber: string;
  readonly notBefore: string;
  readonly notAfter: string;
  /** Upper-case hex SHA-256 of the certificate DER. */
  readonly sha256: string;
}

export interface SecurityObjectSummary {
  readonly kind: 'EF.SOD' | 'EF.CardSecurity';
  readonly eContentType: string;
  readonly hashAlgorithm?: string;
  readonly ldsVersion?: string;
  readonly unicodeVersion?: string;
  readonly digestAlgorithm: string;
  readonly signatureAlgorithm: string;
}

/**
 * econtent_type_id_data: the SOD declares id-data instead of id-icao-ldsSecurityObject (seen on CN SODs);
 * weak_hash_sha1: SHA-1 is used for data group hashes or a signature (still permitted by ICAO 9303-12);
 * signer_name_order: the SignerInfo issuer name lists the RDNs in another order than the DSC (MY).
 */
export type PassiveAuthWarning = 'econtent_type_id_data' | 'weak_hash_sha1' | 'signer_name_order';
