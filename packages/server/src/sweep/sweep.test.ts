import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import Fastify from 'fastify';
import { TEST_DATABASES, useTestStore } from '../../test/helpers/test-databases.ts';
import { SecretBox } from '../crypto/secret-box.ts';
import { KyselyAdapter } from '../oidc/kysely-adapter.ts';
import type { Store } from '../store/store.ts';
import { loadSweepSettings, registerSweep } from './register-sweep.ts';
import { SWEEP_POLICY, sweepExpiredRows } from './sweep-expired-rows.ts';

const T0 = 1_800_000_000_000;
const MINUTE = 60_000;

/** One live and one expired row in every table the sweep covers, at clock `T0`. */
async function seed(store: Store, prefix: string) {
  const adapter = new KyselyAdapter('AccessToken', {
    db: store.db,
    secretBox: new SecretBox(new Uint8Array(32).fill(7)),
    now: () => T0,
  });
  await adapter.upsert(`${prefix}-live`, { jti: 'live' }, 600);
  await adapter.upsert(`${prefix}-expired`, { jti: 'expired' }, 60);
  for (const [id, expiresAt] of [
    [`${prefix}-flow-live`, T0 + 10 * MINUTE],
    [`${prefix}-flow-recent`, T0 + MINUTE],
    [`${prefix}-flow-old`, T0 + MINUTE - SWEEP_POLICY.flowGraceMs - MINUTE],
  ] as const)
    await store.flows.create(
      { id, kind: 'test', state: 'started', expiresAt, context: {} },
      T0 - 60 * MINUTE,
    );
  await store.rateLimits.hit(`${prefix}-old-window`, { windowMs: MINUTE, now: T0 });
  await store.rateLimits.hit(`${prefix}-new-window`, { windowMs: 10 * MINUTE, now: T0 + 2 * MINUTE });
  await store.db
    .insertInto('app_request_nonces')
    .values([
      { nonce: `${prefix}-nonce-used`, expires_at: T0 + MINUTE },
      { nonce: `${prefix}-nonce-live`, expires_at: T0 + 10 * MINUTE },
    ])
    .execute();
  for (const [loginId, expiresAt] of [
    [`${prefix}-approval-ended`, T0 + MINUTE],
    [`${prefix}-approval-live`, T0 + 10 * MINUTE],
  ] as const)
    await store.appApprovals.put({
      loginId,
      identityId: null,
      clientId: 'svc',
      clientName: 'Service',
      scopes: ['openid'],
      qrSecretHash: '0'.repeat(64),
      number: '42',
      challenge: 'c',
      createdAt: T0,
      expiresAt,
    });
  return adapter;
}

for (const database of TEST_DATABASES) {
  describe(`sweep of expired rows (${database.name})`, { skip: database.skip }, () => {
    const t = useTestStore(database);

    it('deletes what is over at the given time, keeps the rest, and is idempotent', async () => {
      const adapter = await seed(t.store, 'a');
      const at = T0 + 2 * MINUTE;
      const first = await sweepExpiredRows(t.store, at);
      assert.ok(first.oidcPayloads >= 1 && first.flows >= 1 && first.rateLimits >= 1);
      assert.ok(first.requestNonces >= 1 && first.appApprovals >= 1);
      assert.deepEqual(await sweepExpiredRows(t.store, at), {
        oidcPayloads: 0,
        flows: 0,
        rateLimits: 0,
        requestNonces: 0,
        appApprovals: 0,
      });

      const rawPayloads = await t.store.db.selectFrom('oidc_payloads').select('expires_at').execute();
      assert.ok(rawPayloads.every((r) => r.expires_at === null || Number(r.expires_at) > at));
      assert.ok(await adapter.find('a-live'));
      // Flows: the one past its grace period went; one expired a minute ago stays for its grace period.
      assert.equal(await t.store.flows.get('a-flow-old'), undefined);
      assert.ok(await t.store.flows.get('a-flow-recent'));
      assert.ok(await t.store.flows.get('a-flow-live'));
      assert.equal(await t.store.rateLimits.peek('a-new-window', at), 1);
      const nonces = await t.store.db.selectFrom('app_request_nonces').select('nonce').execute();
      assert.deepEqual(
        nonces.map((n) => n.nonce).filter((n) => n.startsWith('a-')),
        ['a-nonce-live'],
      );
      assert.equal(await t.store.appApprovals.get('a-approval-ended'), undefined);
      assert.ok(await t.store.appApprovals.get('a-approval-live'));
    });

    it('may run on several nodes at once', async () => {
      await seed(t.store, 'b');
      const at = T0 + 2 * MINUTE;
      const runs = await Promise.all([sweepExpiredRows(t.store, at), sweepExpiredRows(t.store, at)]);
      assert.equal(runs[0].appApprovals + runs[1].appApprovals, 1);
      assert.equal(runs[0].requestNonces + runs[1].requestNonces, 1);
    });
  });
}

