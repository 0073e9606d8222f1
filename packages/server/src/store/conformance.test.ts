// One conformance suite for the repositories, run against every store (SQLite and PostgreSQL).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TEST_DATABASES } from '../../test/helpers/test-databases.ts';
import { isServerError } from '../errors.ts';
import { migrateToLatest } from './database.ts';
import { openStore, type Store } from './store.ts';

for (const database of TEST_DATABASES) {
  describe(`store conformance: ${database.name}`, { skip: database.skip }, () => {
    let store: Store;
    let drop: () => Promise<void>;

    before(async () => {
      const created = await database.create();
      drop = created.drop;
      store = await openStore(created.target);
    });
    after(async () => {
      await store?.close();
      await drop?.();
    });

    it('migrates idempotently and answers a ping', async () => {
      await store.ping();
      assert.deepEqual(await migrateToLatest(store.db), []);
    });

    describe('flows', () => {
      it('creates and reads back a flow with its context', async () => {
        const f = await store.flows.create(
          { kind: 'enrollment', state: 'started', expiresAt: 2_000, context: { a: 1, b: ['x'] } },
          1_000,
        );
        assert.equal(f.version, 1);
        const got = await store.flows.get<{ a: number; b: string[] }>(f.id);
        assert.deepEqual(got, f);
      });

      it('applies a transition by compare-and-set exactly once', async () => {
        const f = await store.flows.create({ kind: 'k', state: 's1', expiresAt: 9_999, context: {} }, 1);
        const t = await store.flows.transition(
          f.id,
          { expectedVersion: 1, state: 's2', context: { step: 2 } },
          5,
        );
        assert.equal(t.version, 2);
        assert.equal(t.state, 's2');
        assert.deepEqual(t.context, { step: 2 });
        assert.equal(t.updatedAt, 5);
        await assert.rejects(
          store.flows.transition(f.id, { expectedVersion: 1, state: 's3' }, 6),
          (e) => isServerError(e) && e.code === 'ERR_FLOW_VERSION' && e.status === 409,
        );
        assert.equal((await store.flows.get(f.id))?.state, 's2');
      });

      it('lets only one of many racing transitions win', async () => {
        const f = await store.flows.create({ kind: 'k', state: 's1', expiresAt: 9_999, context: {} }, 1);
        const results = await Promise.allSettled(
          Array.from({ length: 10 }, (_, i) =>
            store.flows.transition(f.id, { expectedVersion: 1, state: `s${i}` }, 2),
          ),
        );
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
        assert.equal((await store.flows.get(f.id))?.version, 2);
      });

      it('reports a missing flow as not found', async () => {
        assert.equal(await store.flows.get('00000000-0000-0000-0000-000000000000'), undefined);
        await assert.rejects(
          store.flows.transition('nope', { expectedVersion: 1, state: 'x' }, 1),
          (e) => isServerError(e) && e.code === 'ERR_FLOW_NOT_FOUND',
        );
      });

      it('deletes expired flows only', async () => {
        const old = await store.flows.create({ kind: 'gc', state: 's', expiresAt: 100, context: {} }, 1);
        const live = await store.flows.create(
          { kind: 'gc', state: 's', expiresAt: 10_000_000, context: {} },
          1,
        );
        assert.ok((await store.flows.deleteExpired(100)) >= 1);
        assert.equal(await store.flows.get(old.id), undefined);
        assert.ok(await store.flows.get(live.id));
      });
    });

    describe('rate limits', () => {
      it('counts attempts per key and window, atomically', async () => {
        const now = 60_000 * 1000 + 10;
        const hits = await Promise.all(
          Array.from({ length: 20 }, () => store.rateLimits.hit('ip:1', { windowMs: 60_000, now })),
        );
        assert.deepEqual(
          hits.map((h) => h.count).sort((a, b) => a - b),
          Array.from({ length: 20 }, (_, i) => i + 1),
        );
        assert.equal(hits[0]?.resetAt, 60_000 * 1001);
        assert.equal(await store.rateLimits.peek('ip:1', now), 20);
        assert.equal((await store.rateLimits.hit('ip:2', { windowMs: 60_000, now })).count, 1);
      });

      it('starts a new window after the old one ends', async () => {
        const now = 60_000 * 2000;
        await store.rateLimits.hit('w', { windowMs: 60_000, now });
        await store.rateLimits.hit('w', { windowMs: 60_000, now: now + 1 });
        assert.equal((await store.rateLimits.hit('w', { windowMs: 60_000, now: now + 60_000 })).count, 1);
        await store.rateLimits.reset('w');
        assert.equal(await store.rateLimits.peek('w', now + 60_000), 0);
      });
    });

    describe('SMS outbox', () => {
      it('keeps messages newest first, filtered by number', async () => {
        await store.smsOutbox.add({ to: '+4512345678', text: 'first' }, 1);
        await store.smsOutbox.add({ to: '+4512345678', text: 'Din kode: 1234 – æøå' }, 2);
        await store.smsOutbox.add({ to: '+4587654321', text: 'other' }, 3);
        const mine = await store.smsOutbox.list({ to: '+4512345678' });
        assert.deepEqual(
          mine.map((m) => m.text),
          ['Din kode: 1234 – æøå', 'first'],
        );
        assert.equal((await store.smsOutbox.list({ limit: 1 }))[0]?.text, 'other');
      });
    });

    describe('audit log', () => {
      it('chains events and verifies the chain', async () => {
        const a = await store.audit.append(
          { type: 'identity.created', actor: 'helper-1', subject: 'id-1' },
          10,
        );
        const b = await store.audit.append(
          { type: 'userid.set', subject: 'id-1', data: { z: 1, a: [1, 2] } },
          11,
        );
        assert.equal(b.prevHash, a.hash);
        assert.equal(b.seq, a.seq + 1);
        const listed = await store.audit.list({ subject: 'id-1' });
        assert.deepEqual(
          listed.map((e) => e.type),
          ['identity.created', 'userid.set'],
        );
        assert.equal((await store.audit.verify()).ok, true);
      });

      it('keeps one chain under concurrent appends', async () => {
        await Promise.all(
          Array.from({ length: 25 }, (_, i) => store.audit.append({ type: 'burst', data: { i } }, i)),
        );
        const v = await store.audit.verify();
        assert.equal(v.ok, true);
        assert.ok(v.count >= 25);
      });

      it('finds a tampered event', async () => {
        const e = await store.audit.append({ type: 'to-tamper', data: { amount: 1 } }, 99);
        await store.db
          .updateTable('audit_events')
          .set({ data: '{"amount":2}' })
          .where('seq', '=', e.seq)
          .execute();
        const v = await store.audit.verify();
        assert.equal(v.ok, false);
        assert.equal(v.brokenAt, e.seq);
        assert.equal(v.reason, 'hash');
        await assert.rejects(
          store.audit.requireIntact(),
          (err) => isServerError(err) && err.code === 'ERR_AUDIT_CHAIN_BROKEN',
        );
      });
    });
  });
}
