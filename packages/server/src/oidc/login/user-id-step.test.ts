// The user-ID step on both stores: per-source fixed window, malformed input counted, no per-user lockout.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { UserId } from '@tillid/core';
import { TEST_DATABASES } from '../../../test/helpers/test-databases.ts';
import { isServerError } from '../../errors.ts';
import { openStore, type Store } from '../../store/store.ts';
import type { IdentityDirectory } from '../identity-directory.ts';
import { DEFAULT_USER_ID_THROTTLE, submitUserId, throttleSource } from './user-id-step.ts';

const directory: IdentityDirectory = {
  findByUserId: async (u: UserId) => (u.canonical === 'real.person' ? 'id-1' : undefined),
  claims: async () => undefined,
};

describe('throttleSource', () => {
  it('keeps IPv4 addresses and groups IPv6 by /64', () => {
    assert.equal(throttleSource('203.0.113.7'), '203.0.113.7');
    assert.equal(throttleSource('::ffff:203.0.113.7'), '203.0.113.7');
    assert.equal(throttleSource('2001:db8:1:2:3:4:5:6'), '2001:db8:1:2::/64');
    assert.equal(throttleSource('2001:db8:1:2::9'), '2001:db8:1:2::/64');
    assert.equal(throttleSource('2001:0db8:0001:0002:ffff::1'), '2001:db8:1:2::/64');
    assert.equal(throttleSource('2001:db8::1'), '2001:db8:0:0::/64');
    assert.equal(throttleSource('::1'), '0:0:0:0::/64');
  });
});

for (const database of TEST_DATABASES) {
  describe(`user-ID step (${database.name})`, { skip: database.skip }, () => {
    let store: Store;
    let drop: () => Promise<void>;
    before(async () => {
      const db = await database.create();
      drop = db.drop;
      store = await openStore(db.target);
    });
    after(async () => {
      await store?.close();
      await drop?.();
    });
    const deps = () => ({ rateLimits: store.rateLimits, directory, throttle: DEFAULT_USER_ID_THROTTLE });

    it('answers known and unknown user-IDs alike in shape; the identity stays server-side', async () => {
      const now = 1_800_000_000_000;
      assert.deepEqual(await submitUserId(deps(), { source: 'a', userId: 'Real.Person', now }), {
        identityId: 'id-1',
      });
      assert.deepEqual(await submitUserId(deps(), { source: 'a', userId: 'someone.else', now }), {
        identityId: null,
      });
    });

    it('allows 10 attempts a minute per source, counts malformed ones, and resets with the window', async () => {
      const start = 1_800_000_060_000; // a window boundary
      for (let i = 0; i < 10; i++) {
        const userId = i % 2 === 0 ? `guess.${i}` : 'x';
        await submitUserId(deps(), { source: 'guesser', userId, now: start + i }).catch((e: unknown) => {
          if (!isServerError(e) || e.code !== 'ERR_LOGIN_USER_ID_INVALID') throw e;
        });
      }
      await assert.rejects(
        submitUserId(deps(), { source: 'guesser', userId: 'real.person', now: start + 59_999 }),
        (e: unknown) => isServerError(e) && e.code === 'ERR_RATE_LIMITED' && e.status === 429,
      );
      // Another source is untouched: the real person is never locked out by a stranger.
      assert.deepEqual(
        await submitUserId(deps(), { source: 'victim', userId: 'real.person', now: start + 100 }),
        {
          identityId: 'id-1',
        },
      );
      assert.deepEqual(
        await submitUserId(deps(), { source: 'guesser', userId: 'real.person', now: start + 60_000 }),
        {
          identityId: 'id-1',
        },
      );
    });
  });
}
