// The SQLite side of the store: Kysely's SQLite dialect over better-sqlite3 with statements kept prepared,
// transactions that begin IMMEDIATE and lock waits off the event loop, so several processes can share one file.
import type SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  type SqliteDatabase,
  SqliteDialect,
  SqliteDriver,
} from 'kysely';

/** Distinct SQL texts kept prepared; the store issues a few dozen, so this is never reached in practice. */
const SQLITE_STATEMENT_CACHE = 500;

/**
 * Kysely prepares every query anew; preparing costs more than running most of ours. Statements are kept by
 * their SQL text (least recently used dropped first). Safe to share: the single connection runs one query at
 * a time, and SQLite re-prepares a statement itself after a schema change.
 */
export function withStatementCache(database: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => database.close(),
    prepare(text: string) {
      let statement = cache.get(text);
      if (statement) cache.delete(text);
      else {
        statement = database.prepare(text);
        if (cache.size >= SQLITE_STATEMENT_CACHE) cache.delete(cache.keys().next().value as string);
      }
      cache.set(text, statement);
      return statement;
    },
  };
}
/** How long a statement waits for another process's write lock before failing (SQLITE_BUSY). */
const SQLITE_BUSY_WAIT_MS = 5000;

function isBusy(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/**
 * The one SQLite connection. better-sqlite3 runs a statement synchronously, so a lock held by another process
 * throws SQLITE_BUSY at once (busy_timeout 0); the statement is then retried for up to SQLITE_BUSY_WAIT_MS
 * without blocking the event loop (SQLite's own busy_timeout sleeps inside the call, stalling every request of
 * this process). A statement that failed with SQLITE_BUSY changed nothing and leaves an open transaction open,
 * so running it again is safe. The fast path adds no promise of its own: with oidc-provider's
 * AsyncLocalStorage every promise in the process costs an async hook.
 */
class SqliteConnection implements DatabaseConnection {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  #run<R>(query: CompiledQuery): QueryResult<R> {
    const statement = this.#db.prepare(query.sql);
    if (statement.reader) return { rows: statement.all(query.parameters) as R[] };
    const { changes, lastInsertRowid } = statement.run(query.parameters);
    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
  }

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    try {
      return Promise.resolve(this.#run<R>(query));
    } catch (e) {
      if (!isBusy(e)) return Promise.reject(e);
      return this.#retry<R>(query, Date.now() + SQLITE_BUSY_WAIT_MS);
    }
  }

  async #retry<R>(query: CompiledQuery, deadline: number): Promise<QueryResult<R>> {
    for (let attempt = 0; ; attempt++) {
      // Other processes' write transactions last well under a millisecond: look again soon, then back off.
      await new Promise<void>((resolve) =>
        attempt < 8 ? setImmediate(resolve) : setTimeout(resolve, Math.min(20, attempt - 7)),
      );
      try {
        return this.#run<R>(query);
      } catch (e) {
        if (!isBusy(e) || Date.now() >= deadline) throw e;
      }
    }
  }

  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    for (const row of this.#db.prepare(query.sql).iterate(query.parameters)) yield { rows: [row as R] };
  }
}

/**
 * Kysely's SQLite driver with three changes. Transactions begin IMMEDIATE: several server processes may share
 * one file (`tillid start --workers N`), and with a deferred `begin` two processes that both read and then
 * write make the second fail with SQLITE_BUSY however long it waits (it cannot upgrade its read snapshot);
 * `begin immediate` takes the write lock up front, so waiting for it is an ordinary, retried busy wait.
 * Statements wait for another process's lock off the event loop (SqliteConnection). And the single
 * connection is handed out without Kysely's mutex, which makes a promise on every acquisition.
 */
class TillidSqliteDriver extends SqliteDriver implements Driver {
  readonly #database: SqliteDatabase;
  readonly #connection: SqliteConnection;
  readonly #waiting: (() => void)[] = [];
  readonly #beforeClose: (() => Promise<void>) | undefined;
  #taken = false;

  constructor(database: SqliteDatabase, beforeClose?: () => Promise<void>) {
    super({ database });
    this.#database = database;
    this.#connection = new SqliteConnection(database);
    this.#beforeClose = beforeClose;
  }

  override async init(): Promise<void> {}

  override acquireConnection(): Promise<DatabaseConnection> {
    if (!this.#taken) {
      this.#taken = true;
      return Promise.resolve(this.#connection);
    }
    return new Promise((resolve) => this.#waiting.push(() => resolve(this.#connection)));
  }

  override releaseConnection(): Promise<void> {
    // Handed straight to the next waiter, so nobody can slip in between.
    const next = this.#waiting.shift();
    if (next) next();
    else this.#taken = false;
    return Promise.resolve();
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    // SQLite "BEGIN TRANSACTION" §IMMEDIATE: the RESERVED (WAL: write) lock is taken at once.
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  override async destroy(): Promise<void> {
    await this.#beforeClose?.();
    this.#database.close();
  }
}

export class TillidSqliteDialect extends SqliteDialect {
  readonly #database: SqliteDatabase;
  readonly #beforeClose: (() => Promise<void>) | undefined;

  /** `beforeClose` runs when the database is destroyed, before its connection closes. */
  constructor(database: SqliteDatabase, beforeClose?: () => Promise<void>) {
    super({ database });
    this.#database = database;
    this.#beforeClose = beforeClose;
  }

  override createDriver(): Driver {
    return new TillidSqliteDriver(this.#database, this.#beforeClose);
  }
}
