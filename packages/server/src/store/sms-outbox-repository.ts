// Storage of the development SMS outbox.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

export interface OutboxMessage {
  readonly id: string;
  readonly at: number;
  readonly to: string;
  readonly text: string;
}

export class SmsOutboxRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async add(message: { to: string; text: string }, now: number): Promise<OutboxMessage> {
    const row = { id: randomUUID(), at: now, to_number: message.to, text: message.text };
    await this.#db.insertInto('sms_outbox').values(row).execute();
    return { id: row.id, at: now, to: row.to_number, text: row.text };
  }

  /** Newest first. */
  async list(options: { to?: string; limit?: number } = {}): Promise<OutboxMessage[]> {
    let q = this.#db.selectFrom('sms_outbox').selectAll().orderBy('at', 'desc').orderBy('id', 'desc');
    if (options.to !== undefined) q = q.where('to_number', '=', options.to);
    const rows = await q.limit(options.limit ?? 50).execute();
    return rows.map((r) => ({ id: r.id, at: Number(r.at), to: r.to_number, text: r.text }));
  }
}
