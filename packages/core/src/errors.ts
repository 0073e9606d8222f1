// The one error class of @tillid/core and the single table of its error codes. Each code carries
// its HTTP status, whether its message may be shown to the user, and the message ID the UIs translate.

/**
 * One row per code; nothing else may map codes to statuses or message IDs.
 * `expose: false` means the UI shows a generic message and the details stay in the logs.
 */
const CORE_ERRORS = {
  // Generic (used by flows and adapters built on core)
  ERR_INVALID_INPUT: { status: 400, expose: true, messageId: 'error.input.invalid' },
  ERR_NOT_FOUND: { status: 404, expose: true, messageId: 'error.notFound' },
  ERR_CONFLICT: { status: 409, expose: true, messageId: 'error.conflict' },
  ERR_GONE: { status: 410, expose: true, messageId: 'error.gone' },
  ERR_LOCKED: { status: 423, expose: true, messageId: 'error.locked' },
  ERR_RATE_LIMITED: { status: 429, expose: true, messageId: 'error.rateLimited' },
  ERR_INTERNAL: { status: 500, expose: false, messageId: 'error.internal' },
  // CPR number
  ERR_CPR_FORMAT: { status: 422, expose: true, messageId: 'error.cpr.format' },
  ERR_CPR_DATE: { status: 422, expose: true, messageId: 'error.cpr.invalidDate' },
  ERR_CPR_FUTURE_DATE: { status: 422, expose: true, messageId: 'error.cpr.futureDate' },
  // P-code
  ERR_PCODE_FORMAT: { status: 422, expose: true, messageId: 'error.pcode.format' },
  ERR_PCODE_WRONG: { status: 422, expose: true, messageId: 'error.pcode.wrong' },
  ERR_PCODE_EXPIRED: { status: 410, expose: true, messageId: 'error.pcode.expired' },
  ERR_PCODE_EXHAUSTED: { status: 423, expose: true, messageId: 'error.pcode.exhausted' },
  ERR_PCODE_USED: { status: 410, expose: true, messageId: 'error.pcode.used' },
  // Temporary PIN (SMS)
  ERR_TEMPORARY_PIN_FORMAT: { status: 422, expose: true, messageId: 'error.temporaryPin.format' },
  ERR_TEMPORARY_PIN_WRONG: { status: 422, expose: true, messageId: 'error.temporaryPin.wrong' },
  ERR_TEMPORARY_PIN_EXPIRED: { status: 410, expose: true, messageId: 'error.temporaryPin.expired' },
  ERR_TEMPORARY_PIN_EXHAUSTED: { status: 423, expose: true, messageId: 'error.temporaryPin.exhausted' },
  ERR_TEMPORARY_PIN_USED: { status: 410, expose: true, messageId: 'error.temporaryPin.used' },
  ERR_TEMPORARY_PIN_PHONE_RECENTLY_CHANGED: {
    status: 409,
    expose: true,
    messageId: 'error.temporaryPin.phoneRecentlyChanged',
  },
  // Activation code
  ERR_ACTIVATION_CODE_WRONG: { status: 422, expose: true, messageId: 'error.activationCode.wrong' },
  ERR_ACTIVATION_CODE_EXPIRED: { status: 410, expose: true, messageId: 'error.activationCode.expired' },
  ERR_ACTIVATION_CODE_BLOCKED: { status: 423, expose: true, messageId: 'error.activationCode.blocked' },
  ERR_ACTIVATION_CODE_USED: { status: 410, expose: true, messageId: 'error.activationCode.used' },
  // User-ID
  ERR_USER_ID_TOO_SHORT: { status: 422, expose: true, messageId: 'error.userId.tooShort' },
  ERR_USER_ID_TOO_LONG: { status: 422, expose: true, messageId: 'error.userId.tooLong' },
  ERR_USER_ID_CHARSET: { status: 422, expose: true, messageId: 'error.userId.invalidCharacters' },
  ERR_USER_ID_EDGE_SPACE: { status: 422, expose: true, messageId: 'error.userId.edgeSpace' },
  ERR_USER_ID_CPR: { status: 422, expose: true, messageId: 'error.userId.isCpr' },
  ERR_USER_ID_TEN_DIGITS: { status: 422, expose: true, messageId: 'error.userId.tenDigits' },
  // App PIN
  ERR_PIN_FORMAT: { status: 422, expose: true, messageId: 'error.pin.format' },
  ERR_PIN_TRIVIAL: { status: 422, expose: true, messageId: 'error.pin.trivial' },
  ERR_PIN_MISMATCH: { status: 422, expose: true, messageId: 'error.pin.mismatch' },
  // Password
  ERR_PASSWORD_TOO_SHORT: { status: 422, expose: true, messageId: 'error.password.tooShort' },
  ERR_PASSWORD_TOO_LONG: { status: 422, expose: true, messageId: 'error.password.tooLong' },
  ERR_PASSWORD_CHARSET: { status: 422, expose: true, messageId: 'error.password.invalidCharacters' },
  ERR_PASSWORD_CONTAINS_USER_ID: { status: 422, expose: true, messageId: 'error.password.containsUserId' },
  ERR_PASSWORD_TEN_DIGITS: { status: 422, expose: true, messageId: 'error.password.tenDigits' },
  ERR_PASSWORD_FORBIDDEN_WORD: { status: 422, expose: true, messageId: 'error.password.forbiddenWord' },
  ERR_PASSWORD_KEYBOARD_SEQUENCE: {
    status: 422,
    expose: true,
    messageId: 'error.password.keyboardSequence',
  },
  ERR_PASSWORD_MISMATCH: { status: 422, expose: true, messageId: 'error.password.mismatch' },
  // Mobile number
  ERR_PHONE_FORMAT: { status: 422, expose: true, messageId: 'error.phone.format' },
  ERR_PHONE_NOT_MOBILE: { status: 422, expose: true, messageId: 'error.phone.notMobile' },
} as const satisfies Record<string, { status: number; expose: boolean; messageId: string }>;

export type CoreErrorCode = keyof typeof CORE_ERRORS;
export type CoreMessageId = (typeof CORE_ERRORS)[CoreErrorCode]['messageId'];

export interface CoreErrorSpec {
  readonly status: number;
  readonly expose: boolean;
  readonly messageId: CoreMessageId;
}

/** Status, exposure and message ID of a code (the one table above). */
export function coreErrorSpec(code: CoreErrorCode): CoreErrorSpec {
  return CORE_ERRORS[code];
}

/** Every code, for tests and documentation generators. */
export const CORE_ERROR_CODES: readonly CoreErrorCode[] = Object.freeze(
  Object.keys(CORE_ERRORS) as CoreErrorCode[],
);

export class CoreError extends Error {
  override readonly name = 'CoreError';
  readonly code: CoreErrorCode;
  readonly status: number;
  /** Whether `message` and `messageId` may be shown to the end user. */
  readonly expose: boolean;
  readonly messageId: CoreMessageId;
  /** Extra machine-readable facts (attempts left, offending characters, ...). */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(
    code: CoreErrorCode,
    message?: string,
    options?: { details?: Readonly<Record<string, unknown>>; cause?: unknown },
  ) {
    const spec = CORE_ERRORS[code];
    super(message ?? spec.messageId, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = spec.status;
    this.expose = spec.expose;
    this.messageId = spec.messageId;
    this.details = options?.details;
  }
}

export function isCoreError(e: unknown): e is CoreError {
  return e instanceof CoreError;
}
