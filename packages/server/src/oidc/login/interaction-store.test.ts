import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TEST_DATABASES, useTestStore } from '../../../test/helpers/test-databases.ts';
import { FlowInteractionStore, loginIdFor } from './interaction-store.ts';

const NOW = 1_800_000_000_000;
let uids = 0;
const REQUEST = {
  scope: 'openid profile',
  acrValues: 'https://data.gov.dk/concept/core/nsis/loa/Substantial',
};
const uid = () => `uid_${String(++uids).padStart(10, '0')}`;

for (const database of TEST_DATABASES) {
  describe(`login records (${database.name})`, { skip: database.skip }, () => {
    const t = useTestStore(database);
    const store = () => new FlowInteractionStore(t.store.flows, t.store.db);

    it('binds a login to the browser that began it, and updates it by compare-and-set', async () => {
      const s = store();
      const u = uid();
      const { record, bindingSecret } = await s.begin(
        { uid: u, clientId: 'svc', request: REQUEST, expiresAt: NOW + 60_000 },
        NOW,
      );
      assert.equal(record.loginId, loginIdFor(u));
      // What the steps need of the authorization request stays with the login.
      assert.deepEqual(record.request, REQUEST);
      await assert.rejects(s.loadBound(u, 'another-browser', NOW), { code: 'ERR_LOGIN_BINDING' });
      await assert.rejects(s.loadBound(u, undefined, NOW), { code: 'ERR_LOGIN_BINDING' });
      await assert.rejects(
        s.begin({ uid: u, clientId: 'svc', request: REQUEST, expiresAt: NOW + 60_000 }, NOW),
        {
          code: 'ERR_LOGIN_BINDING',
        },
      );

      const named = await s.update(record, { step: 'method', identityId: 'identity-1' }, NOW + 1);
      assert.equal(named.version, record.version + 1);
      // The stored record is exactly what update returned, binding included.
      const loaded = await s.loadBound(u, bindingSecret, NOW + 2);
      assert.deepEqual(loaded, named);
      // A stale record (its version moved on) changes nothing.
      await assert.rejects(s.update(record, { step: 'finished' }, NOW + 3), { code: 'ERR_FLOW_VERSION' });
      assert.equal((await s.loadBound(u, bindingSecret, NOW + 3))?.step, 'method');
    });

    it('lets exactly one of two racing finishes win, on any node', async () => {
      const u = uid();
      const { record, bindingSecret } = await store().begin(
        { uid: u, clientId: 'svc', request: REQUEST, expiresAt: NOW + 60_000 },
        NOW,
      );
      // Two nodes read the same version and both try to finish it.
      const a = store();
      const b = store();
      const [ra, rb] = await Promise.all([
        a.loadBound(u, bindingSecret, NOW),
        b.loadBound(u, bindingSecret, NOW),
      ]);
      assert.ok(ra && rb);
      const outcomes = await Promise.allSettled([
        a.update(ra, { step: 'finished' }, NOW + 1),
        b.update(rb, { step: 'finished' }, NOW + 1),
      ]);
      assert.deepEqual(outcomes.map((o) => o.status).sort(), ['fulfilled', 'rejected']);
      // A record this store did not hand out is re-read before its update (and still compare-and-set).
      const finished = await a.loadBound(u, bindingSecret, NOW + 2);
      assert.ok(finished);
      const foreign = { ...finished };
      const after = await b.update(foreign, { method: null }, NOW + 3);
      assert.equal(after.version, record.version + 2);
      assert.equal(after.step, 'finished');
      assert.equal((await b.loadBound(u, bindingSecret, NOW + 4))?.clientId, 'svc');
    });
  });
}
