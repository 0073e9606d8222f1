// Persisted flows: each transition is a compare-and-set on the version, so a retried or raced
// request can never apply twice, and any server node can continue any flow.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { ServerError } from '../errors.ts';
import { LOGIN_STATE, prepare, type Slots } from './prepared-query.ts';
import type { Database } from './schema.ts';

export interface FlowRecord<C = unknown> {
  readonly id: string;
  readonly kind: string;
  readonly state: string;
  readonly version: number;
  readonly expiresAt: number;
  readonly context: C;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface NewFlow<C> {
  readonly id?: string;
  readonly kind: string;
  readonly state: string;
  readonly expiresAt: number;
  readonly context: C;
  /** A login's record, short-lived state whose insert may commit `async` (prepared-query.ts); others never. */
  readonly loginState?: boolean;
}

export interface FlowTransition<C> {
  readonly expectedVersion: number;
  readonly state: string;
  readonly context?: C;
  readonly expiresAt?: number;
}

function toRecord<C>(row: Database['flows']): FlowRecord<C> {
  return {
    id: row.id,
    kind: row.kind,
    state: row.state,
    version: Number(row.version),
    expiresAt: Number(row.expires_at),
    context: JSON.parse(row.context) as C,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

const GET = prepare((db, s: Slots<{ id: string }>) =>
  db.selectFrom('flows').selectAll().where('id', '=', s.id),
);
const insertFlow = (db: Kysely<Database>, s: Slots<Database['flows']>) =>
  db.insertInto('flows').values({
    id: s.id,
    kind: s.kind,
    state: s.state,
    version: s.version,
    expires_at: s.expires_at,
    context: s.context,
    created_at: s.created_at,
    updated_at: s.updated_at,
  });
const CREATE = prepare(insertFlow);
const CREATE_LOGIN_STATE = prepare(insertFlow, LOGIN_STATE);

export class FlowRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async create<C>(flow: NewFlow<C>, now: number): Promise<FlowRecord<C>> {
    const row = {
      id: flow.id ?? randomUUID(),
      kind: flow.kind,
      state: flow.state,
      version: 1,
      expires_at: flow.expiresAt,
      context: JSON.stringify(flow.context),
      created_at: now,
      updated_at: now,
    };
    await (flow.loginState ? CREATE_LOGIN_STATE : CREATE).execute(this.#db, row);
    return toRecord<C>(row);
  }

  /** The flow, or undefined when it does not exist (expired flows are returned; callers decide). */
  async get<C>(id: string, db: Kysely<Database> = this.#db): Promise<FlowRecord<C> | undefined> {
    const row = await GET.first(db, { id });
    return row ? toRecord<C>(row) : undefined;
  }

  /** Applies a transition only if the stored version is still `expectedVersion`. */
  async transition<C>(
    id: string,
    t: FlowTransition<C>,
    now: number,
    db: Kysely<Database> = this.#db,
  ): Promise<FlowRecord<C>> {
    const set: Partial<Database['flows']> = {
      state: t.state,
      version: t.expectedVersion + 1,
      updated_at: now,
    };
    if (t.context !== undefined) set.context = JSON.stringify(t.context);
    if (t.expiresAt !== undefined) set.expires_at = t.expiresAt;
    const result = await db
      .updateTable('flows')
      .set(set)
      .where('id', '=', id)
      .where('version', '=', t.expectedVersion)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) {
      const current = await this.get(id, db);
      if (!current) throw new ServerError('ERR_FLOW_NOT_FOUND', 'flow not found', { status: 404 });
      throw new ServerError('ERR_FLOW_VERSION', 'the flow changed meanwhile; reload it and try again', {
        status: 409,
        details: { expectedVersion: t.expectedVersion, actualVersion: current.version },
      });
    }
    const updated = await this.get<C>(id, db);
    if (!updated) throw new ServerError('ERR_FLOW_NOT_FOUND', 'flow not found', { status: 404 });
    return updated;
  }

  async delete(id: string): Promise<boolean> {
    const r = await this.#db.deleteFrom('flows').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) === 1;
  }

  async deleteExpired(now: number): Promise<number> {
    const r = await this.#db.deleteFrom('flows').where('expires_at', '<=', now).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
