// Fixed-window counters kept in the database, so every server node counts the same attempts.
import { type Kysely, sql } from 'kysely';
import { prepare, type Slots } from './prepared-query.ts';
import type { Database } from './schema.ts';

export interface RateLimitHit {
  /** Attempts in the current window, this one included. */
  readonly count: number;
  /** When the current window ends (epoch ms). */
  readonly resetAt: number;
}

const HIT = prepare((db, s: Slots<{ key: string; windowStart: number; expiresAt: number }>) =>
  db
    .insertInto('rate_limits')
    .values({ key: s.key, window_start: s.windowStart, count: 1, expires_at: s.expiresAt })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        count: sql`case when rate_limits.window_start = excluded.window_start then rate_limits.count + 1 else 1 end`,
        window_start: sql`excluded.window_start`,
        expires_at: sql`excluded.expires_at`,
      }),
    )
    .returning(['count', 'expires_at']),
);

export class RateLimitRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** Counts one attempt for `key` in the window of `windowMs` that contains `now`, atomically. */
  async hit(key: string, options: { windowMs: number; now: number }): Promise<RateLimitHit> {
    const windowStart = options.now - (options.now % options.windowMs);
    const expiresAt = windowStart + options.windowMs;
    const row = await HIT.first(this.#db, { key, windowStart, expiresAt });
    if (!row) throw new TypeError('rate limit upsert returned no row');
    return { count: Number(row.count), resetAt: Number(row.expires_at) };
  }

  /** Attempts so far in the current window, without counting one. */
  async peek(key: string, now: number): Promise<number> {
    const row = await this.#db
      .selectFrom('rate_limits')
      .select(['count', 'expires_at'])
      .where('key', '=', key)
      .executeTakeFirst();
    return row && Number(row.expires_at) > now ? Number(row.count) : 0;
  }

  async reset(key: string): Promise<void> {
    await this.#db.deleteFrom('rate_limits').where('key', '=', key).execute();
  }

  async deleteExpired(now: number): Promise<number> {
    const r = await this.#db.deleteFrom('rate_limits').where('expires_at', '<=', now).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
