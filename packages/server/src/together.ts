// Independent statements of one request, sent together: each await of a statement is a round trip to the
// database (and, under load, a turn of the event loop), so a request's latency is its chain of awaits.

type Values<T extends readonly unknown[]> = { -readonly [K in keyof T]: Awaited<T[K]> };

/**
 * Waits for every promise, then gives their values, or throws the error of the first one (in argument order)
 * that failed. Unlike Promise.all, the error does not depend on which failure came back first, and nothing is
 * left running when the caller goes on: a request answers the same error every time, and a failed request
 * does not leave a statement behind it.
 */
export async function together<const T extends readonly unknown[]>(...work: T): Promise<Values<T>> {
  const settled = await Promise.allSettled(work);
  const values: unknown[] = [];
  for (const s of settled) {
    if (s.status === 'rejected') throw s.reason;
    values.push(s.value);
  }
  return values as Values<T>;
}
