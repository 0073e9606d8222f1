// The stores every persistence test runs against: a temporary SQLite file always, and a fresh
// PostgreSQL database when scripts/test.mjs started a server (TILLID_TEST_PG_ADMIN_URL).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import pg from 'pg';
import type { DatabaseTarget } from '../../src/store/database.ts';
import { openStore, type Store } from '../../src/store/store.ts';

export interface TestDatabase {
  readonly name: 'sqlite' | 'postgres';
  /** Why this store is skipped here, or undefined when it runs. */
  readonly skip: string | undefined;
  create(): Promise<{ target: DatabaseTarget; drop(): Promise<void> }>;
}

export const PG_ADMIN_URL = process.env['TILLID_TEST_PG_ADMIN_URL'];

async function createSqlite() {
  const dir = mkdtempSync(join(tmpdir(), 'tillid-test-'));
  return {
    target: { kind: 'sqlite', path: join(dir, 'test.db') } as const,
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A fresh database on the test PostgreSQL server, dropped again by `drop()`. */
export async function createPostgresDatabase(adminUrl: string) {
  const name = `tillid_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    target: { kind: 'postgres', url: url.toString() } as const,
    // Without FORCE: terminating sessions a closing pool still holds would surface as uncaught errors.
    // A database that is still in use is left for the throwaway cluster's removal.
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name}`).catch(() => undefined);
      await c.end();
    },
  };
}

export const TEST_DATABASES: readonly TestDatabase[] = [
  { name: 'sqlite', skip: undefined, create: createSqlite },
  {
    name: 'postgres',
    skip: PG_ADMIN_URL
      ? undefined
      : 'PostgreSQL is not available (run the suite with `npm test`, which starts one, or install postgresql)',
    create: () => createPostgresDatabase(PG_ADMIN_URL ?? ''),
  },
];

/**
 * Opens a fresh store of `database` before the enclosing suite and closes and drops it after.
 * Use inside `describe(…, { skip: database.skip }, () => { const t = useTestStore(database); … t.store … })`.
 */
export function useTestStore(database: TestDatabase): { readonly store: Store } {
  let store: Store | undefined;
  let drop: (() => Promise<void>) | undefined;
  before(async () => {
    const created = await database.create();
    drop = created.drop;
    store = await openStore(created.target);
  });
  after(async () => {
    await store?.close();
    await drop?.();
  });
  return {
    get store(): Store {
      if (!store) throw new Error('the test store is opened in before()');
      return store;
    },
  };
}
