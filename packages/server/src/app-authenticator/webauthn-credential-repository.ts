// Storage of WebAuthn credentials: the app's biometrics (a platform credential bound to one app instance) and
// the chip (a FIDO2 security key, one active per identity, enforced by a unique partial index).
import { type Kysely, sql } from 'kysely';
import { prepare, type Slots } from '../store/prepared-query.ts';
import type { Database, WebauthnCredentialsTable } from '../store/schema.ts';
import { isUniqueViolation } from '../tokens/unique-violation.ts';

export type WebauthnKind = 'chip' | 'app-biometrics';

export interface WebauthnCredentialRow {
  readonly id: string;
  readonly identityId: string;
  readonly kind: WebauthnKind;
  readonly appInstanceId: string | null;
  /** base64url COSE public key */
  readonly publicKey: string;
  readonly counter: number;
  readonly transports: readonly string[];
  readonly status: 'active' | 'revoked';
  readonly createdAt: number;
  readonly lastUsedAt: number | null;
  readonly version: number;
}

function toRow(r: WebauthnCredentialsTable): WebauthnCredentialRow {
  return {
    id: r.id,
    identityId: r.identity_id,
    kind: r.kind as WebauthnKind,
    appInstanceId: r.app_instance_id,
    publicKey: r.public_key,
    counter: Number(r.counter),
    transports: JSON.parse(r.transports) as string[],
    status: r.status as WebauthnCredentialRow['status'],
    createdAt: Number(r.created_at),
    lastUsedAt: r.last_used_at === null ? null : Number(r.last_used_at),
    version: Number(r.version),
  };
}

// Kind and status written into the SQL, not bound: only then may SQLite (and PostgreSQL's generic plan) use the
// partial index webauthn_one_biometrics, the one index on app_instance_id, instead of reading the whole table.
const ACTIVE_BIOMETRICS = prepare((db, s: Slots<{ appInstanceId: string }>) =>
  db
    .selectFrom('webauthn_credentials')
    .selectAll()
    .where('app_instance_id', '=', s.appInstanceId)
    .where('kind', '=', sql.lit('app-biometrics'))
    .where('status', '=', sql.lit('active')),
);

export class WebauthnCredentialRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  in(trx: Kysely<Database>): WebauthnCredentialRepository {
    return new WebauthnCredentialRepository(trx);
  }

  async get(id: string): Promise<WebauthnCredentialRow | undefined> {
    const r = await this.#db
      .selectFrom('webauthn_credentials')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return r ? toRow(r) : undefined;
  }

  async activeChip(identityId: string): Promise<WebauthnCredentialRow | undefined> {
    const r = await this.#db
      .selectFrom('webauthn_credentials')
      .selectAll()
      .where('identity_id', '=', identityId)
      .where('kind', '=', 'chip')
      .where('status', '=', 'active')
      .executeTakeFirst();
    return r ? toRow(r) : undefined;
  }

  async activeBiometrics(appInstanceId: string): Promise<WebauthnCredentialRow | undefined> {
    const r = await ACTIVE_BIOMETRICS.first(this.#db, { appInstanceId });
    return r ? toRow(r) : undefined;
  }

  /** False when the limit index refused it (a second active chip, a second biometrics credential). */
  async insert(row: Omit<WebauthnCredentialRow, 'status' | 'version' | 'lastUsedAt'>): Promise<boolean> {
    try {
      await this.#db
        .insertInto('webauthn_credentials')
        .values({
          id: row.id,
          identity_id: row.identityId,
          kind: row.kind,
          app_instance_id: row.appInstanceId,
          public_key: row.publicKey,
          counter: row.counter,
          transports: JSON.stringify(row.transports),
          status: 'active',
          created_at: row.createdAt,
          last_used_at: null,
          version: 1,
        })
        .execute();
      return true;
    } catch (e) {
      if (isUniqueViolation(e)) return false;
      throw e;
    }
  }

  /** Records a use (the authenticator's new signature counter) by compare-and-set. */
  async used(row: WebauthnCredentialRow, counter: number, now: number): Promise<boolean> {
    const r = await this.#db
      .updateTable('webauthn_credentials')
      .set({ counter, last_used_at: now, version: row.version + 1 })
      .where('id', '=', row.id)
      .where('version', '=', row.version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async revoke(id: string): Promise<void> {
    await this.#db
      .updateTable('webauthn_credentials')
      .set({ status: 'revoked' })
      .where('id', '=', id)
      .execute();
  }

  async revokeOfInstance(appInstanceId: string): Promise<void> {
    await this.#db
      .updateTable('webauthn_credentials')
      .set({ status: 'revoked' })
      .where('app_instance_id', '=', appInstanceId)
      .where('status', '=', 'active')
      .execute();
  }
}
