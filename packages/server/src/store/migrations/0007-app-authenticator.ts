// App instances (device key, keyed-hash PIN with an attempt counter, at most 3 per identity), the app's login
// approvals, WebAuthn credentials (app biometrics, FIDO2 chip), the notification outbox and the VAPID keys.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('app_instances')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('identity_id', 'text', (c) => c.notNull())
    .addColumn('slot', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('pin_hash', 'text', (c) => c.notNull())
    .addColumn('pin_failures', 'integer', (c) => c.notNull())
    .addColumn('push_sealed', 'text')
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('transfer_id', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint')
    .addColumn('locked_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  // DESIGN §2: at most 3 app instances per identity. Each holds one of the slots 1-3 until it is revoked, so
  // two racing activations cannot both take the last one.
  await db.schema
    .createIndex('app_instances_slot')
    .on('app_instances')
    .columns(['identity_id', 'slot'])
    .unique()
    .where(sql<boolean>`status <> 'revoked'`)
    .execute();
  await db.schema.createIndex('app_instances_identity').on('app_instances').column('identity_id').execute();

  // Signatures of app requests already accepted (replay protection within their validity window).
  await db.schema
    .createTable('app_request_nonces')
    .addColumn('nonce', 'text', (c) => c.primaryKey())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('app_login_approvals')
    .addColumn('login_id', 'text', (c) => c.primaryKey())
    .addColumn('identity_id', 'text')
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('client_name', 'text', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('qr_secret_hash', 'text', (c) => c.notNull())
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('challenge', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('opened_by', 'text')
    .addColumn('decided_by', 'text')
    .addColumn('factors', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('app_login_approvals_identity')
    .on('app_login_approvals')
    .columns(['identity_id', 'status'])
    .execute();

  await db.schema
    .createTable('webauthn_credentials')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('identity_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('app_instance_id', 'text')
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('counter', 'bigint', (c) => c.notNull())
    .addColumn('transports', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint')
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  // One active chip (FIDO2 security key) per identity; one biometrics credential per app instance.
  await db.schema
    .createIndex('webauthn_one_chip')
    .on('webauthn_credentials')
    .column('identity_id')
    .unique()
    .where(sql<boolean>`kind = 'chip' and status = 'active'`)
    .execute();
  await db.schema
    .createIndex('webauthn_one_biometrics')
    .on('webauthn_credentials')
    .column('app_instance_id')
    .unique()
    .where(sql<boolean>`kind = 'app-biometrics' and status = 'active'`)
    .execute();
  await db.schema.createIndex('webauthn_identity').on('webauthn_credentials').column('identity_id').execute();

  await db.schema
    .createTable('app_notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('identity_id', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('app_notifications_identity')
    .on('app_notifications')
    .columns(['identity_id', 'at'])
    .execute();

  await db.schema
    .createTable('app_vapid_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('private_key_sealed', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'app_vapid_keys',
    'app_notifications',
    'webauthn_credentials',
    'app_login_approvals',
    'app_request_nonces',
    'app_instances',
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
