// Opens the configured store for one CLI command and always closes it.
import { loadConfig } from '../config/load-config.ts';
import type { Config } from '../config/schema.ts';
import { openStore, type Store } from '../store/store.ts';

export async function withStore<T>(run: (ctx: { config: Config; store: Store }) => Promise<T>): Promise<T> {
  const config = loadConfig({ env: process.env });
  const store = await openStore(config.database);
  try {
    return await run({ config, store });
  } finally {
    await store.close();
  }
}
