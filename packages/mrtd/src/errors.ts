// The one error class of @tillid/mrtd. Every failure the library reports carries a stable
// `code` from the closed union below, so callers branch on codes, never on message text.

export type MrtdErrorCode =
  // MRZ (Doc 9303 parts 3-5)
  | 'ERR_MRZ_FORMAT'
  | 'ERR_MRZ_CHARSET'
  | 'ERR_MRZ_CHECK_DIGIT'
  | 'ERR_MRZ_FIELD'
  // TLV / ASN.1 structure
  | 'ERR_TLV_TRUNCATED'
  | 'ERR_TLV_LENGTH'
  | 'ERR_TLV_TAG'
  | 'ERR_TLV_UNEXPECTED'
  // APDU and card I/O
  | 'ERR_APDU_FORMAT'
  | 'ERR_CARD_STATUS'
  | 'ERR_TRANSPORT'
  | 'ERR_NO_READER'
  | 'ERR_NO_CARD'
  | 'ERR_PCSCD_NOT_RUNNING'
  // Access control and secure messaging (Doc 9303-11)
  | 'ERR_BAC_FAILED'
  | 'ERR_PACE_FAILED'
  | 'ERR_PACE_UNSUPPORTED'
  | 'ERR_SM_MAC'
  | 'ERR_SM_FORMAT'
  | 'ERR_SM_PADDING'
  | 'ERR_CA_FAILED'
  | 'ERR_AA_FAILED'
  | 'ERR_CRYPTO_UNSUPPORTED'
  // LDS files
  | 'ERR_LDS_FORMAT'
  | 'ERR_LDS_UNSUPPORTED'
  | 'ERR_LDS_FILE_NOT_FOUND'
  | 'ERR_BIOMETRIC_FORMAT'
  // Passive authentication and PKI
  | 'ERR_CMS_FORMAT'
  | 'ERR_CMS_UNSUPPORTED'
  | 'ERR_CERT_FORMAT'
  | 'ERR_MASTERLIST_FORMAT'
  | 'ERR_SIGNATURE_INVALID'
  | 'ERR_UNKNOWN_CURVE'
  | 'ERR_CRL_FORMAT'
  | 'ERR_TRUST_ANCHOR'
  // Virtual chip / test documents
  | 'ERR_TEST_DOCUMENT'
  | 'ERR_USAGE';

export class MrtdError extends Error {
  override readonly name = 'MrtdError';
  readonly code: MrtdErrorCode;
  /** Extra machine-readable facts (field name, position, status word, ...). */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(
    code: MrtdErrorCode,
    message: string,
    options?: { details?: Record<string, unknown>; cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options?.details;
  }
}

export function isMrtdError(e: unknown): e is MrtdError {
  return e instanceof MrtdError;
}
