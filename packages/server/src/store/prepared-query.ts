// Queries on a login's hot path, built and compiled by Kysely once per dialect instead of on every call.
// Building a query (immutable operation nodes, each frozen) and compiling it to SQL cost more than SQLite
// takes to run most of ours; a login runs about forty. The values are slots, filled in at each call.
import type { Compilable, CompiledQuery, Kysely, QueryResult } from 'kysely';
import { type Commit, directRunner, type RunStatement } from './direct-runner.ts';
import type { Database } from './schema.ts';

/** A value filled in at each call; in the compiled query it stands where Kysely put the parameter. */
class Slot {
  constructor(readonly name: string) {}
}

/**
 * The slots a query is built with: typed as the values they stand for, so Kysely checks them as such. Name
 * each one (`s.id`); the slots cannot be spread or listed.
 */
export type Slots<A> = { readonly [K in keyof A]: A[K] };

interface Compiled<O> {
  readonly query: CompiledQuery<O>;
  /** The dialect's own way to run it outside a transaction (direct-runner.ts), if it has one. */
  readonly run: RunStatement | undefined;
  /** What its implicit transaction commits (a read: nothing). */
  readonly commit: Commit;
  /** For each parameter, the name of its slot, or undefined for a constant written into the query. */
  readonly slots: readonly (string | undefined)[];
}

/** Every prepared query made, for the test that reads their query plans (query-plans.test.ts). */
const made: PreparedQuery<never, unknown>[] = [];

export function preparedQueries(): readonly PreparedQuery<never, unknown>[] {
  return made;
}

export interface PrepareOptions {
  /**
   * `async` for a write of short-lived login state (a login's records, oidc-provider's payloads, approvals,
   * replay nonces): outside a transaction, PostgreSQL reports it committed before its WAL is flushed
   * (`synchronous_commit = off`, docs/operations.md). It is visible to every connection at once, and any
   * later flushed commit flushes it too (the WAL is one sequence); a crash of PostgreSQL or of the machine can
   * lose only such writes of the last moment (at most three `wal_writer_delay`s, 0.6 s by default) that no
   * flushed commit followed, and the database stays consistent. Identities, authenticators, attempt counters
   * and audit events are never `async`. SQLite already commits every statement without a flush
   * (synchronous = NORMAL in WAL mode: durable across a crash of the process, not of the machine).
   */
  readonly commit?: Exclude<Commit, 'none'>;
}

/** The options of every write of short-lived login state (see PrepareOptions.commit). */
export const LOGIN_STATE: PrepareOptions = Object.freeze({ commit: 'async' });

export class PreparedQuery<A extends object, O> {
  readonly #build: (db: Kysely<Database>, slots: Slots<A>) => Compilable<O>;
  readonly #commit: Commit | undefined;
  /** By the dialect's adapter: transactions share it with their database, SQLite and PostgreSQL do not. */
  readonly #compiled = new WeakMap<object, Compiled<O>>();

  constructor(build: (db: Kysely<Database>, slots: Slots<A>) => Compilable<O>, options: PrepareOptions = {}) {
    this.#build = build;
    this.#commit = options.commit;
    made.push(this as unknown as PreparedQuery<never, unknown>);
  }

  /** The SQL and its parameters (slots unfilled) on this database's dialect. */
  compiled(db: Kysely<Database>): CompiledQuery<O> {
    return this.#compiledFor(db).query;
  }

  #compiledFor(db: Kysely<Database>): Compiled<O> {
    const adapter = db.getExecutor().adapter;
    let compiled = this.#compiled.get(adapter);
    if (!compiled) {
      const slots = new Proxy({}, { get: (_, name) => new Slot(String(name)) }) as Slots<A>;
      const query = this.#build(db, slots).compile();
      compiled = {
        query,
        run: directRunner(adapter),
        commit: this.#commit ?? (isPlainRead(query) ? 'none' : 'flushed'),
        slots: query.parameters.map((p) => (p instanceof Slot ? p.name : undefined)),
      };
      this.#compiled.set(adapter, compiled);
    }
    return compiled;
  }

  /** Runs the query with `args` in its slots (every slot needs a value: null, never undefined). */
  execute(db: Kysely<Database>, args: A): Promise<QueryResult<O>> {
    const { query, run, slots, commit } = this.#compiledFor(db);
    const parameters = query.parameters.map((constant, i) => {
      const name = slots[i];
      if (name === undefined) return constant;
      const value = args[name as keyof A];
      if (value === undefined) throw new TypeError(`prepared query: no value for ${name}`);
      return value;
    });
    if (run && !db.isTransaction) return run<O>({ ...query, parameters }, commit);
    return db.executeQuery<O>({ ...query, parameters });
  }

  async all(db: Kysely<Database>, args: A): Promise<O[]> {
    return (await this.execute(db, args)).rows;
  }

  async first(db: Kysely<Database>, args: A): Promise<O | undefined> {
    return (await this.execute(db, args)).rows[0];
  }

  /** Rows inserted, updated or deleted. */
  async affected(db: Kysely<Database>, args: A): Promise<number> {
    return Number((await this.execute(db, args)).numAffectedRows ?? 0n);
  }
}

/** A select without a `with` (whose parts could write): its implicit transaction commits nothing. */
function isPlainRead(query: CompiledQuery): boolean {
  const node = query.query as { readonly kind: string; readonly with?: unknown };
  return node.kind === 'SelectQueryNode' && node.with === undefined;
}

/** `prepare((db, s: Slots<{ id: string }>) => db.selectFrom('flows').selectAll().where('id', '=', s.id))` */
export function prepare<A extends object, O>(
  build: (db: Kysely<Database>, slots: Slots<A>) => Compilable<O>,
  options: PrepareOptions = {},
): PreparedQuery<A, O> {
  return new PreparedQuery(build, options);
}
