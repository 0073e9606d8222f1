// A dialect's own way to run a statement outside any transaction, for PreparedQuery (prepared-query.ts):
// Kysely's path to the same call (executor, connection provider, driver, result transform) costs about a
// dozen promises, each an async hook with oidc-provider's AsyncLocalStorage: more than the database takes
// to run most of the statements on a login's path. No plugin transforms results here (the store's Kysely
// instances have none).
import type { CompiledQuery, QueryResult } from 'kysely';

/**
 * What a statement's implicit transaction commits: `flushed`, a write reported done once it is on disk;
 * `async`, a write reported done once every connection sees it, on disk a moment later (prepared-query.ts);
 * `none`, a read (its transaction writes no commit record).
 */
export type Commit = 'flushed' | 'async' | 'none';

/** Runs a statement outside any transaction, as Kysely would on this database. */
export type RunStatement = <R>(query: CompiledQuery, commit: Commit) => Promise<QueryResult<R>>;

/** By the dialect's adapter, which the database (not a transaction) and PreparedQuery both see. */
const runners = new WeakMap<object, RunStatement>();

export function registerDirectRunner(adapter: object, run: RunStatement): void {
  runners.set(adapter, run);
}

/** The runner registered for this adapter's dialect, if any (SQLite's and PostgreSQL's with pipelines). */
export function directRunner(adapter: object): RunStatement | undefined {
  return runners.get(adapter);
}
