// The one error class of @tillid/server. `code` is stable and closed; `status` is the HTTP answer;
// `messageId` is what clients translate; `expose` says whether `message` may be shown to a user.

export type ServerErrorCode =
  | 'ERR_CONFIG'
  | 'ERR_UNSAFE_PRODUCTION_CONFIG'
  | 'ERR_BAD_JSON'
  | 'ERR_VALIDATION'
  | 'ERR_NOT_FOUND'
  | 'ERR_METHOD_NOT_ALLOWED'
  | 'ERR_PAYLOAD_TOO_LARGE'
  | 'ERR_UNSUPPORTED_MEDIA_TYPE'
  | 'ERR_RATE_LIMITED'
  | 'ERR_CONFLICT'
  | 'ERR_USER_ID_TAKEN'
  | 'ERR_TERMS_VERSION'
  | 'ERR_COUNTRY_NOT_ACCEPTED'
  | 'ERR_DOCUMENT_TYPE_NOT_ACCEPTED'
  | 'ERR_CHIP_DATA_FORMAT'
  | 'ERR_CHIP_SIGNATURE_INVALID'
  | 'ERR_CHIP_UNTRUSTED_ISSUER'
  | 'ERR_CHIP_CERTIFICATE_INVALID'
  | 'ERR_CHIP_CERTIFICATE_REVOKED'
  | 'ERR_CHIP_DATA_ALTERED'
  | 'ERR_CHIP_CLONE_SUSPECTED'
  | 'ERR_CHIP_UNSUPPORTED'
  | 'ERR_CHIP_MRZ_MISMATCH'
  | 'ERR_DOCUMENT_MISMATCH'
  | 'ERR_DOCUMENT_EXPIRED'
  | 'ERR_CPR_UNKNOWN'
  | 'ERR_CPR_MISMATCH'
  | 'ERR_PCODE_MISMATCH'
  | 'ERR_FACE_MISMATCH'
  | 'ERR_LIVENESS_FAILED'
  | 'ERR_VISION_UNAVAILABLE'
  | 'ERR_SMS_CODE_WRONG'
  | 'ERR_SMS_CODE_EXHAUSTED'
  | 'ERR_SMS_CODE_EXPIRED'
  | 'ERR_FLOW_NOT_FOUND'
  | 'ERR_FLOW_EXPIRED'
  | 'ERR_FLOW_STATE'
  | 'ERR_FLOW_VERSION'
  | 'ERR_AUDIT_CHAIN_BROKEN'
  | 'ERR_STORE'
  | 'ERR_CRYPTO'
  | 'ERR_SMS_GATEWAY'
  | 'ERR_REGISTER_UNAVAILABLE'
  | 'ERR_UNAVAILABLE'
  | 'ERR_PSKC_INVALID'
  | 'ERR_PSKC_UNSUPPORTED'
  | 'ERR_PSKC_KEY_REQUIRED'
  | 'ERR_PSKC_DECRYPT'
  | 'ERR_PSKC_MAC_INVALID'
  | 'ERR_TOKEN_NOT_TOTP'
  | 'ERR_TOKEN_SERIAL_CONFLICT'
  | 'ERR_TOKEN_NOT_FOUND'
  | 'ERR_TOKEN_UNAVAILABLE'
  | 'ERR_OTP_WRONG'
  | 'ERR_OTP_REPLAYED'
  | 'ERR_OTP_BLOCKED'
  | 'ERR_CODE_DISPLAY_LIMIT'
  | 'ERR_ORDER_NOT_FOUND'
  | 'ERR_ORDER_STATE'
  | 'ERR_IDENTITY_REQUIRED'
  | 'ERR_OIDC_CLIENT_INVALID'
  | 'ERR_OIDC_SIGNING_KEY'
  | 'ERR_LOGIN_BINDING'
  | 'ERR_LOGIN_FAILED'
  | 'ERR_LOGIN_METHOD_UNKNOWN'
  | 'ERR_LOGIN_USER_ID_INVALID'
  | 'ERR_DEVELOPMENT_ONLY'
  | 'ERR_APP_INSTANCE_LIMIT'
  | 'ERR_APP_INSTANCE_LOCKED'
  | 'ERR_APP_INSTANCE_NOT_FOUND'
  | 'ERR_APP_PIN_WRONG'
  | 'ERR_APP_SIGNATURE_INVALID'
  | 'ERR_APP_KEY_INVALID'
  | 'ERR_TRANSFER_EXPIRED'
  | 'ERR_TRANSFER_USED'
  | 'ERR_TRANSFER_PROXIMITY'
  | 'ERR_TRANSFER_USER_ID_WRONG'
  | 'ERR_HANDOFF_UNAVAILABLE'
  | 'ERR_APPROVAL_NOT_SEEN'
  | 'ERR_APPROVAL_STATE'
  | 'ERR_WEBAUTHN_INVALID'
  | 'ERR_CHIP_LIMIT'
  | 'ERR_INTERNAL';

export class ServerError extends Error {
  override readonly name = 'ServerError';
  readonly code: ServerErrorCode;
  readonly status: number;
  readonly messageId: string;
  readonly expose: boolean;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(
    code: ServerErrorCode,
    message: string,
    options: {
      status?: number;
      messageId?: string;
      expose?: boolean;
      details?: Record<string, unknown>;
      cause?: unknown;
    } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status ?? 500;
    this.messageId = options.messageId ?? `error.${code}`;
    this.expose = options.expose ?? this.status < 500;
    this.details = options.details;
  }
}

export function isServerError(e: unknown): e is ServerError {
  return e instanceof ServerError;
}
