// Registering the chip (a FIDO2 security key, docs/app-authenticator.md "The chip: registration") right after
// journey A: the phone acts for the new identity with the completed enrollment's id in `x-tillid-enrollment`.

import { requestJson } from './request-json.ts';
import { ENROLLMENT_SESSION_HEADER } from './token-api.ts';

export interface ChipRegistrationStart {
  readonly registrationId: string;
  /** WebAuthn creation options (JSON) for the browser. */
  readonly options: unknown;
  /** The identity has no password yet: it is set with the key, typed twice. */
  readonly passwordRequired: boolean;
}

export interface ChipApi {
  start(session: string): Promise<ChipRegistrationStart>;
  finish(
    session: string,
    registrationId: string,
    body: { credential: unknown; password?: string; repeat?: string },
  ): Promise<{ registered: boolean; strength?: number }>;
}

export function chipApi(options: { base?: string; onRetry?: (attempt: number) => void } = {}): ChipApi {
  const base = options.base ?? '';
  const retry = options.onRetry ? { onRetry: options.onRetry } : {};
  const headers = (session: string) => ({ [ENROLLMENT_SESSION_HEADER]: session });
  return {
    start: (session) =>
      requestJson<ChipRegistrationStart>(`${base}/v1/chip/registrations`, {
        method: 'POST',
        body: {},
        headers: headers(session),
        // Each call makes a registration; an unused one expires by itself.
        ...retry,
      }),
    finish: (session, registrationId, body) =>
      requestJson(`${base}/v1/chip/registrations/${encodeURIComponent(registrationId)}`, {
        method: 'POST',
        body,
        headers: headers(session),
        // Single use on the server: a repeat after a lost answer is refused, never registered twice.
        retries: 0,
      }),
  };
}
