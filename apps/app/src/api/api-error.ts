// The one error type of the app's API calls: the server's typed answer `{ error: { code, messageId } }`,
// or ERR_NETWORK when the server could not be reached after the retries.

export interface ApiErrorShape {
  readonly code: string;
  readonly messageId: string;
  readonly status: number;
  readonly requestId?: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: string;
  readonly messageId: string;
  readonly status: number;
  readonly requestId: string | undefined;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(shape: ApiErrorShape, message = shape.code) {
    super(message);
    this.code = shape.code;
    this.messageId = shape.messageId;
    this.status = shape.status;
    this.requestId = shape.requestId;
    this.details = shape.details;
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

/** Any thrown value as an ApiError (a bug in the app shows as ERR_APP, never as a blank screen). */
export function toApiError(e: unknown): ApiError {
  if (isApiError(e)) return e;
  return new ApiError({ code: 'ERR_APP', messageId: 'error.unknown', status: 0 }, String(e));
}
