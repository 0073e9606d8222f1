// Storage of app instances: changes by compare-and-set on `version`; the 3-instance limit is the unique
// (identity_id, slot) index of non-revoked rows. Also the replay guard of signed app requests.
import type { Kysely } from 'kysely';
import { LOGIN_STATE, prepare, type Slots } from '../store/prepared-query.ts';
import type { AppInstancesTable, Database } from '../store/schema.ts';
import { isUniqueViolation } from '../tokens/unique-violation.ts';

export type AppInstanceStatus = 'active' | 'locked' | 'revoked';

export const MAX_APP_INSTANCES = 3;

export interface DevicePublicJwk {
  readonly kty: 'EC';
  readonly crv: 'P-256';
  readonly x: string;
  readonly y: string;
}

export interface AppInstanceRow {
  readonly id: string;
  readonly identityId: string;
  readonly slot: number;
  readonly status: AppInstanceStatus;
  readonly name: string;
  readonly publicKey: DevicePublicJwk;
  readonly pinHash: string;
  readonly pinFailures: number;
  readonly pushSealed: string | null;
  readonly origin: string;
  readonly transferId: string;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly lastUsedAt: number | null;
  readonly lockedAt: number | null;
  readonly revokedAt: number | null;
  readonly version: number;
}

export type AppInstanceChange = Partial<
  Pick<
    AppInstanceRow,
    'status' | 'name' | 'pinHash' | 'pinFailures' | 'pushSealed' | 'lastUsedAt' | 'lockedAt' | 'revokedAt'
  >
>;

function toRow(r: AppInstancesTable): AppInstanceRow {
  return {
    id: r.id,
    identityId: r.identity_id,
    slot: Number(r.slot),
    status: r.status as AppInstanceStatus,
    name: r.name,
    publicKey: JSON.parse(r.public_key) as DevicePublicJwk,
    pinHash: r.pin_hash,
    pinFailures: Number(r.pin_failures),
    pushSealed: r.push_sealed,
    origin: r.origin,
    transferId: r.transfer_id,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    lastUsedAt: r.last_used_at === null ? null : Number(r.last_used_at),
    lockedAt: r.locked_at === null ? null : Number(r.locked_at),
    revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
    version: Number(r.version),
  };
}

const BY_ID = prepare((db, s: Slots<{ id: string }>) =>
  db.selectFrom('app_instances').selectAll().where('id', '=', s.id),
);
const OF_IDENTITY = prepare((db, s: Slots<{ identityId: string }>) =>
  db
    .selectFrom('app_instances')
    .selectAll()
    .where('identity_id', '=', s.identityId)
    .where('status', '<>', 'revoked')
    .orderBy('created_at', 'asc'),
);
/**
 * A signed request's nonce is LOGIN_STATE (prepared-query.ts): whatever durable the request then writes
 * flushes it too, so a crash loses a nonce only together with everything its request did.
 */
const USE_NONCE = prepare(
  (db, s: Slots<{ nonce: string; expiresAt: number }>) =>
    db.insertInto('app_request_nonces').values({ nonce: s.nonce, expires_at: s.expiresAt }),
  LOGIN_STATE,
);

export class AppInstanceRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  in(trx: Kysely<Database>): AppInstanceRepository {
    return new AppInstanceRepository(trx);
  }

  async get(id: string): Promise<AppInstanceRow | undefined> {
    const r = await BY_ID.first(this.#db, { id });
    return r ? toRow(r) : undefined;
  }

  /** The identity's instances that are not revoked (active or locked), oldest first. */
  async ofIdentity(identityId: string): Promise<AppInstanceRow[]> {
    const rows = await OF_IDENTITY.all(this.#db, { identityId });
    return rows.map(toRow);
  }

  async byOrigin(origin: string): Promise<AppInstanceRow | undefined> {
    const r = await this.#db
      .selectFrom('app_instances')
      .selectAll()
      .where('origin', '=', origin)
      .executeTakeFirst();
    return r ? toRow(r) : undefined;
  }

  /**
   * Inserts a new active instance in the lowest free slot. Returns false when all slots are taken (also
   * when a racing activation took the last one between the read and the insert).
   */
  async insert(
    row: Omit<
      AppInstanceRow,
      'slot' | 'status' | 'version' | 'updatedAt' | 'pinFailures' | 'lastUsedAt' | 'lockedAt' | 'revokedAt'
    >,
  ): Promise<AppInstanceRow | false> {
    const taken = new Set((await this.ofIdentity(row.identityId)).map((i) => i.slot));
    const slot = [1, 2, 3].find((s) => !taken.has(s) && s <= MAX_APP_INSTANCES);
    if (slot === undefined) return false;
    const values: AppInstancesTable = {
      id: row.id,
      identity_id: row.identityId,
      slot,
      status: 'active',
      name: row.name,
      public_key: JSON.stringify(row.publicKey),
      pin_hash: row.pinHash,
      pin_failures: 0,
      push_sealed: row.pushSealed,
      origin: row.origin,
      transfer_id: row.transferId,
      created_at: row.createdAt,
      updated_at: row.createdAt,
      last_used_at: null,
      locked_at: null,
      revoked_at: null,
      version: 1,
    };
    try {
      await this.#db.insertInto('app_instances').values(values).execute();
    } catch (e) {
      if (isUniqueViolation(e)) return false;
      throw e;
    }
    return toRow(values);
  }

  /** Applies `change` if the row is still at `expectedVersion`; false when it changed meanwhile. */
  async update(
    id: string,
    expectedVersion: number,
    change: AppInstanceChange,
    now: number,
  ): Promise<boolean> {
    const set: Partial<AppInstancesTable> = { updated_at: now, version: expectedVersion + 1 };
    if (change.status !== undefined) set.status = change.status;
    if (change.name !== undefined) set.name = change.name;
    if (change.pinHash !== undefined) set.pin_hash = change.pinHash;
    if (change.pinFailures !== undefined) set.pin_failures = change.pinFailures;
    if (change.pushSealed !== undefined) set.push_sealed = change.pushSealed;
    if (change.lastUsedAt !== undefined) set.last_used_at = change.lastUsedAt;
    if (change.lockedAt !== undefined) set.locked_at = change.lockedAt;
    if (change.revokedAt !== undefined) set.revoked_at = change.revokedAt;
    const r = await this.#db
      .updateTable('app_instances')
      .set(set)
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Records a signature as used; false when it was used before (a replay). */
  async useNonce(nonce: string, expiresAt: number, now: number): Promise<boolean> {
    // Expired nonces are cleared as we go; the window of validity keeps the table small.
    if (Math.random() < 0.01)
      await this.#db.deleteFrom('app_request_nonces').where('expires_at', '<=', now).execute();
    try {
      await USE_NONCE.execute(this.#db, { nonce, expiresAt });
      return true;
    } catch (e) {
      if (isUniqueViolation(e)) return false;
      throw e;
    }
  }
}
