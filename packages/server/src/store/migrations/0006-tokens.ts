// Code displays and code readers (journey C): the token inventory imported from PSKC files (secrets
// sealed), orders by post (addresses sealed), and the password set when a device is activated.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tokens')
    .addColumn('serial', 'text', (c) => c.primaryKey())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('manufacturer', 'text')
    .addColumn('algorithm', 'text', (c) => c.notNull())
    .addColumn('digits', 'integer', (c) => c.notNull())
    .addColumn('period_seconds', 'integer', (c) => c.notNull())
    .addColumn('secret_sealed', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('identity_id', 'text')
    .addColumn('imported_at', 'bigint', (c) => c.notNull())
    .addColumn('activated_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .addColumn('last_counter', 'bigint')
    .addColumn('failed_attempts', 'integer', (c) => c.notNull())
    .addColumn('blocked_until', 'bigint')
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  // One active device of each model per identity, enforced by the database so racing activations
  // cannot both win (DESIGN §2: 1 active code display).
  await db.schema
    .createIndex('tokens_one_active_per_model')
    .on('tokens')
    .columns(['identity_id', 'model'])
    .unique()
    .where(sql.ref('status'), '=', 'active')
    .execute();
  await db.schema.createIndex('tokens_identity').on('tokens').column('identity_id').execute();

  await db.schema
    .createTable('token_orders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('identity_id', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('address_sealed', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('serial', 'text')
    .addColumn('fee_required', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('token_orders_identity').on('token_orders').column('identity_id').execute();
  // One order of each model on its way per identity, so two racing orders cannot both be placed.
  await db.schema
    .createIndex('token_orders_one_open_per_model')
    .on('token_orders')
    .columns(['identity_id', 'model'])
    .unique()
    .where(sql<boolean>`status in ('ordered', 'shipped', 'delivered')`)
    .execute();
  await db.schema.createIndex('token_orders_status').on('token_orders').column('status').execute();

  await db.schema
    .createTable('token_passwords')
    .addColumn('identity_id', 'text', (c) => c.primaryKey())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('strength', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('token_passwords').execute();
  await db.schema.dropTable('token_orders').execute();
  await db.schema.dropTable('tokens').execute();
}
