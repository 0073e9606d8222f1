// Opens the configured store (SQLite file in WAL mode, or a PostgreSQL pool) as a Kysely instance
// and runs migrations. No module-level connection: callers own what they open and close it.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, sql } from 'kysely';
import pg from 'pg';
import { ServerError } from '../errors.ts';
import { migrationProvider } from './migrations/index.ts';
import { TillidPostgresDialect, withPreparedStatements } from './postgres-prepared-pool.ts';
import type { Database, Dialect } from './schema.ts';
import { BACKSTOP_CHECKPOINT_PAGES, startCheckpointer } from './sqlite-checkpointer.ts';
import { TillidSqliteDialect } from './sqlite-dialect.ts';

export type DatabaseTarget =
  | { readonly kind: 'sqlite'; readonly path: string }
  | { readonly kind: 'postgres'; readonly url: string };

export interface OpenDatabase {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
}

const PG_INT8 = 20;
/** The session of the pipelines for `commit: 'async'` (prepared-query.ts; docs/operations.md). */
const ASYNC_COMMIT_OPTIONS = '-c synchronous_commit=off';
/** Two: the login benchmark's best on this 2-core machine (one left the server waiting on it, four gained nothing). */
const PG_PIPELINES = 2;

export interface OpenOptions {
  /** PostgreSQL: connections in the pool (transactions, and every statement without pipelines). */
  readonly poolSize?: number;
  /**
   * PostgreSQL: pipelined connections shared by the statements outside transactions (postgres-prepared-pool.ts);
   * 0 runs each of them on a pooled connection, a round trip each.
   */
  readonly pipelines?: number;
  /**
   * SQLite: WAL checkpoints in a thread of their own instead of inside commits (sqlite-checkpointer.ts), for a
   * long-running server. A short command keeps SQLite's own.
   */
  readonly backgroundCheckpoints?: boolean;
  /** Called when a background checkpoint fails for another reason than a busy file. */
  readonly onCheckpointError?: (message: string) => void;
}

export function openDatabase(target: DatabaseTarget, options: OpenOptions = {}): OpenDatabase {
  if (target.kind === 'sqlite') {
    if (target.path !== ':memory:') mkdirSync(dirname(target.path), { recursive: true });
    const database = new SQLite(target.path);
    // Opening may wait for another process (switching to WAL takes a lock); requests never do (below).
    database.pragma('busy_timeout = 5000');
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    database.pragma('foreign_keys = ON');
    // Waiting for another process's lock is done by SqliteConnection, off the event loop; SQLite's own
    // wait would sleep inside the call.
    database.pragma('busy_timeout = 0');
    let beforeClose: (() => Promise<void>) | undefined;
    if (options.backgroundCheckpoints && target.path !== ':memory:') {
      database.pragma(`wal_autocheckpoint = ${BACKSTOP_CHECKPOINT_PAGES}`);
      const checkpointer = startCheckpointer(
        target.path,
        options.onCheckpointError ? { onError: options.onCheckpointError } : {},
      );
      beforeClose = () => checkpointer.stop();
    }
    return {
      db: new Kysely<Database>({
        dialect: new TillidSqliteDialect(database, beforeClose),
      }),
      dialect: 'sqlite',
    };
  }
  const config = {
    connectionString: target.url,
    // Epoch-millisecond bigints fit a JS number; parse them per pool instead of changing pg's globals.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === PG_INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as never,
    },
  };
  const pool = new pg.Pool({ ...config, max: options.poolSize ?? 10 });
  const prepared = withPreparedStatements(pool, {
    pipelines: options.pipelines ?? PG_PIPELINES,
    openPipelined: (asyncCommit) =>
      new pg.Client({
        ...config,
        pipeline: true,
        // A startup parameter, not a SET: a connection pooler that does not pass it on refuses the connection
        // (or, told to ignore it, leaves the commits flushed) instead of carrying the setting to other clients.
        // `options` in DATABASE_URL takes precedence over this one, and these commits are then flushed.
        ...(asyncCommit ? { options: ASYNC_COMMIT_OPTIONS } : {}),
      } as pg.ClientConfig),
  });
  return {
    db: new Kysely<Database>({ dialect: new TillidPostgresDialect(prepared) }),
    dialect: 'postgres',
  };
}

export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: migrationProvider, migrationTableName: 'tillid_migrations' });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    throw new ServerError(
      'ERR_STORE',
      `migration failed: ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
      },
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export async function pingDatabase(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}
