// Storage of code displays and code readers. Every state change is a compare-and-set on `version`,
// so a raced or retried request can never apply twice.
import type { Kysely } from 'kysely';
import type { Database, TokensTable } from '../store/schema.ts';

export const TOKEN_MODELS = ['display', 'reader'] as const;
/** `display`: a code display (kodeviser); `reader`: an audio code reader (kodeoplæser). */
export type TokenModel = (typeof TOKEN_MODELS)[number];

export const TOKEN_STATUSES = ['in-stock', 'assigned', 'active', 'revoked'] as const;
export type TokenStatus = (typeof TOKEN_STATUSES)[number];

export interface TokenRow {
  readonly serial: string;
  readonly model: TokenModel;
  readonly manufacturer: string | null;
  readonly algorithm: string;
  readonly digits: number;
  readonly periodSeconds: number;
  readonly secretSealed: string;
  readonly status: TokenStatus;
  readonly identityId: string | null;
  readonly importedAt: number;
  readonly activatedAt: number | null;
  readonly revokedAt: number | null;
  readonly lastCounter: number | null;
  readonly failedAttempts: number;
  readonly blockedUntil: number | null;
  readonly version: number;
}

export type TokenChange = Partial<
  Pick<
    TokenRow,
    'status' | 'identityId' | 'activatedAt' | 'revokedAt' | 'lastCounter' | 'failedAttempts' | 'blockedUntil'
  >
>;

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

function toToken(r: TokensTable): TokenRow {
  return {
    serial: r.serial,
    model: r.model as TokenModel,
    manufacturer: r.manufacturer,
    algorithm: r.algorithm,
    digits: Number(r.digits),
    periodSeconds: Number(r.period_seconds),
    secretSealed: r.secret_sealed,
    status: r.status as TokenStatus,
    identityId: r.identity_id,
    importedAt: Number(r.imported_at),
    activatedAt: num(r.activated_at),
    revokedAt: num(r.revoked_at),
    lastCounter: num(r.last_counter),
    failedAttempts: Number(r.failed_attempts),
    blockedUntil: num(r.blocked_until),
    version: Number(r.version),
  };
}

function tokenColumns(c: TokenChange): Partial<TokensTable> {
  const out: Partial<TokensTable> = {};
  if (c.status !== undefined) out.status = c.status;
  if (c.identityId !== undefined) out.identity_id = c.identityId;
  if (c.activatedAt !== undefined) out.activated_at = c.activatedAt;
  if (c.revokedAt !== undefined) out.revoked_at = c.revokedAt;
  if (c.lastCounter !== undefined) out.last_counter = c.lastCounter;
  if (c.failedAttempts !== undefined) out.failed_attempts = c.failedAttempts;
  if (c.blockedUntil !== undefined) out.blocked_until = c.blockedUntil;
  return out;
}

export class TokenRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** The same repository working inside a transaction. */
  in(trx: Kysely<Database>): TokenRepository {
    return new TokenRepository(trx);
  }

  async get(serial: string): Promise<TokenRow | undefined> {
    const r = await this.#db.selectFrom('tokens').selectAll().where('serial', '=', serial).executeTakeFirst();
    return r ? toToken(r) : undefined;
  }

  async insert(
    row: Omit<
      TokenRow,
      | 'version'
      | 'failedAttempts'
      | 'lastCounter'
      | 'blockedUntil'
      | 'activatedAt'
      | 'revokedAt'
      | 'identityId'
    >,
  ): Promise<void> {
    await this.#db
      .insertInto('tokens')
      .values({
        serial: row.serial,
        model: row.model,
        manufacturer: row.manufacturer,
        algorithm: row.algorithm,
        digits: row.digits,
        period_seconds: row.periodSeconds,
        secret_sealed: row.secretSealed,
        status: row.status,
        identity_id: null,
        imported_at: row.importedAt,
        activated_at: null,
        revoked_at: null,
        last_counter: null,
        failed_attempts: 0,
        blocked_until: null,
        version: 1,
      })
      .execute();
  }

  async list(
    filter: { status?: TokenStatus; identityId?: string; model?: TokenModel; limit?: number } = {},
  ): Promise<TokenRow[]> {
    let q = this.#db.selectFrom('tokens').selectAll().orderBy('serial', 'asc');
    if (filter.status !== undefined) q = q.where('status', '=', filter.status);
    if (filter.identityId !== undefined) q = q.where('identity_id', '=', filter.identityId);
    if (filter.model !== undefined) q = q.where('model', '=', filter.model);
    const rows = await q.limit(filter.limit ?? 1000).execute();
    return rows.map(toToken);
  }

  /** The identity's active device of `model`, if any. */
  async active(identityId: string, model: TokenModel): Promise<TokenRow | undefined> {
    const r = await this.#db
      .selectFrom('tokens')
      .selectAll()
      .where('identity_id', '=', identityId)
      .where('model', '=', model)
      .where('status', '=', 'active')
      .executeTakeFirst();
    return r ? toToken(r) : undefined;
  }

  /** Applies `change` only if the row is still at `expectedVersion`; answers whether it did. */
  async update(serial: string, expectedVersion: number, change: TokenChange): Promise<boolean> {
    const r = await this.#db
      .updateTable('tokens')
      .set({ ...tokenColumns(change), version: expectedVersion + 1 })
      .where('serial', '=', serial)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}
