// The password factor of the code display, code reader and chip logins (DESIGN §1 C/D): the Argon2id hash of
// token_passwords. Every attempt costs one Argon2id verification, also for an unknown user-ID or an identity
// without a password (against a decoy hash), so neither answer nor timing tells them apart (DESIGN §3.3).
// Wrong attempts are throttled per source, never per identity, so a stranger cannot lock the person out.
import { normalisePassword } from '@tillid/core';
import { hashPassword, verifyPassword } from '../../crypto/password-hash.ts';
import { enforceRateLimit } from '../../http/rate-limit.ts';
import type { Store } from '../../store/store.ts';

export const FACTOR_THROTTLE = Object.freeze({ attempts: 20, windowMs: 60_000 });

export interface PasswordFactor {
  /** True only when `identityId` is known, has a password, and `password` is it. */
  check(input: {
    identityId: string | undefined;
    password: unknown;
    source: string;
    now: number;
  }): Promise<boolean>;
}

export function passwordFactor(store: Store): PasswordFactor {
  let decoy: Promise<string> | undefined;
  return {
    async check(input) {
      await enforceRateLimit(store, {
        key: `login-factor:${input.source}`,
        limit: FACTOR_THROTTLE.attempts,
        windowMs: FACTOR_THROTTLE.windowMs,
        now: input.now,
      });
      const password =
        typeof input.password === 'string' && input.password.length <= 256
          ? normalisePassword(input.password)
          : '';
      const stored =
        input.identityId === undefined ? undefined : await store.tokenPasswords.get(input.identityId);
      decoy ??= hashPassword('tillid decoy password that nobody has');
      const ok = await verifyPassword(stored?.passwordHash ?? (await decoy), password);
      return ok && stored !== undefined && password.length > 0;
    },
  };
}
