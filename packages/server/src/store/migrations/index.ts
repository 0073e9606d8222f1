// The ordered list of migrations, shared by SQLite and PostgreSQL. Append only: never edit a released one.
import type { Migration, MigrationProvider } from 'kysely';
import * as foundation from './0001-foundation.ts';
import * as smsOutbox from './0002-sms-outbox.ts';
import * as pcodes from './0003-pcodes.ts';
import * as identities from './0004-identities.ts';
import * as oidc from './0005-oidc.ts';
import * as tokens from './0006-tokens.ts';
import * as appAuthenticator from './0007-app-authenticator.ts';
import * as oidcPartialIndexes from './0008-oidc-partial-indexes.ts';

const MIGRATIONS: Record<string, Migration> = {
  '0001-foundation': foundation,
  '0002-sms-outbox': smsOutbox,
  '0003-pcodes': pcodes,
  '0004-identities': identities,
  '0005-oidc': oidc,
  '0006-tokens': tokens,
  '0007-app-authenticator': appAuthenticator,
  '0008-oidc-partial-indexes': oidcPartialIndexes,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};
