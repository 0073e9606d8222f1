// The password set when a code display is activated (Argon2id hash), keyed by identity id.
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';

export class TokenPasswordRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  in(trx: Kysely<Database>): TokenPasswordRepository {
    return new TokenPasswordRepository(trx);
  }

  async get(identityId: string): Promise<{ passwordHash: string; strength: number } | undefined> {
    const r = await this.#db
      .selectFrom('token_passwords')
      .select(['password_hash', 'strength'])
      .where('identity_id', '=', identityId)
      .executeTakeFirst();
    return r ? { passwordHash: r.password_hash, strength: Number(r.strength) } : undefined;
  }

  async set(identityId: string, passwordHash: string, strength: number, now: number): Promise<void> {
    await this.#db
      .insertInto('token_passwords')
      .values({ identity_id: identityId, password_hash: passwordHash, strength, updated_at: now })
      .onConflict((oc) =>
        oc.column('identity_id').doUpdateSet({ password_hash: passwordHash, strength, updated_at: now }),
      )
      .execute();
  }
}
