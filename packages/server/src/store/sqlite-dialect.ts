// The SQLite side of the store: Kysely's SQLite dialect over better-sqlite3 with statements kept prepared,
// transactions that begin IMMEDIATE and lock waits off the event loop, so several processes can share one file,
// and the statements outside transactions of one turn of the event loop committed together.
import type SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  type QueryResult,
  SqliteDialect,
  SqliteDriver,
} from 'kysely';
import { registerDirectRunner } from './direct-runner.ts';

/** Distinct SQL texts kept prepared; the store issues a few dozen, so this is never reached in practice. */
const SQLITE_STATEMENT_CACHE = 500;

/** How long a statement waits for another process's write lock before failing (SQLITE_BUSY). */
const SQLITE_BUSY_WAIT_MS = 5000;

function isBusy(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/** Attempts that look again on the next turn of the event loop before pause() backs off (1, 2, … 20 ms). */
const PAUSE_SPINS = 8;

/** Waits before looking again: other processes' write transactions last well under a millisecond. */
function pause(attempt: number): Promise<void> {
  return new Promise<void>((resolve) =>
    attempt < PAUSE_SPINS
      ? setImmediate(resolve)
      : setTimeout(resolve, Math.min(20, attempt - PAUSE_SPINS + 1)),
  );
}

/** How long a group that found the write lock taken keeps looking again on each turn of the event loop. */
const BUSY_SPIN_MS = 1;

const BEGIN = 'begin';
/** SQLite "BEGIN TRANSACTION" §IMMEDIATE: the RESERVED (WAL: write) lock is taken at once. */
const BEGIN_IMMEDIATE = 'begin immediate';

/** A statement gathered outside a transaction, with its caller's promise. */
interface Gathered {
  readonly query: CompiledQuery;
  readonly resolve: (result: QueryResult<unknown>) => void;
  readonly reject: (e: unknown) => void;
  /** Set when another process's lock first kept it waiting: past it, the statement fails with SQLITE_BUSY. */
  deadline?: number;
}

/** What running a group of statements left to do: those to run again, and why. */
interface Leftover {
  readonly again: readonly Gathered[];
  /** SQLITE_BUSY: another process held a lock, so wait before running them again. */
  readonly busy?: unknown;
}
const DONE: Leftover = { again: [] };

/**
 * The one SQLite connection of this process, shared by all its requests. better-sqlite3 runs a statement
 * synchronously, so a lock held by another process throws SQLITE_BUSY at once (busy_timeout 0); the statement
 * is then retried for up to SQLITE_BUSY_WAIT_MS without blocking the event loop (SQLite's own busy_timeout
 * sleeps inside the call, stalling every request of this process).
 *
 * Statements outside a transaction are gathered for one turn of the event loop and run one after the other,
 * in the order they came, inside one transaction of their own ("group commit"). Under load every request in
 * flight has a statement waiting; one transaction for all of them takes the file's locks, reads the WAL index
 * (and, after another process's commit, refills the page cache SQLite then drops) and appends to the WAL once
 * instead of once each. Each statement stays atomic, as alone, and its caller gets the result only after the
 * commit, so what it sees is what it would have seen with a transaction of its own. A statement that fails is
 * undone alone (SQLite rolls back just that statement; "Response To Errors Within A Transaction") and only its
 * caller gets the error; should SQLite have given up the whole transaction, the others run again. A lone
 * statement runs without a transaction of its own, as it always did.
 *
 * A transaction of Kysely's holds the connection from its begin to its end: what was gathered before it runs
 * first, its own statements run at once, and statements gathered meanwhile wait for its end (as they did for
 * the connection before). A statement makes one promise, its caller's: with oidc-provider's AsyncLocalStorage
 * every promise in the process costs an async hook.
 */
class SqliteConnection {
  readonly #db: SQLite.Database;
  readonly #statements = new Map<string, SQLite.Statement>();
  #gathered: Gathered[] = [];
  #scheduled = false;
  /** Since when (performance.now()) groups have found the write lock taken, and how often since spinning. */
  #busySince = 0;
  #busyAttempts = 0;
  /** A transaction holds the connection; others wait here for it, in turn. */
  #held = false;
  readonly #waiting: (() => void)[] = [];

  constructor(db: SQLite.Database) {
    this.#db = db;
  }

  /**
   * Kysely prepares every query anew; preparing costs more than running most of ours. Statements are kept by
   * their SQL text (least recently used dropped first). SQLite re-prepares a statement itself after a schema
   * change.
   */
  #prepare(text: string): SQLite.Statement {
    let statement = this.#statements.get(text);
    if (statement) this.#statements.delete(text);
    else {
      statement = this.#db.prepare(text);
      if (this.#statements.size >= SQLITE_STATEMENT_CACHE)
        this.#statements.delete(this.#statements.keys().next().value as string);
    }
    this.#statements.set(text, statement);
    return statement;
  }

  #run<R>(query: CompiledQuery, statement = this.#prepare(query.sql)): QueryResult<R> {
    if (statement.reader) return { rows: statement.all(query.parameters) as R[] };
    const { changes, lastInsertRowid } = statement.run(query.parameters);
    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
  }

  /** A statement of the transaction that holds the connection: run at once. */
  executeHeld<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    try {
      return Promise.resolve(this.#run<R>(query));
    } catch (e) {
      if (!isBusy(e)) return Promise.reject(e);
      return this.#retryHeld<R>(query, Date.now() + SQLITE_BUSY_WAIT_MS);
    }
  }

  async #retryHeld<R>(query: CompiledQuery, deadline: number): Promise<QueryResult<R>> {
    for (let attempt = 0; ; attempt++) {
      await pause(attempt);
      try {
        return this.#run<R>(query);
      } catch (e) {
        if (!isBusy(e) || Date.now() >= deadline) throw e;
      }
    }
  }

  /** A statement outside a transaction: gathered, run with the others of this turn of the event loop. */
  gather<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return new Promise((resolve, reject) => {
      this.#gathered.push({ query, resolve: resolve as Gathered['resolve'], reject });
      this.#schedule();
    });
  }

  *stream<R>(query: CompiledQuery): IterableIterator<QueryResult<R>> {
    for (const row of this.#prepare(query.sql).iterate(query.parameters)) yield { rows: [row as R] };
  }

  /**
   * For a transaction: resolves once the connection is its own. Statements gathered before it run first, so
   * statements and transactions run in the order they were asked for (but for statements another process's
   * lock keeps waiting: those run after the transaction).
   */
  hold(): Promise<void> {
    if (!this.#held) {
      if (this.#gathered.length > 0) this.#flush();
      this.#held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  /** The transaction is over: what was gathered meanwhile runs, then the next transaction takes its turn. */
  unhold(): void {
    this.#held = false;
    if (this.#gathered.length > 0) this.#flush();
    const next = this.#waiting.shift();
    if (next) {
      this.#held = true;
      next();
    }
  }

  /** Runs what is gathered now, before the connection closes (unless a transaction still holds it). */
  flushNow(): void {
    if (!this.#held && this.#gathered.length > 0) this.#flush();
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(this.#onTurn);
  }

  readonly #onTurn = (): void => {
    this.#scheduled = false;
    if (!this.#held) this.#flush();
  };

  #flush(): void {
    const group = this.#gathered;
    this.#gathered = [];
    const left = group.length === 1 ? this.#runAlone(group[0] as Gathered) : this.#runGroup(group);
    if (left.again.length === 0) {
      this.#busySince = 0;
      this.#busyAttempts = 0;
      return;
    }
    let again = left.again;
    if (left.busy !== undefined) {
      const now = Date.now();
      again = again.filter((g) => {
        g.deadline ??= now + SQLITE_BUSY_WAIT_MS;
        if (now < g.deadline) return true;
        g.reject(left.busy);
        return false;
      });
    }
    this.#gathered = [...again, ...this.#gathered];
    if (this.#gathered.length === 0 || this.#scheduled) return;
    this.#scheduled = true;
    if (left.busy === undefined) {
      setImmediate(this.#onTurn);
      return;
    }
    // Another process's group has the write lock, for well under a millisecond: look again on the next turns
    // of the event loop (after the requests that came meanwhile) for BUSY_SPIN_MS, then back off.
    const now = performance.now();
    if (this.#busySince === 0) this.#busySince = now;
    if (now - this.#busySince < BUSY_SPIN_MS) setImmediate(this.#onTurn);
    else void pause(PAUSE_SPINS + this.#busyAttempts++).then(this.#onTurn);
  }

  #runAlone(g: Gathered): Leftover {
    try {
      g.resolve(this.#run(g.query));
      return DONE;
    } catch (e) {
      if (isBusy(e)) return { again: [g], busy: e };
      g.reject(e);
      return DONE;
    }
  }

  #runGroup(group: readonly Gathered[]): Leftover {
    const statements = group.map((g) => this.#prepare(g.query.sql));
    const writes = statements.some((statement) => !statement.reader);
    const stackTraceLimit = Error.stackTraceLimit;
    try {
      // A group that writes takes the write lock up front, as Kysely's transactions do (TillidSqliteDriver).
      // Under load another process often has it; nobody looks at the stack of that SQLITE_BUSY.
      Error.stackTraceLimit = 0;
      this.#prepare(writes ? BEGIN_IMMEDIATE : BEGIN).run();
    } catch (e) {
      if (isBusy(e)) return { again: group, busy: e };
      for (const g of group) g.reject(e);
      return DONE;
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
    const results: (QueryResult<unknown> | undefined)[] = [];
    const errors = new Map<number, unknown>();
    for (let i = 0; i < group.length; i++) {
      try {
        results.push(this.#run((group[i] as Gathered).query, statements[i]));
      } catch (e) {
        if (isBusy(e)) return { again: group, busy: this.#abandon(e) };
        results.push(undefined);
        errors.set(i, e);
        if (!this.#db.inTransaction) {
          // SQLite gave up the whole transaction (a full disk, say): this one failed, the others run again.
          (group[i] as Gathered).reject(e);
          return { again: group.filter((_, j) => j !== i) };
        }
      }
    }
    try {
      this.#prepare('commit').run();
    } catch (e) {
      if (isBusy(e)) return { again: group, busy: this.#abandon(e) };
      this.#abandon(e);
      for (const g of group) g.reject(e);
      return DONE;
    }
    group.forEach((g, i) => {
      if (errors.has(i)) g.reject(errors.get(i));
      else g.resolve(results[i] as QueryResult<unknown>);
    });
    return DONE;
  }

  /** Rolls the group's transaction back, if SQLite has not already; returns `e`. */
  #abandon(e: unknown): unknown {
    if (this.#db.inTransaction) this.#prepare('rollback').run();
    return e;
  }
}

/** Kysely's view of the connection: one per statement, transaction or `db.connection()`. */
class SqliteHandle implements DatabaseConnection {
  readonly #connection: SqliteConnection;
  /** Between its begin and its end, a transaction holds the connection. */
  #holding = false;

  constructor(connection: SqliteConnection) {
    this.#connection = connection;
  }

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return this.#holding ? this.#connection.executeHeld<R>(query) : this.#connection.gather<R>(query);
  }

  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    yield* this.#connection.stream<R>(query);
  }

  async begin(): Promise<void> {
    await this.#connection.hold();
    this.#holding = true;
    await this.#connection.executeHeld(CompiledQuery.raw(BEGIN_IMMEDIATE));
  }

  release(): void {
    if (!this.#holding) return;
    this.#holding = false;
    this.#connection.unhold();
  }
}

/**
 * Kysely's SQLite driver with three changes. Transactions begin IMMEDIATE: several server processes may share
 * one file (`tillid start --workers N`), and with a deferred `begin` two processes that both read and then
 * write make the second fail with SQLITE_BUSY however long it waits (it cannot upgrade its read snapshot);
 * `begin immediate` takes the write lock up front, so waiting for it is an ordinary, retried busy wait.
 * Statements wait for another process's lock off the event loop, and statements outside transactions run in
 * groups (SqliteConnection). And connections are handed out without Kysely's mutex, which makes a promise on
 * every acquisition.
 */
class TillidSqliteDriver extends SqliteDriver implements Driver {
  readonly #database: SQLite.Database;
  readonly #connection: SqliteConnection;
  /**
   * Handles given back, to hand out again: Kysely keeps every connection it was ever given, so there are only
   * as many as were ever in use at once.
   */
  readonly #free: SqliteHandle[] = [];
  readonly #beforeClose: (() => Promise<void>) | undefined;

  constructor(database: SQLite.Database, connection: SqliteConnection, beforeClose?: () => Promise<void>) {
    super({ database });
    this.#database = database;
    this.#connection = connection;
    this.#beforeClose = beforeClose;
  }

  override async init(): Promise<void> {}

  override acquireConnection(): Promise<DatabaseConnection> {
    return Promise.resolve(this.#free.pop() ?? new SqliteHandle(this.#connection));
  }

  // Kysely passes the connection (Driver); its SqliteDriver declares none, having just the one.
  override releaseConnection(connection?: DatabaseConnection): Promise<void> {
    const handle = connection as SqliteHandle;
    handle.release();
    this.#free.push(handle);
    return Promise.resolve();
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as SqliteHandle).begin();
  }

  override async destroy(): Promise<void> {
    await this.#beforeClose?.();
    // A statement issued just before is still waiting for its turn of the event loop.
    this.#connection.flushNow();
    this.#database.close();
  }
}

export class TillidSqliteDialect extends SqliteDialect {
  readonly #database: SQLite.Database;
  readonly #connection: SqliteConnection;
  readonly #beforeClose: (() => Promise<void>) | undefined;

  /** `beforeClose` runs when the database is destroyed, before its connection closes. */
  constructor(database: SQLite.Database, beforeClose?: () => Promise<void>) {
    super({ database });
    this.#database = database;
    this.#connection = new SqliteConnection(database);
    this.#beforeClose = beforeClose;
  }

  override createAdapter(): DialectAdapter {
    const adapter = super.createAdapter();
    const connection = this.#connection;
    registerDirectRunner(adapter, (query) => connection.gather(query));
    return adapter;
  }

  override createDriver(): Driver {
    return new TillidSqliteDriver(this.#database, this.#connection, this.#beforeClose);
  }
}
