// Assurance levels (NSIS / eIDAS Low, Substantial, High) from the authentication factors used and the
// strength of the identity proofing, and the `acr` URIs returned to services.

import { CoreError } from './errors.ts';

export type AssuranceLevel = 'low' | 'substantial' | 'high';

const ORDER: Readonly<Record<AssuranceLevel, number>> = { low: 1, substantial: 2, high: 3 };

/** NSIS level-of-assurance URIs, as used for `acr` / AuthnContextClassRef by NemLog-in and MitID brokers. */
export const NSIS_LOA_URIS = Object.freeze({
  low: 'https://data.gov.dk/concept/core/nsis/loa/Low',
  substantial: 'https://data.gov.dk/concept/core/nsis/loa/Substantial',
  high: 'https://data.gov.dk/concept/core/nsis/loa/High',
} as const satisfies Record<AssuranceLevel, string>);

/** eIDAS SAML attribute profile level-of-assurance URIs (Commission Implementing Regulation 2015/1502). */
export const EIDAS_LOA_URIS = Object.freeze({
  low: 'http://eidas.europa.eu/LoA/low',
  substantial: 'http://eidas.europa.eu/LoA/substantial',
  high: 'http://eidas.europa.eu/LoA/high',
} as const satisfies Record<AssuranceLevel, string>);

/**
 * Factors as the server verified them. Possession: the app instance's device key signature, a code
 * display or code reader one-time code, a FIDO2 security key ("chip"). Knowledge: password, app PIN
 * (verified by the server). Inherence: biometrics unlocking the app's platform credential.
 */
export type AuthFactor =
  | 'app-device-key'
  | 'app-pin'
  | 'app-biometrics'
  | 'code-display-otp'
  | 'code-reader-otp'
  | 'fido2-key'
  | 'password';

const CATEGORY: Readonly<Record<AuthFactor, 'possession' | 'knowledge' | 'inherence'>> = {
  'app-device-key': 'possession',
  'code-display-otp': 'possession',
  'code-reader-otp': 'possession',
  'fido2-key': 'possession',
  'app-pin': 'knowledge',
  password: 'knowledge',
  'app-biometrics': 'inherence',
};

/**
 * Strength of the authentication alone (NSIS; eIDAS Regulation 2015/1502 Annex §2.2.1 and §2.3.1):
 * - high: a FIDO2 security key (hardware-bound, phishing-resistant) plus the password;
 * - substantial: two factors of different categories, one of them possession — app device key with
 *   PIN or biometrics; code display or code reader with password;
 * - low: anything else, in particular any single factor (password alone, app swipe without PIN).
 */
export function authenticationStrength(factors: readonly AuthFactor[]): AssuranceLevel {
  const set = new Set(factors.filter((f) => Object.hasOwn(CATEGORY, f)));
  const categories = new Set([...set].map((f) => CATEGORY[f]));
  if (!categories.has('possession') || categories.size < 2) return 'low';
  if (set.has('fido2-key') && set.has('password')) return 'high';
  return 'substantial';
}

/** What the identity proofing established (from the enrollment's evidence results). */
export interface ProofingEvidence {
  /** Passive authentication (SOD, DS → CSCA) and active or chip authentication of the document chip passed. */
  readonly chipVerified: boolean;
  /** The live face matched the chip photo, with the liveness check passed. */
  readonly faceMatchedWithLiveness: boolean;
  /** An operator saw the person and the document in person (citizen service, bank). */
  readonly inPerson: boolean;
  /** The population register (CPR) or an operator-issued P-code tied the document to the person. */
  readonly registerMatched: boolean;
}

/**
 * Identity proofing level (NSIS; eIDAS Regulation 2015/1502 Annex §2.1.2):
 * - high: chip verified and register-matched, with the person physically present at an operator who
 *   compares them with the document;
 * - substantial: chip verified, face matched with liveness, register-matched (remote, as journey A);
 * - low: anything less.
 */
export function proofingLevel(e: ProofingEvidence): AssuranceLevel {
  const remote = e.chipVerified === true && e.registerMatched === true;
  if (remote && e.inPerson === true) return 'high';
  if (remote && e.faceMatchedWithLiveness === true) return 'substantial';
  return 'low';
}

/**
 * The level of a login: the weaker of authentication strength and identity proofing, since an
 * authenticator cannot vouch for more than was proven about its holder (NSIS: the overall level is
 * the lowest of its parts).
 * Examples: app + PIN on a chip + face proofed identity → substantial; FIDO2 key + password →
 * high only if the proofing was high; code display + password → substantial; password → low.
 */
export function assuranceLevel(input: {
  readonly factors: readonly AuthFactor[];
  readonly proofing: AssuranceLevel;
}): AssuranceLevel {
  if (input.factors.length === 0) throw new CoreError('ERR_INTERNAL', 'assuranceLevel: no factors used');
  if (!Object.hasOwn(ORDER, input.proofing)) {
    throw new CoreError('ERR_INTERNAL', 'assuranceLevel: bad proofing');
  }
  return minLevel(authenticationStrength(input.factors), input.proofing);
}

export function minLevel(a: AssuranceLevel, b: AssuranceLevel): AssuranceLevel {
  return ORDER[a] <= ORDER[b] ? a : b;
}

/** Whether `actual` meets a service's required minimum (`acr_values`). */
export function meetsLevel(actual: AssuranceLevel, required: AssuranceLevel): boolean {
  return ORDER[actual] >= ORDER[required];
}

/** The OIDC `acr` claim value for a level (NSIS URI). */
export function acrFor(level: AssuranceLevel): string {
  return NSIS_LOA_URIS[level];
}

/** The level named by an `acr` URI (NSIS or eIDAS), or undefined for an unknown value. */
export function levelFromAcr(acr: string): AssuranceLevel | undefined {
  for (const level of ['low', 'substantial', 'high'] as const) {
    if (NSIS_LOA_URIS[level] === acr || EIDAS_LOA_URIS[level] === acr) return level;
  }
  return undefined;
}
