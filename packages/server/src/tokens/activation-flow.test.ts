import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { TEST_DATABASES } from '../../test/helpers/test-databases.ts';
import { verifyPassword } from '../crypto/password-hash.ts';
import type { SecretBox } from '../crypto/secret-box.ts';
import { flowToMermaid } from '../flows/flow-definition.ts';
import type { Store } from '../store/store.ts';
import {
  type ActivationEngine,
  activationFlow,
  createActivationEngine,
  SERIAL_RATE_LIMITS,
  setActivationPassword,
  startActivation,
} from './activation-flow.ts';
import { importTokens } from './import-tokens.ts';
import {
  codeFor,
  FIGURE6_PSK,
  fixture,
  isCode,
  openTestStore,
  T0,
  TEST_0001_SECRET,
  TEST_0002_SECRET,
} from './test-support.ts';
import { sealTokenSecret, verifyIdentityCode } from './token-code.ts';

const PASSWORD = 'Grøn Kaffe 7 Dage!';

for (const database of TEST_DATABASES) {
  describe(`code display activation on ${database.name}`, { skip: database.skip }, () => {
    let store: Store;
    let secretBox: SecretBox;
    let close: () => Promise<void>;
    let engine: ActivationEngine;
    let sources = 0;

    const insertToken = (serial: string, secret: Uint8Array) =>
      store.tokens.insert({
        serial,
        model: 'display',
        manufacturer: null,
        algorithm: 'totp-sha1',
        digits: 6,
        periodSeconds: 30,
        secretSealed: sealTokenSecret(secretBox, serial, secret),
        status: 'in-stock',
        importedAt: T0,
      });

    /** Runs the flow up to the code step for `identityId` with device `serial`. */
    async function upToCode(identityId: string, serial: string, model: 'display' | 'reader' = 'display') {
      const f = await startActivation(engine, { identityId, userId: 'anna2024' }, T0);
      await engine.fire(f.id, 'device-chosen', { model }, T0);
      const pw = await setActivationPassword(engine, f.id, { password: PASSWORD, repeat: PASSWORD }, T0);
      assert.ok(pw.output.strength >= 2);
      await engine.fire(f.id, 'serial-entered', { serial, source: `10.0.0.${++sources}` }, T0);
      return f.id;
    }

    before(async () => {
      ({ store, secretBox, close } = await openTestStore(database));
      engine = createActivationEngine({ store, secretBox, hmacKey: new Uint8Array(32).fill(7) });
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
    });
    after(async () => close?.());

    it('activates: device, password twice, serial, one-time code → bound, password stored, audited', async () => {
      const id = await upToCode('identity-a', ' test-0001 ');
      const done = await engine.fire(id, 'code-entered', { code: codeFor(TEST_0001_SECRET, T0) }, T0);
      assert.equal(done.flow.state, 'activated');
      assert.deepEqual(done.output, { serial: 'TEST-0001', model: 'display' });
      const t = await store.tokens.get('TEST-0001');
      assert.equal(t?.status, 'active');
      assert.equal(t?.identityId, 'identity-a');
      const pw = await store.tokenPasswords.get('identity-a');
      assert.ok(pw && (await verifyPassword(pw.passwordHash, PASSWORD)));
      // The flow record never holds the password.
      const raw = JSON.stringify(await store.flows.get(id));
      assert.ok(!raw.includes(PASSWORD) && raw.includes('$argon2id$'));
      const events = await store.audit.list({ subject: 'identity:identity-a' });
      assert.deepEqual(
        events.map((e) => e.type),
        ['token.activated'],
      );
      assert.equal((await store.audit.verify()).ok, true);
      // Login (journey D) now accepts the next code of this device for this identity only.
      const login = await verifyIdentityCode(
        { store, secretBox },
        { identityId: 'identity-a', model: 'display', code: codeFor(TEST_0001_SECRET, T0, 1), now: T0 },
      );
      assert.equal(login.serial, 'TEST-0001');
    });

    it('refuses a 2nd active code display with ERR_CODE_DISPLAY_LIMIT, at the first step and at the last', async () => {
      const f = await startActivation(engine, { identityId: 'identity-a' }, T0);
      await assert.rejects(
        engine.fire(f.id, 'device-chosen', { model: 'display' }, T0),
        isCode('ERR_CODE_DISPLAY_LIMIT'),
      );
      // A code reader beside the code display is allowed (one of each model).
      const reader = await upToCode('identity-a', 'TEST-1001', 'reader');
      await engine.fire(reader, 'code-entered', { code: codeFor(TEST_0001_SECRET, T0) }, T0);
      // Two flows of one identity racing to the end with two displays: the database lets one win.
      await insertToken('RACE-1', TEST_0002_SECRET);
      await insertToken('RACE-2', TEST_0002_SECRET);
      const b1 = await upToCode('identity-b', 'RACE-1');
      const b2 = await upToCode('identity-b', 'RACE-2');
      const code = codeFor(TEST_0002_SECRET, T0);
      const results = await Promise.allSettled([
        engine.fire(b1, 'code-entered', { code }, T0),
        engine.fire(b2, 'code-entered', { code }, T0),
      ]);
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      const lost = results.find((r) => r.status === 'rejected');
      const reason = (lost as PromiseRejectedResult | undefined)?.reason;
      assert.ok(isCode('ERR_CODE_DISPLAY_LIMIT')(reason), String(reason));
      const active = await store.tokens.list({ identityId: 'identity-b', status: 'active' });
      assert.equal(active.length, 1);
    });

    it('refuses a replayed one-time code and blocks after 3 wrong ones, keeping the counts across the flow', async () => {
      await insertToken('TEST-9001', TEST_0002_SECRET);
      const at = T0 + 50 * 30_000;
      const f = await startActivation(engine, { identityId: 'identity-c' }, at);
      await engine.fire(f.id, 'device-chosen', { model: 'display' }, at);
      await setActivationPassword(engine, f.id, { password: PASSWORD, repeat: PASSWORD }, at);
      await engine.fire(f.id, 'serial-entered', { serial: 'TEST-9001', source: 's' }, at);
      const right = codeFor(TEST_0002_SECRET, at);
      const wrong = right === '123456' ? '654321' : '123456';
      await assert.rejects(engine.fire(f.id, 'code-entered', { code: wrong }, at), isCode('ERR_OTP_WRONG'));
      await assert.rejects(engine.fire(f.id, 'code-entered', { code: wrong }, at), isCode('ERR_OTP_WRONG'));
      await assert.rejects(engine.fire(f.id, 'code-entered', { code: wrong }, at), isCode('ERR_OTP_BLOCKED'));
      await assert.rejects(engine.fire(f.id, 'code-entered', { code: right }, at), isCode('ERR_OTP_BLOCKED'));
      assert.equal((await store.tokens.get('TEST-9001'))?.status, 'in-stock');
      const later = at + 5 * 60_000;
      const g = await startActivation(engine, { identityId: 'identity-c' }, later);
      await engine.fire(g.id, 'device-chosen', { model: 'display' }, later);
      await setActivationPassword(engine, g.id, { password: PASSWORD, repeat: PASSWORD }, later);
      await engine.fire(g.id, 'serial-entered', { serial: 'TEST-9001', source: 's' }, later);
      const code = codeFor(TEST_0002_SECRET, later);
      await engine.fire(g.id, 'code-entered', { code }, later);
      assert.equal((await store.tokens.get('TEST-9001'))?.identityId, 'identity-c');
      // The same code in another login: replayed.
      await assert.rejects(
        verifyIdentityCode(
          { store, secretBox },
          { identityId: 'identity-c', model: 'display', code, now: later },
        ),
        isCode('ERR_OTP_REPLAYED'),
      );
    });

    it('applies the password rules (DESIGN §2) with the user-ID', async () => {
      const f = await startActivation(engine, { identityId: 'identity-d', userId: 'anna2024' }, T0);
      await engine.fire(f.id, 'device-chosen', { model: 'reader' }, T0);
      const set = (password: string, repeat = password) =>
        setActivationPassword(engine, f.id, { password, repeat }, T0);
      await assert.rejects(set('kort1'), isCode('ERR_PASSWORD_TOO_SHORT'));
      await assert.rejects(set('xxANNA2024yy'), isCode('ERR_PASSWORD_CONTAINS_USER_ID'));
      await assert.rejects(set('MitPassword99'), isCode('ERR_PASSWORD_FORBIDDEN_WORD'));
      await assert.rejects(set(PASSWORD, `${PASSWORD}x`), isCode('ERR_PASSWORD_MISMATCH'));
      await assert.rejects(
        engine.fire(f.id, 'serial-entered', { serial: 'TEST-1002', source: 's' }, T0),
        isCode('ERR_FLOW_STATE'),
      );
      assert.equal((await engine.load(f.id, T0)).flow.state, 'password');
    });

    it('rate-limits serial numbers per identity, answering unknown and foreign serials alike', async () => {
      const f = await startActivation(engine, { identityId: 'identity-e' }, T0);
      await engine.fire(f.id, 'device-chosen', { model: 'reader' }, T0);
      await setActivationPassword(engine, f.id, { password: PASSWORD, repeat: PASSWORD }, T0);
      // Unknown, already active elsewhere, and the wrong model: one answer.
      for (const serial of ['NOPE-1', 'TEST-0001', 'TEST-0002']) {
        await assert.rejects(
          engine.fire(f.id, 'serial-entered', { serial, source: 'e' }, T0),
          isCode('ERR_TOKEN_UNAVAILABLE'),
        );
      }
      for (let i = 3; i < SERIAL_RATE_LIMITS.perIdentity; i++) {
        await assert.rejects(engine.fire(f.id, 'serial-entered', { serial: `GUESS-${i}`, source: 'e' }, T0));
      }
      await assert.rejects(
        engine.fire(f.id, 'serial-entered', { serial: 'TEST-1002', source: 'e' }, T0),
        isCode('ERR_RATE_LIMITED'),
      );
      const next = T0 + SERIAL_RATE_LIMITS.windowMs;
      const ok = await engine.fire(f.id, 'serial-entered', { serial: 'TEST-1002', source: 'e' }, next);
      assert.equal(ok.flow.state, 'code');
    });
  });
}

describe('activation flow diagram', () => {
  it('docs/code-display.md shows the current state diagram', () => {
    const doc = readFileSync(new URL('../../../../docs/code-display.md', import.meta.url), 'utf8');
    assert.ok(doc.includes(flowToMermaid(activationFlow)), 'update the diagram in docs/code-display.md');
  });
});
