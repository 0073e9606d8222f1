// oidc-provider runs each request inside an AsyncLocalStorage (its lib/helpers/als.js) that only `Provider.ctx`
// and its client ID metadata documents read back; Tillid uses neither (its code never reads `Provider.ctx`, and
// the feature is off: provider.ts). On Node 20 an AsyncLocalStorage that has run once makes every promise of
// the process pay for async hooks from then on (an init hook that copies the store onto each new promise, and
// before/after hooks around each reaction): on the login benchmark about a tenth of a server process's event
// loop. So the storage runs requests as if it had no store.
import { AsyncLocalStorage } from 'node:async_hooks';

/** oidc-provider's request storage, by its path in the package (9.x; the package has no exports map). */
const STORAGE_MODULE = 'oidc-provider/lib/helpers/als.js';

/**
 * Makes oidc-provider's request storage call each request's handler without entering a store (`Provider.ctx`
 * is then undefined). Returns whether it could: a version without the module, or with another kind of storage
 * there, is left as it is.
 */
export async function skipProviderRequestStorage(): Promise<boolean> {
  let storage: unknown;
  try {
    storage = ((await import(STORAGE_MODULE)) as { default?: unknown }).default;
  } catch {
    return false;
  }
  if (!(storage instanceof AsyncLocalStorage)) return false;
  // An own property over AsyncLocalStorage.prototype.run, on this storage only.
  storage.run = withoutStore;
  return true;
}

/** AsyncLocalStorage's run(store, callback, ...args), as if the store were not there. */
function withoutStore<R, A extends unknown[]>(_store: unknown, callback: (...args: A) => R, ...args: A): R {
  return callback(...args);
}
