// The PostgreSQL side of the store: a pg pool whose clients run the store's statements as named prepared
// statements, parsed and planned once per connection.
import { createHash } from 'node:crypto';
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';

/** Statements with more parameters (multi-row inserts of varying size) are not kept prepared. */
const PG_PREPARED_MAX_PARAMETERS = 64;

/** SQLSTATE 0A000, which PostgreSQL answers when a prepared statement's result type changed under it. */
const PG_FEATURE_NOT_SUPPORTED = '0A000';

/**
 * Runs the store's statements as named prepared statements (the name is a digest of the SQL text), so each
 * pooled connection parses and plans a statement once instead of on every execution: the store issues a few
 * dozen distinct texts, and PostgreSQL's parse and plan cost about as much as running most of them.
 */
export function withPreparedStatements(pool: pg.Pool): PostgresPool {
  const wrapped = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const names = new Map<string, string>();
  const nameOf = (text: string) => {
    let name = names.get(text);
    if (!name) {
      name = `tillid_${createHash('sha256').update(text).digest('base64url').slice(0, 32)}`;
      names.set(text, name);
    }
    return name;
  };
  const wrap = (client: pg.PoolClient): PostgresPoolClient => {
    let w = wrapped.get(client);
    if (!w) {
      // Statements whose prepared plan a migration by another node outdated (`select *` of a table that gained
      // a column fails with "cached plan must not change result type"): run unprepared on this connection.
      const outdated = new Set<string>();
      const prepared = async (text: string, parameters: readonly unknown[]) => {
        const name = nameOf(text);
        if (outdated.has(name)) return client.query(text, [...parameters]);
        try {
          return await client.query({ name, text, values: [...parameters] });
        } catch (e) {
          if ((e as { code?: unknown }).code === PG_FEATURE_NOT_SUPPORTED) outdated.add(name);
          throw e;
        }
      };
      w = {
        query: ((text: unknown, parameters?: readonly unknown[]) =>
          typeof text === 'string' && (parameters?.length ?? 0) <= PG_PREPARED_MAX_PARAMETERS
            ? prepared(text, parameters ?? [])
            : client.query(
                text as string,
                parameters as unknown[],
              )) as unknown as PostgresPoolClient['query'],
        release: (destroy?: boolean) => client.release(destroy),
      };
      wrapped.set(client, w);
    }
    return w;
  };
  return { connect: async () => wrap(await pool.connect()), end: () => pool.end() };
}
