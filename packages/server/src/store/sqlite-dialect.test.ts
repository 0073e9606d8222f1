// Statements outside transactions run in groups, one SQLite transaction for each turn of the event loop
// (sqlite-dialect.ts): seen from SQLite's own write-ahead log, a group commits once; each statement still gets
// its own result or its own error, a failing one changes nothing of the others, Kysely's transactions stay
// their own, and another connection's lock is waited for without blocking the event loop.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { openStore, type Store } from './store.ts';

const dir = mkdtempSync(join(tmpdir(), 'tillid-groups-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const flow = (id: string, context: unknown = {}) => ({
  id,
  kind: 'group-test',
  state: 'started',
  expiresAt: 10_000,
  context,
});

describe('SQLite statements grouped by turn of the event loop', () => {
  let store: Store;
  let path: string;
  let n = 0;
  beforeEach(async () => {
    path = join(dir, `groups-${++n}.db`);
    store = await openStore({ kind: 'sqlite', path });
  });
  afterEach(() => store.close());

  /** Bytes the write-ahead log grows by while `work` runs (no checkpoint resets it: far below 1000 pages). */
  async function walGrowth(work: () => Promise<unknown>): Promise<number> {
    const before = statSync(`${path}-wal`).size;
    await work();
    return statSync(`${path}-wal`).size - before;
  }

  it('commits the statements of one turn together, each with its own result', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => `together-${i}`);
    // Apart: each insert a transaction of its own, each appending at least one page to the log.
    const apart = await walGrowth(async () => {
      for (const id of ids) await store.flows.create(flow(`${id}-apart`), 1);
    });
    const together = await walGrowth(() => Promise.all(ids.map((id) => store.flows.create(flow(id), 1))));
    assert.ok(apart >= 20 * 4096, `apart: ${apart} bytes`);
    assert.ok(together * 5 < apart, `together: ${together} bytes, apart: ${apart}`);
    // Reads and writes of one turn: every caller gets its own answer.
    const answers = await Promise.all([
      store.flows.get(ids[3] as string),
      store.flows.transition(ids[4] as string, { expectedVersion: 1, state: 'moved' }, 2),
      store.flows.get('no-such-flow'),
      store.flows.get(ids[5] as string),
    ]);
    assert.equal(answers[0]?.id, ids[3]);
    assert.equal(answers[1].state, 'moved');
    assert.equal(answers[2], undefined);
    assert.equal(answers[3]?.state, 'started');
    assert.equal((await store.flows.get(ids[4] as string))?.version, 2);
  });

  it('fails a failing statement alone: the others of its group are committed', async () => {
    await store.flows.create(flow('taken'), 1);
    const results = await Promise.allSettled([
      store.flows.create(flow('first'), 1),
      store.flows.create(flow('taken'), 1),
      store.flows.create(flow('last'), 1),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    assert.match(String((results[1] as PromiseRejectedResult).reason?.code), /^SQLITE_CONSTRAINT/);
    assert.ok(await store.flows.get('first'));
    assert.ok(await store.flows.get('last'));
    assert.equal((await store.flows.get('taken'))?.version, 1);
  });

  it('runs the others again when SQLite gives up the whole transaction (a full database)', async () => {
    const [{ page_count: pages }] = (await sql<{ page_count: number }>`pragma page_count`.execute(store.db))
      .rows as [{ page_count: number }];
    await sql.raw(`pragma max_page_count = ${pages + 4}`).execute(store.db);
    const results = await Promise.allSettled([
      store.flows.create(flow('small-1'), 1),
      store.flows.create(flow('huge', { blob: 'x'.repeat(200_000) }), 1),
      store.flows.create(flow('small-2'), 1),
    ]);
    await sql.raw('pragma max_page_count = 1073741823').execute(store.db);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    assert.equal((results[1] as PromiseRejectedResult).reason?.code, 'SQLITE_FULL');
    assert.ok(await store.flows.get('small-1'));
    assert.ok(await store.flows.get('small-2'));
    assert.equal(await store.flows.get('huge'), undefined);
  });

  it("keeps Kysely's transactions their own: statements from outside wait for the end", async () => {
    let outside: Promise<unknown> = Promise.resolve();
    await assert.rejects(
      store.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('flows')
          .values({
            id: 'in-transaction',
            kind: 'group-test',
            state: 'started',
            version: 1,
            expires_at: 10_000,
            context: '{}',
            created_at: 1,
            updated_at: 1,
          })
          .execute();
        // Not awaited here: runs after the transaction ends, and does not see its row.
        outside = Promise.all([store.flows.create(flow('outside'), 1), store.flows.get('in-transaction')]);
        await new Promise((resolve) => setTimeout(resolve, 20));
        throw new Error('roll back');
      }),
      /roll back/,
    );
    const [, seen] = (await outside) as [unknown, unknown];
    assert.equal(seen, undefined);
    assert.ok(await store.flows.get('outside'));
    assert.equal(await store.flows.get('in-transaction'), undefined);
  });

  it('runs statements and transactions in the order they were asked for', async () => {
    const created = store.flows.create(flow('before-the-transaction'), 1);
    const seen = await store.db
      .transaction()
      .execute((trx) =>
        trx.selectFrom('flows').select('id').where('id', '=', 'before-the-transaction').executeTakeFirst(),
      );
    await created;
    assert.deepEqual(seen, { id: 'before-the-transaction' });
  });

  it('runs a statement issued just before the store closes', async () => {
    const created = store.flows.create(flow('last-word'), 1);
    await store.close();
    await created;
    const reopened = await openStore({ kind: 'sqlite', path }, { migrate: false });
    try {
      assert.ok(await reopened.flows.get('last-word'));
    } finally {
      await reopened.close();
    }
  });

  it("waits for another connection's write lock without blocking the event loop", async () => {
    const other = new SQLite(path);
    try {
      other.prepare('begin immediate').run();
      const ticks: number[] = [];
      const ticker = setInterval(() => ticks.push(Date.now()), 5);
      const writes = Promise.all(['w-1', 'w-2', 'w-3'].map((id) => store.flows.create(flow(id), 1)));
      await new Promise((resolve) => setTimeout(resolve, 60));
      clearInterval(ticker);
      assert.ok(ticks.length >= 5, `the event loop ran ${ticks.length} times while the lock was held`);
      const reader = new SQLite(path, { readonly: true });
      const written = reader.prepare("select count(*) as n from flows where id like 'w-%'").get();
      reader.close();
      assert.deepEqual(written, { n: 0 }, 'nothing written while the lock was held');
      other.prepare('commit').run();
      await writes;
      for (const id of ['w-1', 'w-2', 'w-3']) assert.ok(await store.flows.get(id));
    } finally {
      other.close();
    }
  });
});
