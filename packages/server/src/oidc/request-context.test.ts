// oidc-provider's request storage is skipped (request-context.ts): handlers still run, with their arguments
// and result, and nothing in Tillid's configuration needs the store.
import assert from 'node:assert/strict';
import { AsyncLocalStorage } from 'node:async_hooks';
import { describe, it } from 'node:test';
import { skipProviderRequestStorage } from './request-context.ts';

describe('oidc-provider request storage', () => {
  it('runs each handler without entering a store', async () => {
    assert.equal(await skipProviderRequestStorage(), true);
    const storage = (await import('oidc-provider/lib/helpers/als.js' as string))
      .default as AsyncLocalStorage<unknown>;
    assert.ok(storage instanceof AsyncLocalStorage);
    const seen = await storage.run(
      { request: 1 },
      async (a: number, b: number) => {
        await Promise.resolve();
        return { sum: a + b, store: storage.getStore() };
      },
      2,
      3,
    );
    assert.deepEqual(seen, { sum: 5, store: undefined });
    // A second call changes nothing.
    assert.equal(await skipProviderRequestStorage(), true);
  });
});
