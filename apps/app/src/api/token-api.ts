// The code display / code reader API of journey C (docs/code-display.md): activate a device the person
// has, or order one by post. Right after journey A the phone acts for the new identity by sending the
// completed enrollment flow's id in `x-tillid-enrollment` (the server's enrollment-session.ts).
import type { Locale } from '../i18n.ts';
import type { FlowView, StepAnswer } from './enrollment-api.ts';
import { requestJson } from './request-json.ts';

export type TokenModel = 'display' | 'reader';

export const ENROLLMENT_SESSION_HEADER = 'x-tillid-enrollment';

export interface PostalAddress {
  readonly name: string;
  readonly street: string;
  readonly postcode: string;
  readonly city: string;
}

export interface OrderView {
  readonly id: string;
  readonly model: TokenModel;
  readonly language: Locale;
  readonly status: string;
  readonly feeRequired: boolean;
}

export interface TokenApi {
  startActivation(session: string): Promise<FlowView>;
  chooseDevice(
    session: string,
    flowId: string,
    model: TokenModel,
  ): Promise<StepAnswer<{ model: TokenModel }>>;
  setPassword(
    session: string,
    flowId: string,
    body: { password: string; repeat: string },
  ): Promise<StepAnswer<{ strength: number }>>;
  enterSerial(session: string, flowId: string, serial: string): Promise<StepAnswer<{ serial: string }>>;
  enterCode(session: string, flowId: string, code: string): Promise<StepAnswer<{ serial: string }>>;
  order(
    session: string,
    body: { model: TokenModel; language: Locale; address: PostalAddress },
  ): Promise<OrderView>;
}

export function tokenApi(options: { base?: string; onRetry?: (attempt: number) => void } = {}): TokenApi {
  const base = options.base ?? '';
  const retry = options.onRetry ? { onRetry: options.onRetry } : {};
  const headers = (session: string) => ({ [ENROLLMENT_SESSION_HEADER]: session });
  const step = <O>(session: string, flowId: string, event: string, body: unknown) =>
    // Flow steps are idempotent on the server (the engine replays a repeated step), so retries are safe.
    requestJson<StepAnswer<O>>(`${base}/tokens/activations/${encodeURIComponent(flowId)}/${event}`, {
      method: 'POST',
      body,
      headers: headers(session),
      ...retry,
    });
  return {
    startActivation: async (session) =>
      (
        await requestJson<{ flow: FlowView }>(`${base}/tokens/activations`, {
          method: 'POST',
          body: {},
          headers: headers(session),
          // Each call makes a flow: no retries.
          retries: 0,
        })
      ).flow,
    chooseDevice: (session, flowId, model) => step(session, flowId, 'device', { model }),
    setPassword: (session, flowId, body) => step(session, flowId, 'password', body),
    enterSerial: (session, flowId, serial) => step(session, flowId, 'serial', { serial }),
    enterCode: (session, flowId, code) => step(session, flowId, 'code', { code }),
    order: async (session, body) =>
      (
        await requestJson<{ order: OrderView }>(`${base}/tokens/orders`, {
          method: 'POST',
          body,
          headers: headers(session),
          // An order is not idempotent (a second one is refused as a duplicate): no retries.
          retries: 0,
        })
      ).order,
  };
}

export function modelOf(authenticator: string | undefined): TokenModel {
  return authenticator === 'code-reader' ? 'reader' : 'display';
}
