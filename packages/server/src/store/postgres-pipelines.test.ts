// Statements outside transactions share pipelined PostgreSQL connections (postgres-prepared-pool.ts): each
// caller gets its own answer, an error stays with its statement, a transaction keeps a connection of its own,
// a connection that dies is replaced, and only the writes prepared as `async` commit without a flush.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Kysely, sql } from 'kysely';
import { createPostgresDatabase, PG_ADMIN_URL } from '../../test/helpers/test-databases.ts';
import { openDatabase } from './database.ts';
import { prepare, type Slots } from './prepared-query.ts';
import type { Database } from './schema.ts';

/** An insert answering its session's synchronous_commit, prepared with `commit` (or the default). */
const insertReporting = (commit?: 'async' | 'flushed') =>
  prepare(
    (db, s: Slots<{ id: number }>) =>
      db
        .insertInto('pipeline_test' as never)
        .values({ id: s.id, v: 'commit' } as never)
        .returning(sql<string>`current_setting('synchronous_commit')`.as('setting')),
    commit ? { commit } : {},
  );
const ASYNC_INSERT = insertReporting('async');
const FLUSHED_INSERT = insertReporting('flushed');
const DEFAULT_INSERT = insertReporting();
const READ_SETTING = prepare((db, _: Slots<{ none: null }>) =>
  db.selectNoFrom(sql<string>`current_setting('synchronous_commit')`.as('setting')),
);

const READ_SHAPE = prepare((db, s: Slots<{ id: number }>) =>
  db
    .selectFrom('shape_test' as never)
    .selectAll()
    .where('id' as never, '=', s.id as never),
);
const READ_PID = prepare((db, _: Slots<{ none: null }>) =>
  db.selectNoFrom(sql<number>`pg_backend_pid()`.as('pid')),
);

/** Ends these backends from a connection of their own, as a crash or an administrator would. */
async function terminate(pids: Iterable<number | undefined>): Promise<void> {
  const admin = openDatabase({ kind: 'postgres', url: PG_ADMIN_URL ?? '' }, { pipelines: 0 }).db;
  try {
    for (const pid of pids) await sql`select pg_terminate_backend(${pid})`.execute(admin);
  } finally {
    await admin.destroy();
  }
}

const backendPid = async (db: Kysely<Database>) =>
  (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db)).rows[0]?.pid;

