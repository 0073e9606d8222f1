// The audit log as a hash chain: each event's hash covers its content and the previous hash, so a
// changed, removed or reordered event is found by `verify()` (and by `tillid audit verify`).
import { createHash, randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { ServerError } from '../errors.ts';
import type { Database, Dialect } from './schema.ts';

export interface AuditEventInput {
  readonly type: string;
  readonly actor?: string | null;
  readonly subject?: string | null;
  readonly data?: Readonly<Record<string, unknown>>;
}

export interface AuditEvent {
  readonly seq: number;
  readonly id: string;
  readonly at: number;
  readonly type: string;
  readonly actor: string | null;
  readonly subject: string | null;
  readonly data: Record<string, unknown>;
  readonly prevHash: string;
  readonly hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);
/** Any number works as long as every node uses the same one: it serialises appends on PostgreSQL. */
const AUDIT_LOCK_KEY = 7_461_746_900;

/** JSON with keys sorted at every depth, so the hash does not depend on property order. */
function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function auditHash(e: Omit<AuditEvent, 'hash'>): string {
  const body = canonicalJson({
    seq: e.seq,
    id: e.id,
    at: e.at,
    type: e.type,
    actor: e.actor,
    subject: e.subject,
    data: e.data,
    prevHash: e.prevHash,
  });
  return createHash('sha256').update(body).digest('hex');
}

function toEvent(row: Database['audit_events']): AuditEvent {
  return {
    seq: Number(row.seq),
    id: row.id,
    at: Number(row.at),
    type: row.type,
    actor: row.actor,
    subject: row.subject,
    data: JSON.parse(row.data) as Record<string, unknown>,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

export interface AuditVerification {
  readonly ok: boolean;
  readonly count: number;
  /** The first event whose hash or link does not hold. */
  readonly brokenAt?: number;
  readonly reason?: 'hash' | 'link' | 'sequence';
}

export class AuditRepository {
  readonly #db: Kysely<Database>;
  readonly #dialect: Dialect;

  constructor(db: Kysely<Database>, dialect: Dialect) {
    this.#db = db;
    this.#dialect = dialect;
  }

  /** Appends inside `trx` when given (so an identity change and its audit event commit together). */
  async append(input: AuditEventInput, now: number, trx?: Kysely<Database>): Promise<AuditEvent> {
    if (trx) return this.#appendIn(trx, input, now);
    return this.#db.transaction().execute((t) => this.#appendIn(t, input, now));
  }

  /**
   * Appends several events in one transaction, chained in the given order: one lock, one read of the chain's
   * head and one insert, however many events (a busy node's logins share the serialised part).
   */
  async appendMany(inputs: readonly { input: AuditEventInput; now: number }[]): Promise<AuditEvent[]> {
    if (inputs.length === 0) return [];
    return this.#db.transaction().execute((t) => this.#appendAllIn(t, inputs));
  }

  #appendIn(db: Kysely<Database>, input: AuditEventInput, now: number): Promise<AuditEvent> {
    return this.#appendAllIn(db, [{ input, now }]).then(([event]) => event as AuditEvent);
  }

  async #appendAllIn(
    db: Kysely<Database>,
    inputs: readonly { input: AuditEventInput; now: number }[],
  ): Promise<AuditEvent[]> {
    if (this.#dialect === 'postgres') await sql`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`.execute(db);
    const last = await db
      .selectFrom('audit_events')
      .select(['seq', 'hash'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    let seq = last ? Number(last.seq) : 0;
    let prevHash = last ? last.hash : GENESIS_HASH;
    const events = inputs.map(({ input, now }): AuditEvent => {
      const unhashed = {
        seq: ++seq,
        id: randomUUID(),
        at: now,
        type: input.type,
        actor: input.actor ?? null,
        subject: input.subject ?? null,
        data: { ...(input.data ?? {}) },
        prevHash,
      };
      prevHash = auditHash(unhashed);
      return { ...unhashed, hash: prevHash };
    });
    await db
      .insertInto('audit_events')
      .values(
        events.map((event) => ({
          seq: event.seq,
          id: event.id,
          at: event.at,
          type: event.type,
          actor: event.actor,
          subject: event.subject,
          data: canonicalJson(event.data),
          prev_hash: event.prevHash,
          hash: event.hash,
        })),
      )
      .execute();
    return events;
  }

  async list(options: { subject?: string; afterSeq?: number; limit?: number } = {}): Promise<AuditEvent[]> {
    let q = this.#db.selectFrom('audit_events').selectAll().orderBy('seq', 'asc');
    if (options.subject !== undefined) q = q.where('subject', '=', options.subject);
    if (options.afterSeq !== undefined) q = q.where('seq', '>', options.afterSeq);
    const rows = await q.limit(options.limit ?? 1000).execute();
    return rows.map(toEvent);
  }

  /** Walks the whole chain in pages; reports the first event that breaks it. */
  async verify(): Promise<AuditVerification> {
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1;
    let count = 0;
    for (;;) {
      const page = await this.list({ afterSeq: expectedSeq - 1, limit: 1000 });
      if (page.length === 0) return { ok: true, count };
      for (const e of page) {
        if (e.seq !== expectedSeq) return { ok: false, count, brokenAt: expectedSeq, reason: 'sequence' };
        if (e.prevHash !== prevHash) return { ok: false, count, brokenAt: e.seq, reason: 'link' };
        const { hash, ...rest } = e;
        if (auditHash(rest) !== hash) return { ok: false, count, brokenAt: e.seq, reason: 'hash' };
        prevHash = hash;
        expectedSeq++;
        count++;
      }
    }
  }

  /** Throws ERR_AUDIT_CHAIN_BROKEN unless the chain holds. */
  async requireIntact(): Promise<number> {
    const v = await this.verify();
    if (!v.ok) {
      throw new ServerError(
        'ERR_AUDIT_CHAIN_BROKEN',
        `audit chain broken at event ${v.brokenAt} (${v.reason})`,
        {
          details: { ...v },
        },
      );
    }
    return v.count;
  }
}