describe('sweep schedule', () => {
  it('reads TILLID_SWEEP_INTERVAL_SECONDS (default 300, 0 = off) and refuses nonsense', () => {
    assert.equal(loadSweepSettings({}).intervalMs, 300_000);
    assert.equal(loadSweepSettings({ TILLID_SWEEP_INTERVAL_SECONDS: '0' }).intervalMs, 0);
    assert.equal(loadSweepSettings({ TILLID_SWEEP_INTERVAL_SECONDS: '30' }).intervalMs, 30_000);
    for (const bad of ['-1', 'often', '1.5'])
      assert.throws(() => loadSweepSettings({ TILLID_SWEEP_INTERVAL_SECONDS: bad }), { code: 'ERR_CONFIG' });
  });

  it('sweeps at every interval with the clock it is given, and stops with the app', async () => {
    mock.timers.enable({ apis: ['setInterval'] });
    try {
      const sweptAt: number[] = [];
      let clock = T0;
      const store = {
        db: {} as Store['db'],
        flows: {
          deleteExpired: async (now: number) => {
            sweptAt.push(now + SWEEP_POLICY.flowGraceMs);
            return 0;
          },
        },
        rateLimits: { deleteExpired: async () => 0 },
        appApprovals: { deleteExpired: async () => 0 },
      } as unknown as Store;
      const app = Fastify();
      // The OIDC and nonce deletes need a database; count those through a stub query builder.
      const deletes: string[] = [];
      const builder = {
        where: () => builder,
        executeTakeFirst: async () => ({ numDeletedRows: 0n }),
      };
      (store as { db: unknown }).db = {
        deleteFrom: (table: string) => {
          deletes.push(table);
          return builder;
        },
      };
      registerSweep(app, { store, settings: { intervalMs: 300_000 }, now: () => clock });
      await app.ready();
      mock.timers.tick(299_999);
      assert.deepEqual(sweptAt, []);
      mock.timers.tick(1);
      await new Promise((r) => setImmediate(r));
      clock += 300_000;
      mock.timers.tick(300_000);
      await new Promise((r) => setImmediate(r));
      assert.deepEqual(sweptAt, [T0, T0 + 300_000]);
      assert.deepEqual(deletes, [
        'oidc_payloads',
        'app_request_nonces',
        'oidc_payloads',
        'app_request_nonces',
      ]);
      await app.close();
      mock.timers.tick(900_000);
      await new Promise((r) => setImmediate(r));
      assert.equal(sweptAt.length, 2);
    } finally {
      mock.timers.reset();
    }
  });

  it('is off at interval 0', async () => {
    const app = Fastify();
    registerSweep(app, {
      store: {} as Store,
      settings: { intervalMs: 0 },
      now: () => {
        throw new TypeError('never asked');
      },
    });
    await app.ready();
    await app.close();
  });
});
