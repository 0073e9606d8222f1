// Deletes rows whose time is over: oidc-provider's artifacts, flows past a grace period, ended rate-limit
// windows, used request nonces and ended app approvals. Every delete is "expired at or before now", so it is
// idempotent and any number of nodes may sweep the same database at once; nothing it removes can still be
// used (expired rows are already refused where they are read).
import type { Kysely } from 'kysely';
import { deleteExpiredOidcPayloads } from '../oidc/kysely-adapter.ts';
import type { Database } from '../store/schema.ts';
import type { Store } from '../store/store.ts';

export const SWEEP_POLICY = Object.freeze({
  /**
   * Expired flows stay this long: a late request still gets "expired" rather than "not found", and a
   * completed enrollment stays readable for its 30-minute hand-over to the app whatever its expiry.
   */
  flowGraceMs: 24 * 60 * 60_000,
});

export interface SweepCounts {
  readonly oidcPayloads: number;
  readonly flows: number;
  readonly rateLimits: number;
  readonly requestNonces: number;
  readonly appApprovals: number;
}

async function deleteUsedNonces(db: Kysely<Database>, now: number): Promise<number> {
  const r = await db.deleteFrom('app_request_nonces').where('expires_at', '<=', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** One sweep at `now` (epoch ms); returns how many rows went from each table. */
export async function sweepExpiredRows(
  store: Pick<Store, 'db' | 'flows' | 'rateLimits' | 'appApprovals'>,
  now: number,
): Promise<SweepCounts> {
  // One table after the other, each its own statement: no long transaction holds locks other nodes need.
  return {
    oidcPayloads: await deleteExpiredOidcPayloads(store.db, now),
    flows: await store.flows.deleteExpired(now - SWEEP_POLICY.flowGraceMs),
    rateLimits: await store.rateLimits.deleteExpired(now),
    requestNonces: await deleteUsedNonces(store.db, now),
    appApprovals: await store.appApprovals.deleteExpired(now),
  };
}
