// No prepared query (the statements on a login's path) reads a whole table on SQLite: each finds its rows
// through an index, as SQLite's query planner says (EXPLAIN QUERY PLAN), with the schema of every migration.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CompiledQuery, type Kysely } from 'kysely';
import '../app-authenticator/app-instance-repository.ts';
import '../app-authenticator/approval-repository.ts';
import '../app-authenticator/webauthn-credential-repository.ts';
import '../oidc/kysely-adapter.ts';
import '../oidc/login/interaction-store.ts';
import './flow-repository.ts';
import './identity-repository.ts';
import './rate-limit-repository.ts';
import { migrateToLatest, openDatabase } from './database.ts';
import { preparedQueries } from './prepared-query.ts';
import type { Database } from './schema.ts';

describe('query plans of the prepared queries (SQLite)', () => {
  let db: Kysely<Database>;
  before(async () => {
    db = openDatabase({ kind: 'sqlite', path: ':memory:' }).db;
    await migrateToLatest(db);
  });
  after(() => db.destroy());

  it('finds its rows through an index, every one of them', async () => {
    assert.ok(preparedQueries().length >= 20, `${preparedQueries().length} prepared queries`);
    for (const query of preparedQueries()) {
      const { sql, parameters } = query.compiled(db);
      const { rows } = await db.executeQuery<{ detail: string }>(
        CompiledQuery.raw(
          `explain query plan ${sql}`,
          parameters.map(() => 0),
        ),
      );
      const scans = rows.map((r) => r.detail).filter((d) => /^SCAN (?!.* USING (COVERING )?INDEX)/.test(d));
      assert.deepEqual(scans, [], sql);
    }
  });
});
