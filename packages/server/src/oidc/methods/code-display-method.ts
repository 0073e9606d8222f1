// Login methods `code-display` and `code-reader` (DESIGN §1 C/D): the password and the one-time code of the
// identity's active device. The password is checked first, so someone without it can never spend or block the
// person's codes (tokens/verifyIdentityCode counts wrong codes and blocks the device briefly).
import type { AuthFactor } from '@tillid/core';
import type { SecretBox } from '../../crypto/secret-box.ts';
import { isServerError } from '../../errors.ts';
import type { Store } from '../../store/store.ts';
import { verifyIdentityCode } from '../../tokens/token-code.ts';
import type { TokenModel } from '../../tokens/token-repository.ts';
import type { LoginMethod } from '../login/login-method.ts';
import type { PasswordFactor } from './password-factor.ts';

const FACTOR: Record<TokenModel, AuthFactor> = { display: 'code-display-otp', reader: 'code-reader-otp' };

export function codeDeviceMethod(deps: {
  readonly store: Store;
  readonly secretBox: SecretBox;
  readonly password: PasswordFactor;
  readonly model: TokenModel;
}): LoginMethod {
  return {
    id: deps.model === 'display' ? 'code-display' : 'code-reader',
    messageId: deps.model === 'display' ? 'login.method.codeDisplay' : 'login.method.codeReader',
    start: async () => ({ kind: 'pending', state: {}, view: { fields: ['code', 'password'] } }),
    async step(ctx, _state, input) {
      const { code, password } = (typeof input === 'object' && input !== null ? input : {}) as Record<
        string,
        unknown
      >;
      const passwordOk = await deps.password.check({
        identityId: ctx.identityId,
        password,
        source: ctx.source,
        now: ctx.now,
      });
      if (!passwordOk || ctx.identityId === undefined || typeof code !== 'string' || code.length > 12)
        return { kind: 'failed', messageId: 'login.failed' };
      try {
        await verifyIdentityCode(deps, { identityId: ctx.identityId, model: deps.model, code, now: ctx.now });
      } catch (e) {
        if (isServerError(e) && e.status < 500) return { kind: 'failed', messageId: e.messageId };
        throw e;
      }
      return { kind: 'authenticated', identityId: ctx.identityId, factors: [FACTOR[deps.model], 'password'] };
    },
  };
}
