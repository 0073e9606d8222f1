// Prepared queries give the same SQL and results as the same query built each time, in and out of a
// transaction, on every store; a slot without a value is a programming error, not a NULL.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TEST_DATABASES, useTestStore } from '../../test/helpers/test-databases.ts';
import { prepare, type Slots } from './prepared-query.ts';

const EXPIRED_SINCE = prepare((db, s: Slots<{ kind: string; before: number }>) =>
  db
    .selectFrom('flows')
    .select(['id', 'state'])
    .where('kind', '=', s.kind)
    .where('state', '<>', 'finished')
    .where('expires_at', '<', s.before)
    .orderBy('id'),
);

const TOUCH = prepare((db, s: Slots<{ id: string; now: number }>) =>
  db.updateTable('flows').set({ updated_at: s.now }).where('id', '=', s.id),
);

for (const database of TEST_DATABASES) {
  describe(`prepared queries (${database.name})`, { skip: database.skip }, () => {
    const t = useTestStore(database);

    it('runs with the values of each call, constants kept', async () => {
      const { flows, db } = t.store;
      for (const [id, state, expiresAt] of [
        ['p-1', 'started', 100],
        ['p-2', 'finished', 100],
        ['p-3', 'started', 300],
      ] as const)
        await flows.create({ id, kind: 'prepared-test', state, expiresAt, context: {} }, 1);
      assert.deepEqual(await EXPIRED_SINCE.all(db, { kind: 'prepared-test', before: 200 }), [
        { id: 'p-1', state: 'started' },
      ]);
      assert.deepEqual(await EXPIRED_SINCE.all(db, { kind: 'prepared-test', before: 400 }), [
        { id: 'p-1', state: 'started' },
        { id: 'p-3', state: 'started' },
      ]);
      assert.equal(await EXPIRED_SINCE.first(db, { kind: 'other', before: 400 }), undefined);
    });

    it('counts the rows it changed, inside a transaction too', async () => {
      const { flows, db } = t.store;
      await flows.create({ id: 'p-touch', kind: 'prepared-test', state: 's', expiresAt: 9, context: {} }, 1);
      assert.equal(await TOUCH.affected(db, { id: 'p-touch', now: 5 }), 1);
      assert.equal(await TOUCH.affected(db, { id: 'p-none', now: 5 }), 0);
      await db.transaction().execute(async (trx) => {
        assert.equal(await TOUCH.affected(trx, { id: 'p-touch', now: 7 }), 1);
      });
      assert.equal((await flows.get('p-touch'))?.updatedAt, 7);
    });

    it('refuses a slot left without a value', () => {
      assert.throws(
        () => TOUCH.execute(t.store.db, { id: 'p-touch' } as unknown as { id: string; now: number }),
        /no value for now/,
      );
    });
  });
}
