// The one error class of @tillid/vision. Every failure carries a stable `code` from the closed
// union below, so callers (and the UI message catalog) branch on codes, never on message text.

export type VisionErrorCode =
  // images
  | 'ERR_IMAGE_FORMAT'
  | 'ERR_IMAGE_TOO_LARGE'
  // face capture quality
  | 'ERR_FACE_NONE'
  | 'ERR_FACE_MULTIPLE'
  | 'ERR_FACE_TOO_SMALL'
  | 'ERR_FACE_TOO_DARK'
  | 'ERR_EYES_CLOSED'
  | 'ERR_LOOKING_AWAY'
  // liveness
  | 'ERR_LIVENESS_CHALLENGE'
  | 'ERR_LIVENESS_TOO_FEW_FRAMES'
  | 'ERR_LIVENESS_EXPIRED'
  | 'ERR_LIVENESS_TIMESTAMPS'
  | 'ERR_LIVENESS_SEQUENCE'
  | 'ERR_LIVENESS_FACE_CHANGED'
  | 'ERR_LIVENESS_NOT_MATCHING'
  | 'ERR_LIVENESS_SPOOF'
  // documents and codes
  | 'ERR_MRZ_NOT_FOUND'
  | 'ERR_QR_NOT_FOUND'
  // engine
  | 'ERR_BUSY'
  | 'ERR_ENGINE_INIT'
  | 'ERR_ENGINE_FAILED'
  | 'ERR_ENGINE_CLOSED'
  | 'ERR_USAGE';

/** HTTP status a server should answer with; capture problems are the client's to fix. */
const STATUS: Record<VisionErrorCode, number> = {
  ERR_IMAGE_FORMAT: 400,
  ERR_IMAGE_TOO_LARGE: 413,
  ERR_FACE_NONE: 422,
  ERR_FACE_MULTIPLE: 422,
  ERR_FACE_TOO_SMALL: 422,
  ERR_FACE_TOO_DARK: 422,
  ERR_EYES_CLOSED: 422,
  ERR_LOOKING_AWAY: 422,
  ERR_LIVENESS_CHALLENGE: 400,
  ERR_LIVENESS_TOO_FEW_FRAMES: 422,
  ERR_LIVENESS_EXPIRED: 422,
  ERR_LIVENESS_TIMESTAMPS: 422,
  ERR_LIVENESS_SEQUENCE: 422,
  ERR_LIVENESS_FACE_CHANGED: 422,
  ERR_LIVENESS_NOT_MATCHING: 422,
  ERR_LIVENESS_SPOOF: 422,
  ERR_MRZ_NOT_FOUND: 422,
  ERR_QR_NOT_FOUND: 422,
  ERR_BUSY: 503,
  ERR_ENGINE_INIT: 500,
  ERR_ENGINE_FAILED: 503,
  ERR_ENGINE_CLOSED: 503,
  ERR_USAGE: 500,
};

export class VisionError extends Error {
  override readonly name = 'VisionError';
  readonly code: VisionErrorCode;
  readonly status: number;
  /** Extra machine-readable facts (face count, measured brightness, step index, ...). */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(
    code: VisionErrorCode,
    message: string,
    options?: { details?: Record<string, unknown>; cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = STATUS[code];
    this.details = options?.details;
  }
}

export function isVisionError(value: unknown, code?: VisionErrorCode): value is VisionError {
  return value instanceof VisionError && (code === undefined || value.code === code);
}
