// Runs the sweep of expired rows on every node at an interval (TILLID_SWEEP_INTERVAL_SECONDS, default 300,
// 0 = off); the deletes are idempotent, so nodes need not take turns. Stops with the app.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ServerError } from '../errors.ts';
import type { Store } from '../store/store.ts';
import { type SweepCounts, sweepExpiredRows } from './sweep-expired-rows.ts';

export interface SweepSettings {
  /** Milliseconds between sweeps; 0 turns the sweep off. */
  readonly intervalMs: number;
}

export const SWEEP_VARIABLES = [
  {
    name: 'TILLID_SWEEP_INTERVAL_SECONDS',
    help: 'how often each node deletes expired rows (default 300; 0: never)',
  },
] as const;

const schema = z.object({
  TILLID_SWEEP_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
});

export function loadSweepSettings(env: Readonly<Record<string, string | undefined>>): SweepSettings {
  const parsed = schema.safeParse({
    TILLID_SWEEP_INTERVAL_SECONDS: env['TILLID_SWEEP_INTERVAL_SECONDS'] || undefined,
  });
  if (!parsed.success)
    throw new ServerError(
      'ERR_CONFIG',
      `TILLID_SWEEP_INTERVAL_SECONDS: ${parsed.error.issues[0]?.message ?? 'invalid'} (whole seconds, 0-86400)`,
    );
  return { intervalMs: parsed.data.TILLID_SWEEP_INTERVAL_SECONDS * 1000 };
}

export interface SweepDeps {
  readonly store: Pick<Store, 'db' | 'flows' | 'rateLimits' | 'appApprovals'>;
  readonly settings: SweepSettings;
  /** Epoch ms. */
  readonly now: () => number;
  readonly onSwept?: (counts: SweepCounts) => void;
  readonly onError?: (error: unknown) => void;
}

/** Sweeps every `settings.intervalMs` until the app closes; a sweep never overlaps the previous one. */
export function registerSweep(app: FastifyInstance, deps: SweepDeps): void {
  if (deps.settings.intervalMs <= 0) return;
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = sweepExpiredRows(deps.store, deps.now())
      .then(
        (counts) => deps.onSwept?.(counts),
        (error: unknown) => deps.onError?.(error),
      )
      .finally(() => {
        running = undefined;
      });
  }, deps.settings.intervalMs);
  timer.unref();
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await running;
  });
}
