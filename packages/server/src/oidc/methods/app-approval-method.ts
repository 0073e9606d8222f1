// Login method `app` (DESIGN §1 D): the browser shows a QR code and a number; an app instance of the identity
// proves it saw one of them, shows the service and what is approved, and signs the challenge with its device
// key after the PIN or biometrics (app-authenticator/approvals.ts). The browser polls with `step`; only that
// poll — from the browser that started the login, as the seam guarantees — turns the approval into a login.
import type { AppAuthenticatorDeps } from '../../app-authenticator/app-authenticator-deps.ts';
import { pollApproval, startApproval } from '../../app-authenticator/approvals.ts';
import type { JsonValue, LoginMethod, MethodOutcome } from '../login/login-method.ts';

export const APP_METHOD_ID = 'app';

type View = { readonly [key: string]: JsonValue };

function waiting(view: View): MethodOutcome {
  return { kind: 'pending', state: { view }, view };
}

export function appApprovalMethod(deps: Pick<AppAuthenticatorDeps, 'store' | 'notifier'>): LoginMethod {
  return {
    id: APP_METHOD_ID,
    messageId: 'login.method.app',
    async start(ctx) {
      // An unknown user-ID gets an approval too, which no app can ever open: the browser sees the same thing.
      const v = await startApproval(deps, {
        loginId: ctx.loginId,
        identityId: ctx.identityId,
        clientId: ctx.clientId,
        clientName: ctx.clientName,
        scopes: ctx.scopes,
        now: ctx.now,
      });
      return waiting({ status: 'waiting', qr: v.qr, number: v.number, expiresAt: v.expiresAt });
    },
    async step(ctx, state) {
      const view = ((state as { view?: View } | null)?.view ?? {}) as View;
      const poll = await pollApproval(deps, ctx.loginId, ctx.now);
      if (poll.kind === 'waiting') return waiting(view);
      if (poll.kind === 'approved' && poll.identityId === ctx.identityId)
        return { kind: 'authenticated', identityId: poll.identityId, factors: poll.factors };
      return { kind: 'failed', messageId: 'login.app.notApproved' };
    },
  };
}
