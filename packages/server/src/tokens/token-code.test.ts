import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TEST_DATABASES } from '../../test/helpers/test-databases.ts';
import type { SecretBox } from '../crypto/secret-box.ts';
import type { Store } from '../store/store.ts';
import { importTokens } from './import-tokens.ts';
import {
  codeFor,
  fixture,
  isCode,
  openTestStore,
  T0,
  TEST_0001_SECRET,
  TEST_0002_SECRET,
} from './test-support.ts';
import { attemptTokenCode, verifyIdentityCode } from './token-code.ts';
import { TOTP_POLICY, timeStep } from './totp.ts';

for (const database of TEST_DATABASES) {
  describe(`one-time codes on ${database.name}`, { skip: database.skip }, () => {
    let store: Store;
    let secretBox: SecretBox;
    let close: () => Promise<void>;
    const attempt = async (serial: string, code: string, now: number) => {
      const r = await attemptTokenCode({ tokens: store.tokens, secretBox }, { serial, code, now });
      if (!r.ok) throw r.error;
      return r.counter;
    };

    before(async () => {
      ({ store, secretBox, close } = await openTestStore(database));
      await importTokens(
        { store, secretBox },
        { xml: fixture('tillid-totp-plain.pskcxml'), model: 'display', actor: 'test', now: T0 },
      );
    });
    after(async () => close?.());

    it('accepts the current code once; the same code again is ERR_OTP_REPLAYED', async () => {
      const code = codeFor(TEST_0001_SECRET, T0);
      assert.equal(await attempt('TEST-0001', code, T0), timeStep(T0));
      await assert.rejects(attempt('TEST-0001', code, T0 + 1000), isCode('ERR_OTP_REPLAYED'));
      // The previous step's code is older than the accepted one: a replay as well.
      await assert.rejects(
        attempt('TEST-0001', codeFor(TEST_0001_SECRET, T0, -1), T0),
        isCode('ERR_OTP_REPLAYED'),
      );
      // The next step's code is fresh (±1 step of drift).
      assert.equal(await attempt('TEST-0001', codeFor(TEST_0001_SECRET, T0, 1), T0), timeStep(T0) + 1);
      const row = await store.tokens.get('TEST-0001');
      assert.equal(row?.lastCounter, timeStep(T0) + 1);
    });

    it('accepts one step of drift either way, not two', async () => {
      const later = T0 + 10 * 30_000;
      assert.equal(
        await attempt('TEST-0002', codeFor(TEST_0002_SECRET, later, -1), later),
        timeStep(later) - 1,
      );
      await assert.rejects(
        attempt('TEST-0002', codeFor(TEST_0002_SECRET, later, 2), later),
        isCode('ERR_OTP_WRONG'),
      );
      // An accepted code clears the wrong-code count.
      assert.equal(
        await attempt('TEST-0002', codeFor(TEST_0002_SECRET, later, 1), later),
        timeStep(later) + 1,
      );
      assert.equal((await store.tokens.get('TEST-0002'))?.failedAttempts, 0);
    });

    it('blocks after 3 wrong codes, even for the right code, until the block ends', async () => {
      const at = T0 + 100 * 30_000;
      const right = codeFor(TEST_0002_SECRET, at);
      const wrong = right === '000000' ? '111111' : '000000';
      await assert.rejects(attempt('TEST-0002', wrong, at), (e) => isCode('ERR_OTP_WRONG')(e));
      await assert.rejects(attempt('TEST-0002', wrong, at), isCode('ERR_OTP_WRONG'));
      await assert.rejects(attempt('TEST-0002', wrong, at), isCode('ERR_OTP_BLOCKED'));
      await assert.rejects(attempt('TEST-0002', right, at + 1000), isCode('ERR_OTP_BLOCKED'));
      const after = at + TOTP_POLICY.blockMs;
      assert.equal(await attempt('TEST-0002', codeFor(TEST_0002_SECRET, after), after), timeStep(after));
      assert.equal((await store.tokens.get('TEST-0002'))?.failedAttempts, 0);
    });

    it('accepts one of many concurrent submissions of the same code', async () => {
      const at = T0 + 200 * 30_000;
      const code = codeFor(TEST_0001_SECRET, at);
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, () => attempt('TEST-0001', code, at)),
      );
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      for (const r of results) {
        if (r.status === 'rejected') assert.ok(isCode('ERR_OTP_REPLAYED')(r.reason), String(r.reason));
      }
    });

    it('refuses unknown serials, and login with a device that is not active for the identity', async () => {
      await assert.rejects(attempt('NOPE', '123456', T0), isCode('ERR_TOKEN_NOT_FOUND'));
      await assert.rejects(
        verifyIdentityCode(
          { store, secretBox },
          { identityId: 'id-1', model: 'display', code: codeFor(TEST_0001_SECRET, T0), now: T0 },
        ),
        isCode('ERR_TOKEN_NOT_FOUND'),
      );
    });
  });
}
