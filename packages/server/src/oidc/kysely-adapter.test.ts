// Adapter conformance, for every oidc-provider model on both stores: upsert/find, findByUid,
// findByUserCode, consume, destroy, revokeByGrantId and expiry; and nothing bearer-like stored in clear.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { TEST_DATABASES } from '../../test/helpers/test-databases.ts';
import { SecretBox } from '../crypto/secret-box.ts';
import { openStore, type Store } from '../store/store.ts';
import { deleteExpiredOidcPayloads, digest, KyselyAdapter, OIDC_MODELS } from './kysely-adapter.ts';

for (const database of TEST_DATABASES) {
  describe(`oidc-provider adapter (${database.name})`, { skip: database.skip }, () => {
    let store: Store;
    let drop: () => Promise<void>;
    let t = 1_700_000_000_000;
    const box = new SecretBox(randomBytes(32));
    const adapter = (model: string) =>
      new KyselyAdapter(model, { db: store.db, secretBox: box, now: () => t });

    before(async () => {
      const db = await database.create();
      drop = db.drop;
      store = await openStore(db.target);
    });
    after(async () => {
      await store?.close();
      await drop?.();
    });

    for (const model of OIDC_MODELS) {
      it(`${model}: upsert, find, lookups, consume, destroy, revokeByGrantId, expiry`, async () => {
        const a = adapter(model);
        const id = `${model}-${randomBytes(16).toString('base64url')}`;
        const payload = {
          jti: id,
          kind: model,
          grantId: `grant-${id}`,
          uid: `uid-${id}`,
          userCode: `code-${id}`,
          accountId: 'acc',
          exp: 1,
        };
        await a.upsert(id, payload, 60);
        assert.deepEqual(await a.find(id), payload);
        assert.deepEqual(await a.findByUid(payload.uid), payload);
        assert.deepEqual(await a.findByUserCode(payload.userCode), payload);
        assert.equal(
          await adapter(model === 'Session' ? 'Grant' : 'Session').find(id),
          undefined,
          'models are separate',
        );

        await a.upsert(id, { ...payload, accountId: 'changed' }, 60);
        assert.equal((await a.find(id))?.accountId, 'changed', 'upsert replaces');

        await a.consume(id);
        const consumed = await a.find(id);
        assert.equal(consumed?.consumed, Math.floor(t / 1000));

        await a.destroy(id);
        assert.equal(await a.find(id), undefined);

        const [x, y] = [`${id}-x`, `${id}-y`];
        await a.upsert(x, { jti: x, grantId: 'g1' }, 60);
        await a.upsert(y, { jti: y, grantId: 'g2' }, 60);
        await a.revokeByGrantId('g1');
        assert.equal(await a.find(x), undefined);
        assert.ok(await a.find(y));

        const e = `${id}-e`;
        await a.upsert(e, { jti: e, uid: `u-${e}` }, 10);
        t += 9_999;
        assert.ok(await a.find(e));
        t += 1;
        assert.equal(await a.find(e), undefined, 'expired at expiresIn seconds');
        assert.equal(await a.findByUid(`u-${e}`), undefined);

        const forever = `${id}-forever`;
        await a.upsert(forever, { jti: forever });
        t += 365 * 24 * 3600 * 1000;
        assert.ok(await a.find(forever), 'no expiresIn: kept until destroyed');
      });
    }

    it('stores neither ids, uids nor user codes in clear, and seals payloads', async () => {
      const id = `secret-token-${randomBytes(8).toString('hex')}`;
      await adapter('AccessToken').upsert(
        id,
        { jti: id, uid: 'visible-uid', userCode: 'visible-code', accountId: 'person-1' },
        60,
      );
      const rows = await store.db.selectFrom('oidc_payloads').selectAll().execute();
      const dump = JSON.stringify(rows);
      for (const secret of [id, 'visible-uid', 'visible-code', 'person-1'])
        assert.ok(!dump.includes(secret), secret);
    });

    it('a payload moved to another row or model does not open', async () => {
      const a = adapter('AuthorizationCode');
      await a.upsert('code-a', { jti: 'code-a' }, 60);
      await a.upsert('code-b', { jti: 'code-b' }, 60);
      const rowA = await store.db
        .selectFrom('oidc_payloads')
        .select('payload_sealed')
        .where('model', '=', 'AuthorizationCode')
        .where('key', '=', digest('code-a'))
        .executeTakeFirstOrThrow();
      await store.db
        .updateTable('oidc_payloads')
        .set({ payload_sealed: rowA.payload_sealed })
        .where('key', '=', digest('code-b'))
        .execute();
      const results = await Promise.allSettled([a.find('code-a'), a.find('code-b')]);
      assert.equal(results.filter((r) => r.status === 'rejected').length, 1);
    });

    it('deletes expired artifacts in bulk', async () => {
      const a = adapter('Interaction');
      await a.upsert('short', { jti: 'short' }, 1);
      await a.upsert('long', { jti: 'long' }, 3600);
      t += 2_000;
      assert.ok((await deleteExpiredOidcPayloads(store.db, t)) >= 1);
      assert.ok(await a.find('long'));
    });
  });
}