describe('pipelined PostgreSQL connections', { skip: PG_ADMIN_URL ? undefined : 'no PostgreSQL' }, () => {
  let db: Kysely<Database>;
  let drop: () => Promise<void>;

  before(async () => {
    const created = await createPostgresDatabase(PG_ADMIN_URL ?? '');
    drop = created.drop;
    if (created.target.kind !== 'postgres') throw new TypeError('expected PostgreSQL');
    // The tests' server commits without flushing (scripts/test.mjs); this database's sessions start flushing.
    const setup = openDatabase(created.target, { pipelines: 0 }).db;
    await sql`do $$ begin execute format('alter database %I set synchronous_commit = on', current_database()); end $$`.execute(
      setup,
    );
    await setup.destroy();
    db = openDatabase(created.target, { pipelines: 2, poolSize: 3 }).db;
    await sql`create table pipeline_test (id integer primary key, v text not null)`.execute(db);
  });
  after(async () => {
    await db.destroy();
    await drop();
  });

  it('gives every one of many concurrent statements its own answer', async () => {
    const values = Array.from({ length: 300 }, (_, i) => i);
    const answers = await Promise.all(
      values.map(async (i) => (await sql<{ v: number }>`select ${i}::int * 2 as v`.execute(db)).rows[0]?.v),
    );
    assert.deepEqual(
      answers,
      values.map((i) => i * 2),
    );
  });

  it('keeps an error with its statement: the others sent with it succeed', async () => {
    await db
      .insertInto('pipeline_test' as never)
      .values({ id: 1, v: 'one' } as never)
      .execute();
    const results = await Promise.allSettled([
      sql`select 1 as v`.execute(db),
      db
        .insertInto('pipeline_test' as never)
        .values({ id: 1, v: 'again' } as never)
        .execute(),
      db
        .insertInto('pipeline_test' as never)
        .values({ id: 2, v: 'two' } as never)
        .execute(),
      sql`select 3 as v`.execute(db),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled', 'fulfilled'],
    );
    assert.equal((results[1] as PromiseRejectedResult).reason.code, '23505');
    const rows = await sql<{ id: number; v: string }>`select id, v from pipeline_test order by id`.execute(
      db,
    );
    assert.deepEqual(rows.rows, [
      { id: 1, v: 'one' },
      { id: 2, v: 'two' },
    ]);
  });

  it('runs a transaction on a connection of its own, unseen by the pipelines until it commits', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let inside: (value: number | undefined) => void = () => undefined;
    const insidePid = new Promise<number | undefined>((resolve) => {
      inside = resolve;
    });
    const trx = db.transaction().execute(async (t) => {
      await t
        .insertInto('pipeline_test' as never)
        .values({ id: 10, v: 'uncommitted' } as never)
        .execute();
      inside(await backendPid(t));
      await held;
      // Still the same connection at the end of the transaction.
      return backendPid(t);
    });
    const pid = await insidePid;
    const seen = await sql`select v from pipeline_test where id = 10`.execute(db);
    assert.deepEqual(seen.rows, []);
    const pipelinePids = new Set(await Promise.all([1, 2, 3, 4].map(() => backendPid(db))));
    assert.ok(!pipelinePids.has(pid), 'the transaction has its own connection');
    assert.ok(pipelinePids.size <= 2, 'single statements use the two pipelined connections');
    release();
    assert.equal(await trx, pid);
    const committed = await sql`select v from pipeline_test where id = 10`.execute(db);
    assert.deepEqual(committed.rows, [{ v: 'uncommitted' }]);
  });

  it('replaces a pipelined connection that dies', async () => {
    const pids = new Set(await Promise.all([1, 2].map(() => backendPid(db))));
    await terminate(pids);
    // A statement may still meet the dying connection; the ones after it get a new one.
    let answer: number | undefined;
    for (let attempt = 0; attempt < 5 && answer === undefined; attempt++) {
      answer = await sql<{ v: number }>`select 42 as v`
        .execute(db)
        .then((r) => r.rows[0]?.v)
        .catch(() => undefined);
    }
    assert.equal(answer, 42);
    const now = new Set(await Promise.all([1, 2].map(() => backendPid(db))));
    for (const pid of now) assert.ok(!pids.has(pid));
  });

  it('refuses a second statement on a pipelined db.connection(); a session lock keeps its own', async () => {
    await assert.rejects(
      db.connection().execute(async (c) => {
        await sql`select 1`.execute(c);
        await sql`select 2`.execute(c);
      }),
      { code: 'ERR_STORE' },
    );
    // Kysely's migrator: a session-level advisory lock, then statements and the unlock on the same connection.
    const unlocked = await db.connection().execute(async (c) => {
      await sql`select pg_advisory_lock(4242)`.execute(c);
      await sql`select 1`.execute(c);
      return (await sql<{ ok: boolean }>`select pg_advisory_unlock(4242) as ok`.execute(c)).rows[0]?.ok;
    });
    assert.equal(unlocked, true);
  });

  it('commits only the writes prepared as async without a flush; reads share their connections', async () => {
    const setting = async (q: typeof ASYNC_INSERT, id: number, on: Kysely<Database> = db) =>
      ((await q.first(on, { id })) as { setting?: string } | undefined)?.setting;
    assert.equal(await setting(ASYNC_INSERT, 100), 'off');
    assert.equal(await setting(FLUSHED_INSERT, 101), 'on');
    assert.equal(await setting(DEFAULT_INSERT, 102), 'on');
    // In a transaction every statement is flushed at its commit, whatever it was prepared with.
    assert.equal(await db.transaction().execute((t) => setting(ASYNC_INSERT, 103, t)), 'on');
    assert.equal(((await READ_SETTING.first(db, { none: null })) as { setting?: string })?.setting, 'off');
    // An async commit is seen by every connection as soon as it is reported.
    const seen = await sql<{
      id: number;
    }>`select id from pipeline_test where id between 100 and 103 order by id`.execute(db);
    assert.deepEqual(
      seen.rows.map((r) => r.id),
      [100, 101, 102, 103],
    );
  });

  it('never reads a row in a prepared shape a migration changed: refused at first, then read anew', async () => {
    await sql`create table shape_test (id integer primary key, a text not null)`.execute(db);
    await sql`insert into shape_test values (1, 'one')`.execute(db);
    // Each pipelined connection prepares it and learns its row shape on its first run.
    const reads = () => Promise.allSettled([1, 2, 3, 4].map(() => READ_SHAPE.first(db, { id: 1 })));
    for (const r of await reads()) assert.deepEqual(r, { status: 'fulfilled', value: { id: 1, a: 'one' } });

    // Another connection adds a column, as another node's migration would.
    await sql`alter table shape_test add column b text not null default 'new'`.execute(db);
    // A turn's statements go to one pipelined connection, the next turn's to the next one. The first run on
    // each connection is refused (with whatever was in flight behind it there); after that the statement runs
    // unprepared on it, with the new shape.
    for (let round = 0; round < 4; round++) {
      for (const r of await reads()) {
        if (r.status === 'fulfilled') assert.deepEqual(r.value, { id: 1, a: 'one', b: 'new' });
        else if (round < 2) assert.equal((r.reason as { code?: unknown }).code, '0A000');
        else assert.fail(`refused again: ${String(r.reason)}`);
      }
    }

    // New connections prepare the statement again and learn the new shape.
    // One turn each: each turn's statements go to the next connection.
    const pids = [await READ_PID.first(db, { none: null }), await READ_PID.first(db, { none: null })];
    assert.notEqual(pids[0]?.pid, pids[1]?.pid);
    await terminate(pids.map((row) => row?.pid));
    let after: unknown[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      after = (await reads()).flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      if (after.length === 4) break;
    }
    assert.deepEqual(after, Array(4).fill({ id: 1, a: 'one', b: 'new' }));
  });
});
