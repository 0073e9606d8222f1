// What the login pages say about an error: the server's message ID translated (login texts first), and
// whether the login can go on on this page or must start again from the service.
import type { TFunction } from 'i18next';
import type { ApiError } from '../api/api-error.ts';

/** Errors after which this page cannot continue: the login is another browser's, gone, or over. */
const FATAL = new Set([
  'ERR_LOGIN_BINDING',
  'ERR_FLOW_NOT_FOUND',
  'ERR_FLOW_EXPIRED',
  'ERR_FLOW_STATE',
  'ERR_NOT_FOUND',
]);

export function isFatal(error: ApiError): boolean {
  return FATAL.has(error.code);
}

/** The text key for an error, always one that exists. */
export function loginErrorKey(error: ApiError, exists: (key: string) => boolean): string {
  if (error.code === 'ERR_NETWORK' || error.code === 'ERR_HTTP') return 'login.error.network';
  if (error.code === 'ERR_WEBAUTHN_CANCELLED') return 'login.chip.cancelled';
  if (error.code === 'ERR_WEBAUTHN_UNSUPPORTED') return 'login.chip.unsupported';
  if (error.messageId.startsWith('login.') && exists(error.messageId)) return error.messageId;
  if (error.code === 'ERR_FLOW_NOT_FOUND' || error.code === 'ERR_FLOW_EXPIRED') return 'login.error.expired';
  if (error.code === 'ERR_RATE_LIMITED') return 'login.rateLimited';
  if (error.code === 'ERR_FLOW_STATE' || error.code === 'ERR_NOT_FOUND') return 'login.error.expired';
  return exists(error.messageId) ? error.messageId : 'login.error.generic';
}

export function loginErrorText(t: TFunction, exists: (key: string) => boolean, error: ApiError): string {
  return t(loginErrorKey(error, exists));
}
