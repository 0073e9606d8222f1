// The provider's token signing keys: generated here, stored sealed in the database, rotated without a
// gap. A rotation adds a new `active` key (it signs from then on) and turns the previous one `retiring`:
// still published in the JWKS, so tokens it signed keep verifying, until `retire_at` passes.
import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import { calculateJwkThumbprint, type JWK } from 'jose';
import type { Kysely } from 'kysely';
import type { SecretBox } from '../crypto/secret-box.ts';
import { ServerError } from '../errors.ts';
import type { Database } from '../store/schema.ts';

const SEAL_PURPOSE = 'oidc-signing-key';
/** RS256: what OIDC relying parties must support (OpenID Connect Core §15.1) and openid-client's default. */
export const SIGNING_ALG = 'RS256';
/** Long enough for every ID token (1 h) and relying parties' JWKS caches to outlive the old key. */
export const DEFAULT_RETIRE_AFTER_MS = 24 * 60 * 60 * 1000;

const generateRsa = promisify(generateKeyPair);

export interface SigningKeyInfo {
  readonly kid: string;
  readonly alg: string;
  readonly status: 'active' | 'retiring';
  readonly createdAt: number;
  readonly retireAt: number | null;
}

export interface SigningKeyDeps {
  readonly db: Kysely<Database>;
  readonly secretBox: SecretBox;
}

async function newKey(): Promise<{ kid: string; jwk: JWK }> {
  const { privateKey } = await generateRsa('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' }) as JWK;
  const kid = await calculateJwkThumbprint(jwk, 'sha256');
  return { kid, jwk: { ...jwk, kid, alg: SIGNING_ALG, use: 'sig' } };
}

async function insertActive(db: Kysely<Database>, box: SecretBox, now: number): Promise<string> {
  const { kid, jwk } = await newKey();
  await db
    .insertInto('oidc_signing_keys')
    .values({
      kid,
      alg: SIGNING_ALG,
      status: 'active',
      private_jwk_sealed: box.seal(SEAL_PURPOSE, JSON.stringify(jwk), kid),
      created_at: now,
      retire_at: null,
    })
    .execute();
  return kid;
}

/** Keys still published at `now`, the signing (newest active) key first. */
export async function listSigningKeys(deps: SigningKeyDeps, now: number): Promise<SigningKeyInfo[]> {
  const rows = await deps.db
    .selectFrom('oidc_signing_keys')
    .select(['kid', 'alg', 'status', 'created_at', 'retire_at'])
    .where((eb) => eb.or([eb('retire_at', 'is', null), eb('retire_at', '>', now)]))
    .execute();
  return rows
    .map((r) => ({
      kid: r.kid,
      alg: r.alg,
      status: r.status === 'active' ? ('active' as const) : ('retiring' as const),
      createdAt: Number(r.created_at),
      retireAt: r.retire_at === null ? null : Number(r.retire_at),
    }))
    .sort((a, b) =>
      a.status !== b.status
        ? a.status === 'active'
          ? -1
          : 1
        : b.createdAt - a.createdAt || (a.kid < b.kid ? -1 : 1),
    );
}

/** Creates the first signing key when there is none; a no-op otherwise. */
export async function ensureSigningKey(deps: SigningKeyDeps, now: number): Promise<void> {
  const keys = await listSigningKeys(deps, now);
  if (keys.some((k) => k.status === 'active')) return;
  await insertActive(deps.db, deps.secretBox, now);
}

/**
 * Adds a new signing key and moves every active one to `retiring` (published until now + retireAfterMs).
 * Nodes pick the new key up on their next key refresh (`OidcProviderHost.reloadKeys`).
 */
export async function rotateSigningKey(
  deps: SigningKeyDeps,
  options: { now: number; retireAfterMs?: number },
): Promise<{ kid: string; retiring: string[] }> {
  const retireAfter = options.retireAfterMs ?? DEFAULT_RETIRE_AFTER_MS;
  if (!Number.isInteger(retireAfter) || retireAfter < 0)
    throw new ServerError('ERR_OIDC_SIGNING_KEY', 'retireAfterMs must be a non-negative integer');
  return deps.db.transaction().execute(async (trx) => {
    const active = await trx
      .selectFrom('oidc_signing_keys')
      .select('kid')
      .where('status', '=', 'active')
      .execute();
    if (active.length > 0) {
      await trx
        .updateTable('oidc_signing_keys')
        .set({ status: 'retiring', retire_at: options.now + retireAfter })
        .where('status', '=', 'active')
        .execute();
    }
    const kid = await insertActive(trx, deps.secretBox, options.now);
    return { kid, retiring: active.map((a) => a.kid) };
  });
}

/** Deletes retiring keys whose publication period is over; returns their kids. */
export async function deleteRetiredSigningKeys(deps: SigningKeyDeps, now: number): Promise<string[]> {
  const gone = await deps.db
    .deleteFrom('oidc_signing_keys')
    .where('status', '=', 'retiring')
    .where('retire_at', '<=', now)
    .returning('kid')
    .execute();
  return gone.map((g) => g.kid);
}

/** The private JWK set for oidc-provider's `jwks`: the signing key first (it signs with the first match). */
export async function providerJwks(deps: SigningKeyDeps, now: number): Promise<{ keys: JWK[] }> {
  const published = await listSigningKeys(deps, now);
  if (!published.some((k) => k.status === 'active'))
    throw new ServerError('ERR_OIDC_SIGNING_KEY', 'no active OIDC signing key (run ensureSigningKey first)');
  const rows = await deps.db
    .selectFrom('oidc_signing_keys')
    .select(['kid', 'private_jwk_sealed'])
    .where(
      'kid',
      'in',
      published.map((k) => k.kid),
    )
    .execute();
  const sealed = new Map(rows.map((r) => [r.kid, r.private_jwk_sealed]));
  return {
    keys: published.map((k) => {
      const s = sealed.get(k.kid);
      if (s === undefined) throw new ServerError('ERR_OIDC_SIGNING_KEY', `signing key ${k.kid} vanished`);
      return JSON.parse(deps.secretBox.open(SEAL_PURPOSE, s, k.kid)) as JWK;
    }),
  };
}

/** A fingerprint of the published key set, so a node can tell cheaply whether to rebuild its provider. */
export async function signingKeysVersion(deps: SigningKeyDeps, now: number): Promise<string> {
  const keys = await listSigningKeys(deps, now);
  return keys.map((k) => `${k.kid}:${k.status}`).join(',');
}
