// Per-key request limits on top of the store's fixed-window counters (shared by every server node).
import { ServerError } from '../errors.ts';
import type { Store } from '../store/store.ts';

export async function enforceRateLimit(
  store: Store,
  options: { key: string; limit: number; windowMs: number; now: number },
): Promise<void> {
  const hit = await store.rateLimits.hit(options.key, { windowMs: options.windowMs, now: options.now });
  if (hit.count > options.limit) {
    throw new ServerError('ERR_RATE_LIMITED', 'too many requests; wait a moment and try again', {
      status: 429,
      messageId: 'error.rateLimited',
      details: { retryAfterSeconds: Math.max(1, Math.ceil((hit.resetAt - options.now) / 1000)) },
    });
  }
}
