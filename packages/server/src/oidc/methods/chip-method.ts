// Login method `chip` (DESIGN §1 C/D): the password plus a WebAuthn assertion of the identity's FIDO2 security
// key (W3C WebAuthn §7.2). The options name no credential (the chip is discoverable), so they look the same for
// every user-ID; the assertion must come from the identity's own active chip, and its counter is recorded by
// compare-and-set, so a cloned or replayed assertion fails.
import { randomBytes } from 'node:crypto';
import type { AppAuthenticatorDeps } from '../../app-authenticator/app-authenticator-deps.ts';
import {
  authenticationOptions,
  credentialJsonSchema,
  verifyAssertion,
} from '../../app-authenticator/webauthn.ts';
import { isServerError } from '../../errors.ts';
import type { JsonValue, LoginMethod } from '../login/login-method.ts';
import type { PasswordFactor } from './password-factor.ts';

export const CHIP_METHOD_ID = 'chip';

export function chipMethod(
  deps: Pick<AppAuthenticatorDeps, 'store' | 'webauthn'> & { password: PasswordFactor },
): LoginMethod {
  return {
    id: CHIP_METHOD_ID,
    messageId: 'login.method.chip',
    async start() {
      const challenge = randomBytes(32);
      const options = await authenticationOptions({
        settings: deps.webauthn,
        challenge: new Uint8Array(challenge),
        allow: [],
        userVerification: 'discouraged',
      });
      return {
        kind: 'pending',
        state: { challenge: challenge.toString('base64url') },
        view: { fields: ['password', 'credential'], webauthn: options as unknown as JsonValue },
      };
    },
    async step(ctx, state, input) {
      const { password, credential } = (typeof input === 'object' && input !== null ? input : {}) as Record<
        string,
        unknown
      >;
      const passwordOk = await deps.password.check({
        identityId: ctx.identityId,
        password,
        source: ctx.source,
        now: ctx.now,
      });
      const challenge = (state as { challenge?: unknown } | null)?.challenge;
      const parsed = credentialJsonSchema.safeParse(credential);
      if (!passwordOk || ctx.identityId === undefined || typeof challenge !== 'string' || !parsed.success)
        return { kind: 'failed', messageId: 'login.failed' };
      const chip = await deps.store.webauthnCredentials.activeChip(ctx.identityId);
      if (!chip || chip.id !== parsed.data.id) return { kind: 'failed', messageId: 'login.failed' };
      try {
        const v = await verifyAssertion({
          settings: deps.webauthn,
          response: parsed.data,
          challenge: new Uint8Array(Buffer.from(challenge, 'base64url')),
          credential: chip,
          requireUserVerification: false,
        });
        if (!(await deps.store.webauthnCredentials.used(chip, v.newCounter, ctx.now)))
          return { kind: 'failed', messageId: 'login.failed' };
      } catch (e) {
        if (isServerError(e) && e.status < 500) return { kind: 'failed', messageId: 'login.failed' };
        throw e;
      }
      return { kind: 'authenticated', identityId: ctx.identityId, factors: ['fido2-key', 'password'] };
    },
  };
}
