// What to do next after each error code: the advice shown (a `next.*` text) and where the error screen's
// main button leads. Inline errors (`fix`) are shown on the form itself; the rest get the error screen.
import type { Screen } from '../journey/journey-state.ts';

export type NextText =
  | 'next.retry'
  | 'next.fix'
  | 'next.rescan'
  | 'next.otherDocument'
  | 'next.face'
  | 'next.restart'
  | 'next.later'
  | 'next.support'
  | 'next.pcode'
  | 'next.newCode'
  | 'next.serial'
  | 'next.otp'
  | 'next.otpWait'
  | 'next.otpBlocked'
  | 'next.deviceLimit'
  | 'next.deviceSession'
  // Journeys B and D (texts in locales/transfer/)
  | 'transfer.next.expired'
  | 'transfer.next.used'
  | 'transfer.next.proximity'
  | 'transfer.next.handoff'
  | 'transfer.next.limit'
  | 'transfer.next.signature'
  | 'approve.next.notSeen'
  | 'approve.next.state'
  | 'approve.next.locked'
  | 'approve.next.pinWrong'
  | 'approve.next.webauthn';

/** `same`: back to the screen that failed; a screen name: that screen; `restart`: a new activation. */
export type Recovery = 'same' | 'restart' | Screen;

export interface Advice {
  readonly next: NextText;
  readonly recovery: Recovery;
  /** Shown on the form that failed instead of on the error screen. */
  readonly inline?: boolean;
}

const fix: Advice = { next: 'next.fix', recovery: 'same', inline: true };
const retry: Advice = { next: 'next.retry', recovery: 'same' };
const later: Advice = { next: 'next.later', recovery: 'same' };
const restart: Advice = { next: 'next.restart', recovery: 'restart' };
const otherDocument: Advice = { next: 'next.otherDocument', recovery: 'restart' };
const support: Advice = { next: 'next.support', recovery: 'restart' };
const face: Advice = { next: 'next.face', recovery: 'face' };
const pcode: Advice = { next: 'next.pcode', recovery: 'restart' };

