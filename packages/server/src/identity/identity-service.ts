// Creating identities: one person, one identity. The same CPR number or the same document (country +
// number) never makes a second identity: enrolling again re-activates the existing one.
import { randomUUID } from 'node:crypto';
import type { AssuranceLevel } from '@tillid/core';
import type { Kysely } from 'kysely';
import { keyedHash } from '../crypto/keyed-hash.ts';
import type { SecretBox } from '../crypto/secret-box.ts';
import { ServerError } from '../errors.ts';
import type { Database } from '../store/schema.ts';
import type { Store } from '../store/store.ts';

export interface IdentityPii {
  readonly person: {
    readonly surname: string;
    readonly givenNames: string;
    readonly birthDate: string;
    readonly nationality: string;
    readonly sex: 'M' | 'F' | 'X';
  };
  readonly document: {
    readonly type: 'passport' | 'id-card';
    readonly country: string;
    readonly number: string;
    readonly expiry: string;
  };
  readonly cpr?: string;
  readonly pcodeId?: string;
  readonly userId?: string;
  readonly phone?: string;
}

export interface IdentityDeps {
  readonly store: Store;
  readonly secretBox: SecretBox;
  readonly hmacKey: Uint8Array;
}

const PII_PURPOSE = 'identity-pii';

export const lookups = {
  cpr: (key: Uint8Array, cpr: string) => keyedHash(key, 'lookup', `cpr:${cpr}`),
  document: (key: Uint8Array, country: string, number: string) =>
    keyedHash(key, 'lookup', `doc:${country.toUpperCase()}:${number.toUpperCase()}`),
  /** `canonical` is @tillid/core parseUserId's canonical form (lower case, NFC). */
  userId: (key: Uint8Array, canonical: string) => keyedHash(key, 'lookup', `userid:${canonical}`),
};

export function sealPii(box: SecretBox, id: string, pii: IdentityPii): string {
  return box.seal(PII_PURPOSE, JSON.stringify(pii), id);
}

export function openPii(box: SecretBox, id: string, sealed: string): IdentityPii {
  return JSON.parse(box.open(PII_PURPOSE, sealed, id)) as IdentityPii;
}

export interface EnrolledIdentity {
  readonly id: string;
  /** True when an existing identity of the same person was re-activated instead of creating one. */
  readonly reactivated: boolean;
}

/**
 * Writes the identity of a verified enrollment inside `trx`: a new one, or the re-activation of the
 * person's existing one (same CPR or same document). A user-ID taken by someone else is ERR_USER_ID_TAKEN.
 */
export async function enrollIdentity(
  deps: IdentityDeps,
  input: {
    pii: IdentityPii;
    userIdCanonical: string;
    assurance: AssuranceLevel;
    evidence: Record<string, unknown>;
    assistedBy: string | null;
  },
  now: number,
  trx: Kysely<Database>,
): Promise<EnrolledIdentity> {
  const repo = deps.store.identities;
  const cprLookup = input.pii.cpr ? lookups.cpr(deps.hmacKey, input.pii.cpr) : null;
  const documentLookup = lookups.document(
    deps.hmacKey,
    input.pii.document.country,
    input.pii.document.number,
  );
  const userIdLookup = lookups.userId(deps.hmacKey, input.userIdCanonical);

  const existing =
    (cprLookup ? await repo.findBy('cpr_lookup', cprLookup, trx) : undefined) ??
    (await repo.findBy('document_lookup', documentLookup, trx));
  const holder = await repo.findBy('user_id_lookup', userIdLookup, trx);
  if (holder && holder.id !== existing?.id) {
    throw new ServerError('ERR_USER_ID_TAKEN', 'this user-ID is not available', {
      status: 409,
      messageId: 'error.userId.taken',
    });
  }
  if (existing) {
    // Re-activation: the newest verified document and user-ID replace the old ones.
    await repo.update(
      existing.id,
      existing.version,
      {
        status: 'active',
        cprLookup: cprLookup ?? existing.cprLookup,
        documentLookup,
        userIdLookup,
        piiSealed: sealPii(deps.secretBox, existing.id, input.pii),
        assurance: input.assurance,
        evidence: input.evidence,
      },
      now,
      trx,
    );
    await deps.store.audit.append(
      {
        type: 'identity.reactivated',
        actor: input.assistedBy,
        subject: `identity:${existing.id}`,
        data: { assurance: input.assurance },
      },
      now,
      trx,
    );
    return { id: existing.id, reactivated: true };
  }
  const id = randomUUID();
  await repo.insert(
    {
      id,
      status: 'active',
      cprLookup,
      documentLookup,
      userIdLookup,
      piiSealed: sealPii(deps.secretBox, id, input.pii),
      assurance: input.assurance,
      evidence: input.evidence,
      createdAt: now,
    },
    trx,
  );
  await deps.store.audit.append(
    {
      type: 'identity.created',
      actor: input.assistedBy,
      subject: `identity:${id}`,
      data: { assurance: input.assurance },
    },
    now,
    trx,
  );
  return { id, reactivated: false };
}

/** Whether a user-ID (canonical form) is free, or held by `exceptIdentityId` itself. */
export async function isUserIdAvailable(
  deps: IdentityDeps,
  canonical: string,
  exceptIdentityId?: string,
): Promise<boolean> {
  const holder = await deps.store.identities.findBy(
    'user_id_lookup',
    lookups.userId(deps.hmacKey, canonical),
  );
  return !holder || holder.id === exceptIdentityId;
}
