import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { TEST_DATABASES } from '../../test/helpers/test-databases.ts';
import { loadConfig } from '../config/load-config.ts';
import type { Mode } from '../config/schema.ts';
import type { SecretBox } from '../crypto/secret-box.ts';
import { buildApp } from '../http/app.ts';
import { createLogger } from '../log/logger.ts';
import type { Store } from '../store/store.ts';
import { importTokens } from './import-tokens.ts';
import { codeFor, FIGURE6_PSK, fixture, openTestStore, T0, TEST_0001_SECRET } from './test-support.ts';
import { registerTokenRoutes } from './token-routes.ts';

const PASSWORD = 'Blå Bølger 2026 ved Kysten';

async function appFor(store: Store, secretBox: SecretBox, mode: Mode): Promise<FastifyInstance> {
  const config = loadConfig({ env: {}, cwd: mkdtempSync(join(tmpdir(), 'tillid-tokens-')) });
  const { app } = await buildApp({
    config,
    store,
    logger: createLogger({ level: 'silent' }),
    extend: (a) =>
      registerTokenRoutes(a, {
        store,
        secretBox,
        hmacKey: new Uint8Array(32).fill(7),
        mode,
        clock: { now: () => T0 },
        // Tests name the caller in a header; the real server resolves it from the session.
        identityOf: async (request) => {
          const id = request.headers['x-test-identity'];
          return typeof id === 'string' ? { identityId: id, userId: 'anna2024' } : undefined;
        },
      }),
  });
  await app.ready();
  return app;
}

