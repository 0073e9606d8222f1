// Storage of P-codes: found by the keyed hash of the code; state changes by compare-and-set on `version`.
import type { Kysely } from 'kysely';
import { ServerError } from '../errors.ts';
import type { Database, PcodesTable } from './schema.ts';

export interface PcodeRow {
  readonly id: string;
  readonly codeHash: string;
  readonly personSealed: string;
  readonly issuedBy: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly failedAttempts: number;
  readonly usedAt: number | null;
  readonly version: number;
}

function toRow(r: PcodesTable): PcodeRow {
  return {
    id: r.id,
    codeHash: r.code_hash,
    personSealed: r.person_sealed,
    issuedBy: r.issued_by,
    issuedAt: Number(r.issued_at),
    expiresAt: Number(r.expires_at),
    failedAttempts: Number(r.failed_attempts),
    usedAt: r.used_at === null ? null : Number(r.used_at),
    version: Number(r.version),
  };
}

export class PcodeRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** Inserts; answers false when the code hash is taken (the caller draws another code). */
  async insert(row: Omit<PcodeRow, 'version' | 'failedAttempts' | 'usedAt'>): Promise<boolean> {
    const taken = await this.#db
      .selectFrom('pcodes')
      .select('id')
      .where('code_hash', '=', row.codeHash)
      .executeTakeFirst();
    if (taken) return false;
    try {
      await this.#db
        .insertInto('pcodes')
        .values({
          id: row.id,
          code_hash: row.codeHash,
          person_sealed: row.personSealed,
          issued_by: row.issuedBy,
          issued_at: row.issuedAt,
          expires_at: row.expiresAt,
          failed_attempts: 0,
          used_at: null,
          version: 1,
        })
        .execute();
      return true;
    } catch (e) {
      // A concurrent insert of the same hash lost the unique-constraint race.
      const again = await this.#db
        .selectFrom('pcodes')
        .select('id')
        .where('code_hash', '=', row.codeHash)
        .executeTakeFirst();
      if (again) return false;
      throw e;
    }
  }

  async findByHash(codeHash: string): Promise<PcodeRow | undefined> {
    const r = await this.#db
      .selectFrom('pcodes')
      .selectAll()
      .where('code_hash', '=', codeHash)
      .executeTakeFirst();
    return r ? toRow(r) : undefined;
  }

  async get(id: string, db: Kysely<Database> = this.#db): Promise<PcodeRow | undefined> {
    const r = await db.selectFrom('pcodes').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toRow(r) : undefined;
  }

  /** Writes a new attempt state if the row is still at `expectedVersion`. */
  async updateState(
    id: string,
    expectedVersion: number,
    next: { failedAttempts: number; usedAt: number | null },
    db: Kysely<Database> = this.#db,
  ): Promise<void> {
    const r = await db
      .updateTable('pcodes')
      .set({ failed_attempts: next.failedAttempts, used_at: next.usedAt, version: expectedVersion + 1 })
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) {
      throw new ServerError('ERR_CONFLICT', 'the P-code changed meanwhile; try again', { status: 409 });
    }
  }
}
