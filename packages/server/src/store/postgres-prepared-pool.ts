// The PostgreSQL side of the store: a pg pool whose clients run the store's statements as named prepared
// statements, parsed and planned once per connection; statements outside a transaction share a few pipelined
// connections.
import { createHash } from 'node:crypto';
import {
  type CompiledQuery,
  type DialectAdapter,
  PostgresDialect,
  type PostgresPool,
  type PostgresPoolClient,
} from 'kysely';
import pg from 'pg';
import { ServerError } from '../errors.ts';
import { type Commit, type RunStatement, registerDirectRunner } from './direct-runner.ts';

/** Statements with more parameters (multi-row inserts of varying size) are not kept prepared. */
const PG_PREPARED_MAX_PARAMETERS = 64;

/** SQLSTATE 0A000, which PostgreSQL answers when a prepared statement's result type changed under it. */
const PG_FEATURE_NOT_SUPPORTED = '0A000';

/**
 * A first statement that makes a connection the caller's own until released: a transaction start as Kysely's
 * driver writes it ("begin", or "start transaction …" with settings), session state, or a session-level
 * advisory lock (Kysely's migrator takes one on `db.connection()`, then runs a transaction and unlocks on it).
 */
const OWN_CONNECTION = /^\s*(begin|start\s+transaction|set)\b|pg_advisory_lock\s*\(/i;

type Query = (text: unknown, parameters?: readonly unknown[]) => Promise<unknown>;

/** A prepared statement's name (a digest of its text) and its text. */
interface NamedStatement {
  readonly name: string;
  readonly text: string;
}

/** The columns of a statement's rows, as pg's Result keeps them once a RowDescription came (none: no rows). */
interface RowShape {
  readonly fields: unknown[];
  readonly parsers: unknown[] | undefined;
  readonly empty: object | null;
}

/** pg's Result and Query internals that RowShape reads and sets. */
interface ResultInternals {
  fields: unknown[];
  _parsers: unknown[] | undefined;
  _prebuiltEmptyResultObject: object | null;
}

/**
 * Per connection, the row shape of each statement it has run to completion. A prepared statement's shape is
 * fixed for its connection: PostgreSQL refuses to run it with another (SQLSTATE 0A000, see preparedQueries),
 * so its RowDescription need not be asked for again. Kept per connection, not per text: a connection that
 * prepares a `select *` after a migration added a column gets the new shape.
 */
const shapes = new WeakMap<object, Map<string, RowShape>>();

/** pg's own mapping of a JS value to its wire text, as pg's Query.prepare hands it to Bind. */
const prepareValue = (pg as unknown as { utils?: { prepareValue?: unknown } }).utils?.prepareValue;

type QueryHandlers = {
  prepare(connection: PgConnection): void;
  handleCommandComplete(msg: unknown, connection: unknown): void;
};
const pgQuery = pg.Query.prototype as unknown as QueryHandlers;

/**
 * A query of a named prepared statement, made as pg makes one from a text (pg's Query, so it may be pipelined)
 * and named after: handed a config object instead, pg copies it property by property first (its
 * normalizeQueryConfig), which costs more than the rest of sending the query. Once the connection knows the
 * statement's row shape, the query goes without a Describe (PostgreSQL protocol, extended query: Bind,
 * Execute, Sync), and pg gets the shape from here instead of parsing a RowDescription per query.
 */
class NamedQuery extends pg.Query {
  /** Whether this is the statement's first run on its connection, which learns its row shape. */
  #learning = false;

  constructor(
    statement: NamedStatement,
    values: unknown[],
    callback: (e: Error | undefined, result: pg.QueryResult) => void,
  ) {
    super(statement.text, values, callback as never);
    (this as { name?: string }).name = statement.name;
  }

  /** pg's Query.prepare (a statement's first run), or Bind and Execute of a statement of known shape. */
  prepare(connection: PgConnection): void {
    const name = (this as { name?: string }).name ?? '';
    const shape = shapes.get(connection)?.get(name);
    if (!shape || connection.parsedStatements[name] === undefined || typeof prepareValue !== 'function') {
      this.#learning = true;
      pgQuery.prepare.call(this, connection);
      return;
    }
    const self = this as unknown as QueryInternals;
    const result = self._result;
    result.fields = shape.fields;
    result._parsers = shape.parsers;
    result._prebuiltEmptyResultObject = shape.empty;
    // What pg's handleRowDescription would set: rows go into the result (the query has a callback).
    self._accumulateRows = true;
    try {
      connection.bind({
        portal: self.portal,
        statement: name,
        values: self.values,
        binary: self.binary,
        valueMapper: prepareValue,
      });
    } catch (err) {
      // As pg does when a value cannot be written: the statement is closed and the error is the query's.
      connection.close({ type: 'S', name });
      connection.sync();
      self.handleError(err, connection);
      return;
    }
    self._getRows(connection, self.rows);
  }

  /** On a first run, the result holds the statement's shape once the command completes (none: as pg starts it). */
  handleCommandComplete(msg: unknown, connection: object): void {
    pgQuery.handleCommandComplete.call(this, msg, connection);
    if (!this.#learning) return;
    this.#learning = false;
    const result = (this as unknown as QueryInternals)._result;
    let known = shapes.get(connection);
    if (!known) {
      known = new Map();
      shapes.set(connection, known);
    }
    known.set((this as { name?: string }).name ?? '', {
      fields: result.fields,
      parsers: result._parsers,
      empty: result._prebuiltEmptyResultObject,
    });
  }
}

/** The parts of pg's Connection a NamedQuery of known shape writes to. */
interface PgConnection {
  readonly parsedStatements: Record<string, string | undefined>;
  bind(config: {
    portal: string;
    statement: string;
    values: unknown[];
    binary: boolean | undefined;
    valueMapper: unknown;
  }): void;
  close(config: { type: 'S'; name: string }): void;
  sync(): void;
}

/** pg's Query internals used above. */
interface QueryInternals {
  readonly _result: ResultInternals;
  _accumulateRows: boolean;
  readonly portal: string;
  readonly values: unknown[];
  readonly binary: boolean | undefined;
  readonly rows: number | undefined;
  handleError(err: unknown, connection: PgConnection): void;
  _getRows(connection: PgConnection, rows: number | undefined): void;
}

/** Digest-named prepared statements on one connection (see withPreparedStatements). */
function preparedQueries(client: pg.ClientBase, statementOf: (text: string) => NamedStatement): Query {
  // Statements whose prepared plan a migration by another node outdated (`select *` of a table that gained
  // a column fails with "cached plan must not change result type"): run unprepared on this connection.
  const outdated = new Set<string>();
  const prepared = async (text: string, parameters: readonly unknown[]) => {
    const statement = statementOf(text);
    if (outdated.has(statement.name)) return client.query(text, [...parameters]);
    try {
      return await new Promise((resolve, reject) =>
        client.query(
          new NamedQuery(statement, [...parameters], (e, result) => (e ? reject(e) : resolve(result))),
        ),
      );
    } catch (e) {
      if ((e as { code?: unknown }).code === PG_FEATURE_NOT_SUPPORTED) outdated.add(statement.name);
      throw e;
    }
  };
  return (text, parameters) =>
    typeof text === 'string' && (parameters?.length ?? 0) <= PG_PREPARED_MAX_PARAMETERS
      ? prepared(text, parameters ?? [])
      : client.query(text as string, parameters as unknown[]);
}

/**
 * One connection in pg's pipeline mode, shared by every statement outside a transaction: a statement is sent
 * without waiting for the answer to the one before (PostgreSQL protocol, "Pipelining" under the extended query
 * flow), and the socket stays corked until the event loop's turn ends (setImmediate), so the statements of
 * all the requests it handled leave in one write and their answers come back in one read. pg ends each
 * statement with its own Sync, so each is still its own implicit transaction: an error in one changes nothing
 * for the next. A connection that fails fails the statements in flight on it (pg rejects them) and is replaced
 * at the next statement.
 */
class Pipeline {
  readonly #open: () => pg.Client;
  readonly #statementOf: (text: string) => NamedStatement;
  /** The live connection and its prepared statements; none until the first statement, or after a failure. */
  #current: { readonly client: pg.Client; readonly query: Query } | undefined;
  #corked = false;

  constructor(open: () => pg.Client, statementOf: (text: string) => NamedStatement) {
    this.#open = open;
    this.#statementOf = statementOf;
  }

  query(text: unknown, parameters?: readonly unknown[]): Promise<unknown> {
    const { client, query } = this.#current ?? this.#connect();
    // pg's Connection writes to `stream`; corking it holds this tick's statements for one write.
    const stream = (client as unknown as { connection?: { stream?: Partial<Corkable> } }).connection?.stream;
    if (!this.#corked && typeof stream?.cork === 'function' && typeof stream.uncork === 'function') {
      this.#corked = true;
      stream.cork();
      setImmediate(() => {
        this.#corked = false;
        (stream as Corkable).uncork();
      });
    }
    return query(text, parameters);
  }

  #connect(): { readonly client: pg.Client; readonly query: Query } {
    const client = this.#open();
    const current = { client, query: preparedQueries(client, this.#statementOf) };
    this.#current = current;
    const drop = () => {
      if (this.#current === current) this.#current = undefined;
    };
    // Without a listener pg's 'error' would end the process; the statements in flight get the error anyway.
    client.on('error', drop);
    client.on('end', drop);
    client.connect().catch(drop);
    return current;
  }

  async end(): Promise<void> {
    const current = this.#current;
    this.#current = undefined;
    await current?.client.end().catch(() => undefined);
  }
}

interface Corkable {
  cork(): void;
  uncork(): void;
}

export interface PreparedPoolOptions {
  /**
   * Pipelined connections shared by the statements outside transactions (each turn of the event loop the
   * next one takes them all), and as many again for the `async` commits (prepared-query.ts); 0 runs every
   * statement on a connection of the pool.
   */
  readonly pipelines?: number;
  /**
   * Opens (without connecting) a client in pipeline mode, with the pool's settings; with `asyncCommit`, one
   * whose session starts with `synchronous_commit = off` (prepared-query.ts, `commit: 'async'`).
   */
  readonly openPipelined?: (asyncCommit: boolean) => pg.Client;
}

/**
 * Runs the store's statements as named prepared statements (the name is a digest of the SQL text), so each
 * connection parses and plans a statement once instead of on every execution: the store issues a few dozen
 * distinct texts, and PostgreSQL's parse and plan cost about as much as running most of them.
 *
 * With pipelines, a statement outside a transaction goes over a shared pipelined connection instead of
 * taking one from the pool: a login's few dozen single statements then cost a fraction of the socket writes,
 * reads and wake-ups of a round trip each, on both sides. A transaction ("begin" … "commit", with its locks)
 * takes a pooled connection of its own from its first statement to its release.
 */
export function withPreparedStatements(
  pool: pg.Pool,
  options: PreparedPoolOptions = {},
): { readonly pool: PostgresPool; readonly run?: RunStatement } {
  const wrapped = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const statements = new Map<string, NamedStatement>();
  const statementOf = (text: string) => {
    let statement = statements.get(text);
    if (!statement) {
      statement = {
        name: `tillid_${createHash('sha256').update(text).digest('base64url').slice(0, 32)}`,
        text,
      };
      statements.set(text, statement);
    }
    return statement;
  };
  const wrap = (client: pg.PoolClient): PostgresPoolClient => {
    let w = wrapped.get(client);
    if (!w) {
      w = {
        query: preparedQueries(client, statementOf) as unknown as PostgresPoolClient['query'],
        release: (destroy?: boolean) => client.release(destroy),
      };
      wrapped.set(client, w);
    }
    return w;
  };
  const { openPipelined, pipelines: count = 0 } = options;
  if (!openPipelined || count === 0)
    return { pool: { connect: async () => wrap(await pool.connect()), end: () => pool.end() } };

  const all: Pipeline[] = [];
  /**
   * `count` pipelines, taken in turn, one for all the statements of a turn of the event loop: they leave in
   * one write and wake one PostgreSQL backend, which answers them in one read, while the previous turn's
   * backend may still be working. Taken in turn by statement instead, every pipeline got a write and its
   * backend a wake-up each turn, which cost both processes more than the statements' parallelism gained
   * (docs/oidc.md, "Performance").
   */
  const pipelinesOf = (asyncCommit: boolean): (() => Pipeline) => {
    const own = Array.from(
      { length: count },
      () => new Pipeline(() => openPipelined(asyncCommit), statementOf),
    );
    all.push(...own);
    let turn = 0;
    let chosen: Pipeline | undefined;
    return () => {
      if (!chosen) {
        chosen = own[turn++ % own.length] as Pipeline;
        setImmediate(() => {
          chosen = undefined;
        });
      }
      return chosen;
    };
  };
  const flushing = pipelinesOf(false);
  // Connections of their own for `async` commits (synchronous_commit is a setting of the session, PostgreSQL
  // docs, "Asynchronous Commit"), which also take the reads: those commit nothing, and most of a login's
  // statements then share a few connections, as they would in one. Every other write keeps the server's setting.
  const asyncCommitting = pipelinesOf(true);
  // PreparedQuery's statements outside transactions (direct-runner.ts): straight to a pipeline, with the
  // result as Kysely's PostgreSQL driver gives it.
  const run: RunStatement = async <R>(query: CompiledQuery, commit: Commit) => {
    const pipeline = commit === 'flushed' ? flushing() : asyncCommitting();
    const { command, rowCount, rows } = (await pipeline.query(query.sql, query.parameters)) as pg.QueryResult;
    return {
      numAffectedRows: AFFECTING.has(command) ? BigInt(rowCount ?? 0) : undefined,
      rows: (rows ?? []) as R[],
    };
  };
  const prepared: PostgresPool = {
    // Kysely takes a connection for each single statement, each transaction and each `db.connection()`;
    // which one it is shows at the first statement.
    connect: async (): Promise<PostgresPoolClient> => {
      const pipeline = flushing();
      let own: PostgresPoolClient | undefined;
      let piped = false;
      const query: Query = async (text, parameters) => {
        if (piped) {
          // A second statement would not see the session of the first: refuse rather than run it elsewhere.
          throw new ServerError(
            'ERR_STORE',
            'a pipelined PostgreSQL connection runs one statement; several that belong together need a transaction',
          );
        }
        if (!own && (typeof text !== 'string' || OWN_CONNECTION.test(text))) own = wrap(await pool.connect());
        if (own) return (own.query as unknown as Query)(text, parameters);
        piped = true;
        return pipeline.query(text, parameters);
      };
      return {
        query: query as unknown as PostgresPoolClient['query'],
        release: (destroy?: boolean) => {
          own?.release(destroy);
          own = undefined;
        },
      };
    },
    end: async () => {
      await Promise.all(all.map((p) => p.end()));
      await pool.end();
    },
  };
  return { pool: prepared, run };
}

/** The commands whose row count Kysely reports as numAffectedRows. */
const AFFECTING = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE']);

/** Kysely's PostgreSQL dialect on a prepared pool, with the pool's pipelined runner for PreparedQuery. */
export class TillidPostgresDialect extends PostgresDialect {
  readonly #run: RunStatement | undefined;

  constructor(prepared: { readonly pool: PostgresPool; readonly run?: RunStatement }) {
    super({ pool: prepared.pool });
    this.#run = prepared.run;
  }

  override createAdapter(): DialectAdapter {
    const adapter = super.createAdapter();
    if (this.#run) registerDirectRunner(adapter, this.#run);
    return adapter;
  }
}
