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
