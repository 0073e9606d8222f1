// What a service learns about a person: claim names per scope, pairwise subjects, and `acr`/`amr` from
// the authentication factors the server verified.
import { createHmac } from 'node:crypto';
import { type AssuranceLevel, type AuthFactor, acrFor, assuranceLevel, minLevel } from '@tillid/core';

/** The CPR claim, named as the Danish MitID/NemLog-in OIDC brokers name it; released only with scope `ssn`. */
export const CPR_CLAIM = 'dk.cpr';

/** Scope → claims (OpenID Connect Core §5.4 for `profile`; `ssn` is ours). */
export const SCOPE_CLAIMS = {
  openid: ['sub'],
  profile: ['name', 'birthdate'],
  ssn: [CPR_CLAIM],
} as const;

export const SUPPORTED_SCOPES = Object.keys(SCOPE_CLAIMS);

/**
 * Pairwise subject (OpenID Connect Core §8.1): HMAC-SHA256 over the sector identifier and the identity's
 * uuid, keyed with the server's HMAC key, so services of different sectors cannot correlate a person.
 */
export function pairwiseSubject(hmacKey: Uint8Array, sectorIdentifier: string, identityId: string): string {
  return createHmac('sha256', hmacKey)
    .update('tillid/oidc-pairwise\u0000')
    .update(sectorIdentifier, 'utf8')
    .update('\u0000')
    .update(identityId, 'utf8')
    .digest('base64url');
}

/** RFC 8176 authentication method reference values for the factors used. */
const AMR: Readonly<Record<AuthFactor, readonly string[]>> = {
  'app-device-key': ['swk'],
  'app-pin': ['pin'],
  'app-biometrics': ['user'],
  'code-display-otp': ['otp', 'hwk'],
  'code-reader-otp': ['otp', 'hwk'],
  'fido2-key': ['hwk'],
  password: ['pwd'],
};

export function amrFor(factors: readonly AuthFactor[]): string[] {
  const values = new Set(factors.flatMap((f) => AMR[f] ?? []));
  // RFC 8176 §2 "mfa": more than one factor kind was used.
  const kinds = new Set(
    factors.map((f) =>
      f === 'password' || f === 'app-pin' ? 'knowledge' : f === 'app-biometrics' ? 'inherence' : 'possession',
    ),
  );
  if (kinds.size > 1) values.add('mfa');
  return [...values].sort();
}

/**
 * The level of a login (DESIGN §1 D): @tillid/core's assuranceLevel over the verified factors, capped by
 * the identity's proofing. No factors at all (the development test login) is Low.
 */
export function loginLevel(factors: readonly AuthFactor[], proofing: AssuranceLevel): AssuranceLevel {
  if (factors.length === 0) return minLevel('low', proofing);
  return assuranceLevel({ factors, proofing });
}

export function acrForLogin(factors: readonly AuthFactor[], proofing: AssuranceLevel): string {
  return acrFor(loginLevel(factors, proofing));
}
