// The identity port of login: find an identity by user-ID and read the claims a service may receive.
// The store-backed directory reads the identities table; a development-only test identity can sit in front.
import type { AssuranceLevel, UserId } from '@tillid/core';
import type { SecretBox } from '../crypto/secret-box.ts';
import { lookups, openPii } from '../identity/identity-service.ts';
import type { Store } from '../store/store.ts';

export interface IdentityClaims {
  /** Full name as proven (given names then surname). */
  readonly name: string;
  /** YYYY-MM-DD (OpenID Connect Core §5.1 `birthdate`). */
  readonly birthdate: string;
  /** Ten digits, only released with scope `ssn`. */
  readonly cpr: string | undefined;
  /** What the identity proofing established; caps the `acr` of every login. */
  readonly proofing: AssuranceLevel;
}

export interface IdentityDirectory {
  /** The identity's uuid, or undefined for an unknown or blocked user-ID (callers never reveal which). */
  findByUserId(userId: UserId): Promise<string | undefined>;
  claims(identityId: string): Promise<IdentityClaims | undefined>;
}

const LEVELS = new Set<string>(['low', 'substantial', 'high']);

function titleCase(s: string): string {
  return s
    .toLocaleLowerCase('da')
    .replace(/(^|[\s-])(\p{L})/gu, (_m, sep: string, c: string) => `${sep}${c.toLocaleUpperCase('da')}`);
}

/** Identities enrolled through Tillid (the identities table). */
export function storeIdentityDirectory(deps: {
  readonly store: Store;
  readonly secretBox: SecretBox;
  readonly hmacKey: Uint8Array;
}): IdentityDirectory {
  return {
    async findByUserId(userId) {
      const row = await deps.store.identities.findBy(
        'user_id_lookup',
        lookups.userId(deps.hmacKey, userId.canonical),
      );
      return row && row.status === 'active' ? row.id : undefined;
    },
    async claims(identityId) {
      const row = await deps.store.identities.get(identityId);
      if (row?.status !== 'active') return undefined;
      const pii = openPii(deps.secretBox, row.id, row.piiSealed);
      return {
        name: titleCase(`${pii.person.givenNames} ${pii.person.surname}`.trim()),
        birthdate: pii.person.birthDate,
        cpr: pii.cpr,
        proofing: LEVELS.has(row.assurance) ? (row.assurance as AssuranceLevel) : 'low',
      };
    },
  };
}

/** DEVELOPMENT ONLY: a fictitious person to log in as before any real identity exists (docs/oidc.md). */
export interface TestIdentity {
  readonly id: string;
  /** Canonical user-ID (lower case). */
  readonly userId: string;
  readonly name: string;
  readonly birthdate: string;
  readonly cpr: string;
}

/** Jens Hansen of the demo population register (packages/server/demo/population-register.json). */
export const DEFAULT_TEST_IDENTITY: TestIdentity = Object.freeze({
  id: '7e57a11d-0000-4000-8000-000000000001',
  userId: 'jens.test',
  name: 'Jens Hansen',
  birthdate: '1990-01-01',
  cpr: '0101904321',
});

/** DEVELOPMENT ONLY: answers for the test identity first, then asks `next`. */
export function withTestIdentity(test: TestIdentity, next: IdentityDirectory): IdentityDirectory {
  return {
    async findByUserId(userId) {
      return userId.canonical === test.userId ? test.id : next.findByUserId(userId);
    },
    async claims(identityId) {
      if (identityId === test.id)
        return { name: test.name, birthdate: test.birthdate, cpr: test.cpr, proofing: 'low' };
      return next.claims(identityId);
    },
  };
}
