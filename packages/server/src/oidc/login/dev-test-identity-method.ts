// DEVELOPMENT ONLY login method: logs in as the configured fictitious test identity with no second
// factor, at assurance Low, so the whole OIDC flow can run before any authenticator exists. It refuses to
// exist in production (registerOidc refuses it too), and it succeeds only when the user-ID step named the
// test identity: any other user-ID fails like a wrong factor would.
import type { Mode } from '../../config/schema.ts';
import { ServerError } from '../../errors.ts';
import type { TestIdentity } from '../identity-directory.ts';
import type { LoginMethod, MethodOutcome } from './login-method.ts';

export const DEV_TEST_IDENTITY_METHOD_ID = 'dev-test-identity';

export function devTestIdentityMethod(options: { mode: Mode; identity: TestIdentity }): LoginMethod {
  if (options.mode !== 'development') {
    throw new ServerError('ERR_DEVELOPMENT_ONLY', 'the test identity login exists only in development mode', {
      status: 500,
    });
  }
  const outcome = (identityId: string | undefined): MethodOutcome =>
    identityId === options.identity.id
      ? { kind: 'authenticated', identityId, factors: [] }
      : { kind: 'failed', messageId: 'login.failed' };
  return {
    id: DEV_TEST_IDENTITY_METHOD_ID,
    messageId: 'login.method.devTestIdentity',
    start: async (ctx) => outcome(ctx.identityId),
    step: async (ctx) => outcome(ctx.identityId),
  };
}
