// Storage of code display orders by post; the postal address is sealed. Changes are compare-and-set.
import type { Kysely } from 'kysely';
import type { Database, TokenOrdersTable } from '../store/schema.ts';
import type { TokenModel } from './token-repository.ts';

export const ORDER_STATUSES = ['ordered', 'shipped', 'delivered', 'activated', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export const ORDER_LANGUAGES = ['da', 'en', 'kl'] as const;
export type OrderLanguage = (typeof ORDER_LANGUAGES)[number];

export interface OrderRow {
  readonly id: string;
  readonly identityId: string;
  readonly model: TokenModel;
  readonly language: OrderLanguage;
  readonly addressSealed: string;
  readonly status: OrderStatus;
  readonly serial: string | null;
  readonly feeRequired: boolean;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly version: number;
}

function toOrder(r: TokenOrdersTable): OrderRow {
  return {
    id: r.id,
    identityId: r.identity_id,
    model: r.model as TokenModel,
    language: r.language as OrderLanguage,
    addressSealed: r.address_sealed,
    status: r.status as OrderStatus,
    serial: r.serial,
    feeRequired: Number(r.fee_required) === 1,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    version: Number(r.version),
  };
}

export class TokenOrderRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  in(trx: Kysely<Database>): TokenOrderRepository {
    return new TokenOrderRepository(trx);
  }

  async insert(row: Omit<OrderRow, 'version' | 'updatedAt' | 'serial' | 'status'>): Promise<void> {
    await this.#db
      .insertInto('token_orders')
      .values({
        id: row.id,
        identity_id: row.identityId,
        model: row.model,
        language: row.language,
        address_sealed: row.addressSealed,
        status: 'ordered',
        serial: null,
        fee_required: row.feeRequired ? 1 : 0,
        created_at: row.createdAt,
        updated_at: row.createdAt,
        version: 1,
      })
      .execute();
  }

  async get(id: string): Promise<OrderRow | undefined> {
    const r = await this.#db.selectFrom('token_orders').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toOrder(r) : undefined;
  }

  async list(
    filter: { status?: OrderStatus; identityId?: string; limit?: number } = {},
  ): Promise<OrderRow[]> {
    let q = this.#db.selectFrom('token_orders').selectAll().orderBy('created_at', 'asc').orderBy('id', 'asc');
    if (filter.status !== undefined) q = q.where('status', '=', filter.status);
    if (filter.identityId !== undefined) q = q.where('identity_id', '=', filter.identityId);
    const rows = await q.limit(filter.limit ?? 1000).execute();
    return rows.map(toOrder);
  }

  async update(
    id: string,
    expectedVersion: number,
    change: { status: OrderStatus; serial?: string | null },
    now: number,
  ): Promise<boolean> {
    const r = await this.#db
      .updateTable('token_orders')
      .set({
        status: change.status,
        ...(change.serial === undefined ? {} : { serial: change.serial }),
        updated_at: now,
        version: expectedVersion + 1,
      })
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}
