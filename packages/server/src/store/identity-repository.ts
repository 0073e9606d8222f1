// Storage of identities: rows hold lookups (keyed hashes) and sealed PII; changes by compare-and-set.
import type { Kysely } from 'kysely';
import { ServerError } from '../errors.ts';
import { prepare, type Slots } from './prepared-query.ts';
import type { Database, IdentitiesTable } from './schema.ts';

export interface IdentityRow {
  readonly id: string;
  readonly status: 'active' | 'blocked';
  readonly cprLookup: string | null;
  readonly documentLookup: string;
  readonly userIdLookup: string | null;
  readonly piiSealed: string;
  readonly assurance: string;
  readonly evidence: Record<string, unknown>;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly version: number;
}

function toRow(r: IdentitiesTable): IdentityRow {
  return {
    id: r.id,
    status: r.status as IdentityRow['status'],
    cprLookup: r.cpr_lookup,
    documentLookup: r.document_lookup,
    userIdLookup: r.user_id_lookup,
    piiSealed: r.pii_sealed,
    assurance: r.assurance,
    evidence: JSON.parse(r.evidence) as Record<string, unknown>,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    version: Number(r.version),
  };
}

function conflict(message: string): ServerError {
  return new ServerError('ERR_CONFLICT', message, { status: 409 });
}

const BY_ID = prepare((db, s: Slots<{ id: string }>) =>
  db.selectFrom('identities').selectAll().where('id', '=', s.id),
);
type Lookup = 'cpr_lookup' | 'document_lookup' | 'user_id_lookup';

function byLookup(column: Lookup) {
  return prepare((db, s: Slots<{ value: string }>) =>
    db.selectFrom('identities').selectAll().where(column, '=', s.value),
  );
}

const BY_LOOKUP = {
  cpr_lookup: byLookup('cpr_lookup'),
  document_lookup: byLookup('document_lookup'),
  user_id_lookup: byLookup('user_id_lookup'),
};

export class IdentityRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async insert(
    row: Omit<IdentityRow, 'version' | 'updatedAt'>,
    db: Kysely<Database> = this.#db,
  ): Promise<IdentityRow> {
    await db
      .insertInto('identities')
      .values({
        id: row.id,
        status: row.status,
        cpr_lookup: row.cprLookup,
        document_lookup: row.documentLookup,
        user_id_lookup: row.userIdLookup,
        pii_sealed: row.piiSealed,
        assurance: row.assurance,
        evidence: JSON.stringify(row.evidence),
        created_at: row.createdAt,
        updated_at: row.createdAt,
        version: 1,
      })
      .execute();
    return { ...row, updatedAt: row.createdAt, version: 1 };
  }

  async get(id: string, db: Kysely<Database> = this.#db): Promise<IdentityRow | undefined> {
    const r = await BY_ID.first(db, { id });
    return r ? toRow(r) : undefined;
  }

  async findBy(
    column: Lookup,
    value: string,
    db: Kysely<Database> = this.#db,
  ): Promise<IdentityRow | undefined> {
    const r = await BY_LOOKUP[column].first(db, { value });
    return r ? toRow(r) : undefined;
  }

  /** Replaces the mutable fields if the row is still at `expectedVersion`. */
  async update(
    id: string,
    expectedVersion: number,
    patch: Partial<
      Pick<
        IdentityRow,
        'status' | 'cprLookup' | 'documentLookup' | 'userIdLookup' | 'piiSealed' | 'assurance' | 'evidence'
      >
    >,
    now: number,
    db: Kysely<Database> = this.#db,
  ): Promise<void> {
    const set: Partial<IdentitiesTable> = { updated_at: now, version: expectedVersion + 1 };
    if (patch.status !== undefined) set.status = patch.status;
    if (patch.cprLookup !== undefined) set.cpr_lookup = patch.cprLookup;
    if (patch.documentLookup !== undefined) set.document_lookup = patch.documentLookup;
    if (patch.userIdLookup !== undefined) set.user_id_lookup = patch.userIdLookup;
    if (patch.piiSealed !== undefined) set.pii_sealed = patch.piiSealed;
    if (patch.assurance !== undefined) set.assurance = patch.assurance;
    if (patch.evidence !== undefined) set.evidence = JSON.stringify(patch.evidence);
    const r = await db
      .updateTable('identities')
      .set(set)
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw conflict('the identity changed meanwhile; try again');
  }
}
