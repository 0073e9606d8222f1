// WebAuthn ceremonies (W3C WebAuthn Level 3 §7.1 registration, §7.2 authentication) over @simplewebauthn/server,
// for the app's biometrics (a platform credential, user verification required) and the chip (a FIDO2 security
// key used with the password). Challenges are derived from the server's HMAC key and the ceremony's own ids, so
// they need no storage and cannot be moved from one ceremony to another.
import { createHmac } from 'node:crypto';
import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { z } from 'zod';
import { ServerError } from '../errors.ts';
import type { WebauthnSettings } from './app-authenticator-deps.ts';
import type { WebauthnCredentialRow } from './webauthn-credential-repository.ts';

/** COSE algorithms offered: ES256 (-7), EdDSA (-8), RS256 (-257). */
const ALGORITHMS = [-7, -8, -257];

/** A credential JSON from the browser (WebAuthn §5.1 toJSON); its inner fields are checked by the verifier. */
export const credentialJsonSchema = z
  .object({
    id: z.string().max(1400),
    rawId: z.string().max(1400),
    type: z.literal('public-key'),
    response: z.record(z.string(), z.unknown()),
    clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
    authenticatorAttachment: z.string().max(40).optional(),
  })
  .passthrough();

export function webauthnInvalid(cause?: unknown): ServerError {
  return new ServerError('ERR_WEBAUTHN_INVALID', 'the security key or biometrics response is not valid', {
    status: 400,
    messageId: 'webauthn.invalid',
    cause,
  });
}

/** The challenge of a ceremony: HMAC(server key, purpose ‖ ids), 32 bytes. */
export function ceremonyChallenge(
  hmacKey: Uint8Array,
  purpose: string,
  ...ids: readonly string[]
): Uint8Array {
  const mac = createHmac('sha256', hmacKey).update(`tillid/webauthn/${purpose}`);
  for (const id of ids) mac.update('\u0000').update(id, 'utf8');
  return new Uint8Array(mac.digest());
}

export interface NewCredential {
  readonly id: string;
  readonly publicKey: string;
  readonly counter: number;
  readonly transports: readonly string[];
}

export function registrationOptions(input: {
  settings: WebauthnSettings;
  challenge: Uint8Array;
  /** The WebAuthn user handle: random per identity would be better; an opaque id is enough here. */
  userHandle: string;
  userName: string;
  attachment: 'platform' | 'cross-platform';
  exclude?: readonly string[];
}): Promise<PublicKeyCredentialCreationOptionsJSON> {
  return generateRegistrationOptions({
    rpName: input.settings.rpName,
    rpID: input.settings.rpId,
    userName: input.userName,
    userID: new Uint8Array(Buffer.from(input.userHandle, 'utf8')),
    challenge: new Uint8Array(input.challenge),
    attestationType: 'none',
    supportedAlgorithmIDs: ALGORITHMS,
    excludeCredentials: (input.exclude ?? []).map((id) => ({ id })),
    authenticatorSelection: {
      authenticatorAttachment: input.attachment,
      // A chip is a discoverable credential, so login can ask without naming it: an allow-list would tell a
      // stranger whether the user-ID has a chip (DESIGN §3.3).
      residentKey: input.attachment === 'platform' ? 'discouraged' : 'required',
      // Biometrics must verify the person (that is the factor); a chip is possession, used with the password.
      userVerification: input.attachment === 'platform' ? 'required' : 'discouraged',
    },
  });
}

/** Registration, WebAuthn §7.1 (challenge, origin, RP ID hash, flags, attestation 'none'). */
export async function verifyRegistration(input: {
  settings: WebauthnSettings;
  response: unknown;
  challenge: Uint8Array;
  requireUserVerification: boolean;
}): Promise<NewCredential> {
  const parsed = credentialJsonSchema.safeParse(input.response);
  if (!parsed.success) throw webauthnInvalid();
  try {
    const v = await verifyRegistrationResponse({
      response: parsed.data as unknown as RegistrationResponseJSON,
      expectedChallenge: Buffer.from(input.challenge).toString('base64url'),
      expectedOrigin: [...input.settings.origins],
      expectedRPID: input.settings.rpId,
      requireUserVerification: input.requireUserVerification,
      supportedAlgorithmIDs: ALGORITHMS,
    });
    if (!v.verified) throw webauthnInvalid();
    const c = v.registrationInfo.credential;
    return {
      id: c.id,
      publicKey: Buffer.from(c.publicKey).toString('base64url'),
      counter: c.counter,
      transports: c.transports ?? [],
    };
  } catch (e) {
    throw e instanceof ServerError ? e : webauthnInvalid(e);
  }
}

export function authenticationOptions(input: {
  settings: WebauthnSettings;
  challenge: Uint8Array;
  allow: readonly { id: string; transports?: readonly string[] }[];
  userVerification: 'required' | 'discouraged';
}): Promise<PublicKeyCredentialRequestOptionsJSON> {
  return generateAuthenticationOptions({
    rpID: input.settings.rpId,
    challenge: new Uint8Array(input.challenge),
    allowCredentials: input.allow.map((c) => ({
      id: c.id,
      ...(c.transports ? { transports: [...c.transports] } : {}),
    })),
    userVerification: input.userVerification,
  });
}

/**
 * Authentication, WebAuthn §7.2 (credential, challenge, origin, RP ID hash, UP/UV flags, signature, counter).
 * Returns the authenticator's new signature counter.
 */
export async function verifyAssertion(input: {
  settings: WebauthnSettings;
  response: unknown;
  challenge: Uint8Array;
  credential: WebauthnCredentialRow;
  requireUserVerification: boolean;
}): Promise<{ newCounter: number; userVerified: boolean }> {
  const parsed = credentialJsonSchema.safeParse(input.response);
  if (!parsed.success || parsed.data.id !== input.credential.id) throw webauthnInvalid();
  try {
    const v = await verifyAuthenticationResponse({
      response: parsed.data as unknown as AuthenticationResponseJSON,
      expectedChallenge: Buffer.from(input.challenge).toString('base64url'),
      expectedOrigin: [...input.settings.origins],
      expectedRPID: input.settings.rpId,
      credential: {
        id: input.credential.id,
        publicKey: new Uint8Array(Buffer.from(input.credential.publicKey, 'base64url')),
        counter: input.credential.counter,
      },
      requireUserVerification: input.requireUserVerification,
    });
    if (!v.verified) throw webauthnInvalid();
    return { newCounter: v.authenticationInfo.newCounter, userVerified: v.authenticationInfo.userVerified };
  } catch (e) {
    throw e instanceof ServerError ? e : webauthnInvalid(e);
  }
}
