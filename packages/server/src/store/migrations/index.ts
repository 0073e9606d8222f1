// The ordered list of migrations, shared by SQLite and PostgreSQL. Append only: never edit a released one.
import type { Migration, MigrationProvider } from 'kysely';
import * as foundation from './0001-foundation.ts';

const MIGRATIONS: Record<string, Migration> = {
  '0001-foundation': foundation,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};