for (const database of TEST_DATABASES) {
  describe(`code display HTTP routes on ${database.name}`, { skip: database.skip }, () => {
    let store: Store;
    let secretBox: SecretBox;
    let close: () => Promise<void>;
    let app: FastifyInstance;
    const as = (identity: string) => ({ 'x-test-identity': identity });

    before(async () => {
      ({ store, secretBox, close } = await openTestStore(database));
      const deps = { store, secretBox };
      await importTokens(deps, {
        xml: fixture('tillid-totp-plain.pskcxml'),
        model: 'display',
        actor: 't',
        now: T0,
      });
      await importTokens(deps, {
        xml: fixture('tillid-totp-encrypted.pskcxml'),
        psk: FIGURE6_PSK,
        model: 'reader',
        actor: 't',
        now: T0,
      });
      app = await appFor(store, secretBox, 'development');
    });
    after(async () => {
      await app?.close();
      await close?.();
    });

    it('activates a code display step by step, with typed errors', async () => {
      const who = as('web-1');
      assert.equal(
        (await app.inject({ method: 'POST', url: '/tokens/activations' })).json().error.code,
        'ERR_IDENTITY_REQUIRED',
      );
      const start = await app.inject({ method: 'POST', url: '/tokens/activations', headers: who });
      assert.equal(start.statusCode, 201);
      const id = start.json().flow.id as string;
      const step = (path: string, payload: object, headers = who) =>
        app.inject({ method: 'POST', url: `/tokens/activations/${id}/${path}`, headers, payload });
      // Another person cannot see or drive this flow.
      assert.equal(
        (await step('device', { model: 'display' }, as('web-2'))).json().error.code,
        'ERR_FLOW_NOT_FOUND',
      );
      assert.equal((await step('device', { model: 'tv' })).json().error.code, 'ERR_VALIDATION');
      assert.equal((await step('device', { model: 'display' })).statusCode, 200);
      const weak = await step('password', { password: 'qwertyuiop1', repeat: 'qwertyuiop1' });
      assert.equal(weak.statusCode, 422);
      assert.equal(weak.json().error.code, 'ERR_PASSWORD_KEYBOARD_SEQUENCE');
      const pw = await step('password', { password: PASSWORD, repeat: PASSWORD });
      assert.equal(pw.statusCode, 200, pw.body);
      assert.ok(pw.json().output.strength >= 3);
      assert.equal((await step('serial', { serial: 'NOPE' })).json().error.code, 'ERR_TOKEN_UNAVAILABLE');
      assert.equal((await step('serial', { serial: 'test-0001' })).json().flow.state, 'code');
      assert.equal((await step('code', { code: '12345' })).statusCode, 400);
      const code = codeFor(TEST_0001_SECRET, T0);
      const done = await step('code', { code });
      assert.equal(done.statusCode, 200, done.body);
      assert.deepEqual(done.json().output, { serial: 'TEST-0001', model: 'display' });
      // A retried request answers the same result (the engine's idempotency), not a replay error.
      assert.deepEqual((await step('code', { code })).json(), done.json());
      const view = await app.inject({ url: `/tokens/activations/${id}`, headers: who });
      assert.equal(view.json().flow.state, 'activated');
      // A second code display for the same person.
      const again = (await app.inject({ method: 'POST', url: '/tokens/activations', headers: who })).json()
        .flow.id;
      const second = await app.inject({
        method: 'POST',
        url: `/tokens/activations/${again}/device`,
        headers: who,
        payload: { model: 'display' },
      });
      assert.equal(second.statusCode, 409);
      assert.equal(second.json().error.code, 'ERR_CODE_DISPLAY_LIMIT');
    });

    it('orders a code reader by post and lists and cancels it', async () => {
      const who = as('web-3');
      const payload = {
        model: 'reader',
        language: 'da',
        address: { name: 'Bo', street: 'Vej 1', postcode: '8000', city: 'Aarhus' },
      };
      const placed = await app.inject({ method: 'POST', url: '/tokens/orders', headers: who, payload });
      assert.equal(placed.statusCode, 201, placed.body);
      assert.equal(placed.json().order.status, 'ordered');
      assert.equal(placed.json().order.addressSealed, undefined);
      const dup = await app.inject({ method: 'POST', url: '/tokens/orders', headers: who, payload });
      assert.equal(dup.json().error.code, 'ERR_CODE_DISPLAY_LIMIT');
      const bad = await app.inject({
        method: 'POST',
        url: '/tokens/orders',
        headers: who,
        payload: { ...payload, language: 'de' },
      });
      assert.equal(bad.statusCode, 400);
      const list = await app.inject({ url: '/tokens/orders', headers: who });
      assert.equal(list.json().orders.length, 1);
      const id = placed.json().order.id;
      const foreign = await app.inject({
        method: 'POST',
        url: `/tokens/orders/${id}/cancel`,
        headers: as('web-4'),
      });
      assert.equal(foreign.json().error.code, 'ERR_ORDER_NOT_FOUND');
      const cancelled = await app.inject({
        method: 'POST',
        url: `/tokens/orders/${id}/cancel`,
        headers: who,
      });
      assert.equal(cancelled.json().order.status, 'cancelled');
    });

    it('serves the virtual code display in development, with the current code and a speak button', async () => {
      const page = await app.inject('/dev/code-display?serial=TEST-1002');
      assert.equal(page.statusCode, 200);
      assert.match(String(page.headers['content-type']), /text\/html/);
      assert.match(page.body, /speechSynthesis/);
      const hostile = await app.inject(
        `/dev/code-display?serial=${encodeURIComponent('</script><script>alert(1)</script>')}`,
      );
      assert.ok(!hostile.body.includes('<script>alert(1)'));
      const code = await app.inject('/dev/code-display/code?serial=test-0002');
      assert.equal(code.statusCode, 200);
      assert.equal(code.json().model, 'display');
      assert.match(code.json().code, /^\d{6}$/);
      assert.equal((await app.inject('/dev/code-display/code?serial=TEST-1001')).json().model, 'reader');
      assert.equal((await app.inject('/dev/code-display/code?serial=NOPE')).statusCode, 404);
    });

    it('has no virtual code display in production', async () => {
      const prod = await appFor(store, secretBox, 'production');
      try {
        for (const url of ['/dev/code-display?serial=TEST-0001', '/dev/code-display/code?serial=TEST-0001']) {
          const r = await prod.inject(url);
          assert.equal(r.statusCode, 404);
          assert.equal(r.json().error.code, 'ERR_NOT_FOUND');
        }
      } finally {
        await prod.close();
      }
    });
  });
}
