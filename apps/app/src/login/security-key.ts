// FIDO2 security keys in the browser (W3C WebAuthn §5.1.3 create, §5.1.4 get) through
// @simplewebauthn/browser, loaded only when a key is used so the first load stays small.
import { ApiError } from '../api/api-error.ts';

/** Why the browser gave no key response: not supported here, or cancelled / not touched in time. */
export type SecurityKeyFailure = 'unsupported' | 'cancelled';

export function securityKeyError(reason: SecurityKeyFailure): ApiError {
  return new ApiError({
    code: reason === 'unsupported' ? 'ERR_WEBAUTHN_UNSUPPORTED' : 'ERR_WEBAUTHN_CANCELLED',
    messageId: reason === 'unsupported' ? 'webauthn.unsupported' : 'webauthn.cancelled',
    status: 0,
  });
}

async function library() {
  const lib = await import('@simplewebauthn/browser');
  if (!lib.browserSupportsWebAuthn()) throw securityKeyError('unsupported');
  return lib;
}

/** An assertion for the server's options (`generateAuthenticationOptions` JSON). */
export async function securityKeyAssertion(options: unknown): Promise<unknown> {
  const lib = await library();
  try {
    return await lib.startAuthentication({
      optionsJSON: options as Parameters<typeof lib.startAuthentication>[0]['optionsJSON'],
    });
  } catch {
    // NotAllowedError (cancelled, timed out, no matching key) and the like: the person can try again.
    throw securityKeyError('cancelled');
  }
}

/** A new credential for the server's options (`generateRegistrationOptions` JSON). */
export async function securityKeyCredential(options: unknown): Promise<unknown> {
  const lib = await library();
  try {
    return await lib.startRegistration({
      optionsJSON: options as Parameters<typeof lib.startRegistration>[0]['optionsJSON'],
    });
  } catch {
    throw securityKeyError('cancelled');
  }
}
