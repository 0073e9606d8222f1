import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TEST_DATABASES } from '../../test/helpers/test-databases.ts';
import type { SecretBox } from '../crypto/secret-box.ts';
import type { Store } from '../store/store.ts';
import { createActivationEngine, setActivationPassword, startActivation } from './activation-flow.ts';
import { importTokens } from './import-tokens.ts';
import {
  cancelOrder,
  deliverOrder,
  openOrderAddress,
  orderLetterInput,
  placeOrder,
  shipOrder,
} from './order-service.ts';
import { codeFor, fixture, isCode, openTestStore, T0, TEST_0001_SECRET } from './test-support.ts';

const address = { name: 'Anna Jensen', street: 'Aqqusinersuaq 3', postcode: '3900', city: 'Nuuk' };

for (const database of TEST_DATABASES) {
  describe(`orders by post on ${database.name}`, { skip: database.skip }, () => {
    let store: Store;
    let secretBox: SecretBox;
    let close: () => Promise<void>;
    const deps = () => ({ store, secretBox });
    const order = (identityId: string, model: 'display' | 'reader' = 'display') =>
      placeOrder(deps(), { identityId, model, language: 'kl', address, now: T0 });

    before(async () => {
      ({ store, secretBox, close } = await openTestStore(database));
      await importTokens(deps(), {
        xml: fixture('tillid-totp-plain.pskcxml'),
        model: 'display',
        actor: 't',
        now: T0,
      });
    });
    after(async () => close?.());

    it('ordered → shipped (device assigned) → delivered → activated by the person', async () => {
      const o = await order('p-1');
      assert.equal(o.status, 'ordered');
      assert.equal(o.feeRequired, false);
      assert.deepEqual(openOrderAddress(secretBox, (await store.tokenOrders.get(o.id))!), address);
      const raw = JSON.stringify(await store.db.selectFrom('token_orders').selectAll().execute());
      assert.ok(!raw.includes('Aqqusinersuaq'), 'address stored in clear');
      await assert.rejects(
        deliverOrder(deps(), { orderId: o.id, actor: 'op', now: T0 }),
        isCode('ERR_ORDER_STATE'),
      );
      const shipped = await shipOrder(deps(), { orderId: o.id, serial: 'TEST-0001', actor: 'op', now: T0 });
      assert.deepEqual([shipped.status, shipped.serial], ['shipped', 'TEST-0001']);
      const t = await store.tokens.get('TEST-0001');
      assert.deepEqual([t?.status, t?.identityId], ['assigned', 'p-1']);
      const letter = await orderLetterInput(deps(), o.id, T0);
      assert.deepEqual([letter.language, letter.serial, letter.address.city], ['kl', 'TEST-0001', 'Nuuk']);
      assert.equal((await deliverOrder(deps(), { orderId: o.id, actor: 'op', now: T0 })).status, 'delivered');

      // Someone else cannot activate the device sent to p-1; p-1 can.
      const engine = createActivationEngine({ ...deps(), hmacKey: new Uint8Array(32).fill(7) });
      const pw = 'Sommerfugl i Nuuk 9';
      const run = async (identityId: string) => {
        const f = await startActivation(engine, { identityId }, T0);
        await engine.fire(f.id, 'device-chosen', { model: 'display' }, T0);
        await setActivationPassword(engine, f.id, { password: pw, repeat: pw }, T0);
        await engine.fire(f.id, 'serial-entered', { serial: 'TEST-0001', source: identityId }, T0);
        return engine.fire(f.id, 'code-entered', { code: codeFor(TEST_0001_SECRET, T0) }, T0);
      };
      await assert.rejects(run('p-other'), isCode('ERR_TOKEN_UNAVAILABLE'));
      await run('p-1');
      assert.equal((await store.tokenOrders.get(o.id))?.status, 'activated');
      // One active code display: no new order of that model.
      await assert.rejects(order('p-1'), isCode('ERR_CODE_DISPLAY_LIMIT'));
      const types = (await store.audit.list({ subject: 'identity:p-1' })).map((e) => e.type);
      assert.deepEqual(types, [
        'token.order.placed',
        'token.order.shipped',
        'token.order.delivered',
        'token.activated',
      ]);
    });

    it('allows one open order per model, also under racing requests', async () => {
      const first = await order('p-2');
      await assert.rejects(order('p-2'), isCode('ERR_CODE_DISPLAY_LIMIT'));
      // Two racing orders: the database lets one through.
      const racing = await Promise.allSettled([order('p-3', 'reader'), order('p-3', 'reader')]);
      assert.equal(racing.filter((r) => r.status === 'fulfilled').length, 1);
      assert.equal((await store.tokenOrders.list({ identityId: 'p-3' })).length, 1);
      await cancelOrder(deps(), { orderId: first.id, actor: 'identity:p-2', identityId: 'p-2', now: T0 });
      // Once cancelled, the model may be ordered again, and the cancelled order is not counted as a device.
      const again = await order('p-2');
      assert.equal(again.feeRequired, false);
    });

    it('counts non-cancelled orders toward the 3 free devices', async () => {
      const ids: string[] = [];
      const fees: boolean[] = [];
      for (let i = 0; i < 4; i++) {
        const o = await order('p-6', 'reader');
        fees.push(o.feeRequired);
        ids.push(o.id);
        // Mark it done without a device so the next order is allowed (an operator correction).
        const row = await store.tokenOrders.get(o.id);
        await store.tokenOrders.update(o.id, row!.version, { status: 'activated' }, T0);
      }
      assert.deepEqual(fees, [false, false, false, true]);
    });

    it("revokes a shipped device when its order is cancelled, and refuses a person cancelling another's order", async () => {
      const o = await order('p-7');
      await assert.rejects(
        cancelOrder(deps(), { orderId: o.id, actor: 'x', identityId: 'p-8', now: T0 }),
        isCode('ERR_ORDER_NOT_FOUND'),
      );
      const t = (await store.tokens.list({ status: 'in-stock' }))[0];
      assert.ok(t);
      await shipOrder(deps(), { orderId: o.id, serial: t.serial, actor: 'op', now: T0 });
      await assert.rejects(
        shipOrder(deps(), { orderId: o.id, serial: t.serial, actor: 'op', now: T0 }),
        isCode('ERR_ORDER_STATE'),
      );
      await cancelOrder(deps(), { orderId: o.id, actor: 'op', now: T0 });
      assert.equal((await store.tokens.get(t.serial))?.status, 'revoked');
      assert.equal((await store.audit.verify()).ok, true);
    });
  });
}
