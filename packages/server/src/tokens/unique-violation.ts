// Whether a database error is a unique-constraint violation, on either store (PostgreSQL SQLSTATE
// 23505; better-sqlite3's extended result codes), so a lost race can answer its own typed error.
export function isUniqueViolation(e: unknown): boolean {
  const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
