// Identities: one per person. PII is sealed (AES-GCM, the identity id as associated data); lookups go
// through keyed hashes, so a stolen database reveals neither CPR numbers, documents nor user-IDs.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('identities')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('cpr_lookup', 'text', (c) => c.unique())
    .addColumn('document_lookup', 'text', (c) => c.notNull().unique())
    .addColumn('user_id_lookup', 'text', (c) => c.unique())
    .addColumn('pii_sealed', 'text', (c) => c.notNull())
    .addColumn('assurance', 'text', (c) => c.notNull())
    .addColumn('evidence', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('identities').execute();
}