export const ERROR_ADVICE: Readonly<Record<string, Advice>> = {
  // The app and the network
  ERR_NETWORK: retry,
  ERR_HTTP: retry,
  ERR_APP: support,
  // The server's own codes (packages/server/src/errors.ts)
  ERR_VALIDATION: fix,
  ERR_BAD_JSON: support,
  ERR_UNSUPPORTED_MEDIA_TYPE: support,
  ERR_PAYLOAD_TOO_LARGE: retry,
  ERR_NOT_FOUND: restart,
  ERR_RATE_LIMITED: later,
  ERR_CONFLICT: retry,
  ERR_USER_ID_TAKEN: fix,
  ERR_TERMS_VERSION: { next: 'next.fix', recovery: 'terms' },
  ERR_COUNTRY_NOT_ACCEPTED: { next: 'next.otherDocument', recovery: 'country' },
  ERR_DOCUMENT_TYPE_NOT_ACCEPTED: { next: 'next.otherDocument', recovery: 'restart' },
  ERR_CHIP_DATA_FORMAT: { next: 'next.otherDocument', recovery: 'chip' },
  ERR_CHIP_SIGNATURE_INVALID: otherDocument,
  ERR_CHIP_UNTRUSTED_ISSUER: otherDocument,
  ERR_CHIP_CERTIFICATE_INVALID: otherDocument,
  ERR_CHIP_CERTIFICATE_REVOKED: otherDocument,
  ERR_CHIP_DATA_ALTERED: otherDocument,
  ERR_CHIP_CLONE_SUSPECTED: otherDocument,
  ERR_CHIP_UNSUPPORTED: otherDocument,
  ERR_CHIP_MRZ_MISMATCH: { next: 'next.rescan', recovery: 'mrzManual' },
  ERR_CHIP_READ: { next: 'next.rescan', recovery: 'mrzManual' },
  ERR_DOCUMENT_MISMATCH: restart,
  ERR_DOCUMENT_EXPIRED: otherDocument,
  ERR_CPR_UNKNOWN: restart,
  ERR_CPR_MISMATCH: restart,
  ERR_PCODE_MISMATCH: pcode,
  ERR_FACE_MISMATCH: face,
  ERR_LIVENESS_FAILED: face,
  ERR_NO_CAMERA: { next: 'next.support', recovery: 'same' },
  ERR_VISION_UNAVAILABLE: later,
  ERR_SMS_CODE_WRONG: fix,
  ERR_SMS_CODE_EXHAUSTED: { next: 'next.newCode', recovery: 'phone' },
  ERR_SMS_CODE_EXPIRED: { next: 'next.newCode', recovery: 'phone' },
  ERR_FLOW_NOT_FOUND: restart,
  ERR_FLOW_EXPIRED: restart,
  ERR_FLOW_STATE: restart,
  ERR_FLOW_VERSION: retry,
  ERR_STORE: later,
  ERR_CRYPTO: support,
  ERR_SMS_GATEWAY: later,
  ERR_REGISTER_UNAVAILABLE: later,
  ERR_UNAVAILABLE: later,
  ERR_DEVELOPMENT_ONLY: support,
  ERR_INTERNAL: later,
  // @tillid/core's codes (packages/core/src/errors.ts)
  ERR_INVALID_INPUT: fix,
  ERR_GONE: restart,
  ERR_LOCKED: later,
  ERR_CPR_FORMAT: fix,
  ERR_CPR_DATE: fix,
  ERR_CPR_FUTURE_DATE: fix,
  ERR_PCODE_FORMAT: fix,
  ERR_PCODE_WRONG: fix,
  ERR_PCODE_EXPIRED: pcode,
  ERR_PCODE_EXHAUSTED: pcode,
  ERR_PCODE_USED: pcode,
  ERR_TEMPORARY_PIN_FORMAT: fix,
  ERR_TEMPORARY_PIN_WRONG: fix,
  ERR_TEMPORARY_PIN_EXPIRED: { next: 'next.newCode', recovery: 'phone' },
  ERR_TEMPORARY_PIN_EXHAUSTED: { next: 'next.newCode', recovery: 'phone' },
  ERR_TEMPORARY_PIN_USED: { next: 'next.newCode', recovery: 'phone' },
  ERR_USER_ID_TOO_SHORT: fix,
  ERR_USER_ID_TOO_LONG: fix,
  ERR_USER_ID_CHARSET: fix,
  ERR_USER_ID_EDGE_SPACE: fix,
  ERR_USER_ID_CPR: fix,
  ERR_USER_ID_TEN_DIGITS: fix,
  ERR_PHONE_FORMAT: fix,
  ERR_PHONE_NOT_MOBILE: fix,
  ERR_PASSWORD_TOO_SHORT: fix,
  ERR_PASSWORD_TOO_LONG: fix,
  ERR_PASSWORD_CHARSET: fix,
  ERR_PASSWORD_CONTAINS_USER_ID: fix,
  ERR_PASSWORD_TEN_DIGITS: fix,
  ERR_PASSWORD_FORBIDDEN_WORD: fix,
  ERR_PASSWORD_KEYBOARD_SEQUENCE: fix,
  ERR_PASSWORD_MISMATCH: fix,
  // Journey C: code display and code reader (packages/server/src/tokens)
  ERR_IDENTITY_REQUIRED: { next: 'next.deviceSession', recovery: 'restart' },
  ERR_TOKEN_UNAVAILABLE: { next: 'next.serial', recovery: 'same', inline: true },
  ERR_TOKEN_NOT_FOUND: { next: 'next.serial', recovery: 'same', inline: true },
  ERR_OTP_WRONG: { next: 'next.otp', recovery: 'same', inline: true },
  ERR_OTP_REPLAYED: { next: 'next.otpWait', recovery: 'same', inline: true },
  ERR_OTP_BLOCKED: { next: 'next.otpBlocked', recovery: 'same' },
  ERR_CODE_DISPLAY_LIMIT: { next: 'next.deviceLimit', recovery: 'same' },
  ERR_ORDER_NOT_FOUND: support,
  ERR_ORDER_STATE: support,
  // Journey C: the chip (a FIDO2 security key)
  ERR_CHIP_LIMIT: { next: 'next.deviceLimit', recovery: 'same' },
  ERR_WEBAUTHN_CANCELLED: { next: 'next.retry', recovery: 'same', inline: true },
  ERR_WEBAUTHN_UNSUPPORTED: { next: 'next.support', recovery: 'same', inline: true },
  // Journeys B and D: the app authenticator (packages/server/src/app-authenticator, docs/app-authenticator.md)
  ERR_TRANSFER_EXPIRED: { next: 'transfer.next.expired', recovery: 'copyIntro' },
  ERR_TRANSFER_USED: { next: 'transfer.next.used', recovery: 'copyIntro' },
  ERR_TRANSFER_PROXIMITY: { next: 'transfer.next.proximity', recovery: 'same' },
  ERR_TRANSFER_USER_ID_WRONG: fix,
  ERR_HANDOFF_UNAVAILABLE: { next: 'transfer.next.handoff', recovery: 'restart' },
  ERR_APP_INSTANCE_LIMIT: { next: 'transfer.next.limit', recovery: 'restart' },
  ERR_APP_INSTANCE_LOCKED: { next: 'approve.next.locked', recovery: 'home' },
  ERR_APP_INSTANCE_NOT_FOUND: { next: 'approve.next.locked', recovery: 'home' },
  ERR_APP_PIN_WRONG: { next: 'approve.next.pinWrong', recovery: 'same', inline: true },
  ERR_APP_SIGNATURE_INVALID: { next: 'transfer.next.signature', recovery: 'home' },
  ERR_APP_KEY_INVALID: support,
  ERR_APPROVAL_NOT_SEEN: { next: 'approve.next.notSeen', recovery: 'home' },
  ERR_APPROVAL_STATE: { next: 'approve.next.state', recovery: 'home' },
  ERR_WEBAUTHN_INVALID: { next: 'approve.next.webauthn', recovery: 'same' },
  ERR_PIN_FORMAT: fix,
  ERR_PIN_TRIVIAL: fix,
  ERR_PIN_MISMATCH: fix,
  ERR_TEMPORARY_PIN_PHONE_RECENTLY_CHANGED: { next: 'next.later', recovery: 'restart' },
};

export function adviceFor(code: string): Advice {
  return ERROR_ADVICE[code] ?? support;
}
