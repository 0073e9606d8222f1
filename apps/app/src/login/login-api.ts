// The client of the login interaction's JSON API (docs/oidc.md, /login/<uid>): the page runs in the browser
// that started the login, so its cookies bind every request to this login (DESIGN §3.1).
import { requestJson } from '../api/request-json.ts';

export interface LoginMethodInfo {
  readonly id: string;
  readonly messageId: string;
}

export interface LoginView {
  readonly loginId: string;
  readonly step: 'user-id' | 'method' | 'finished';
  readonly service: { readonly clientId: string; readonly name: string };
  readonly scopes: readonly string[];
  readonly methods: readonly LoginMethodInfo[];
  readonly lastMethod?: string | undefined;
  readonly method: { readonly id: string; readonly view: Readonly<Record<string, unknown>> } | null;
}

/** What a step answers: the login as it is now, or where the browser goes next (back to the service). */
export type LoginAnswer =
  | { readonly kind: 'view'; readonly view: LoginView }
  | { readonly kind: 'finished'; readonly redirectTo: string };

export interface LoginApi {
  load(): Promise<LoginView>;
  userId(userId: string): Promise<LoginAnswer>;
  start(method: string): Promise<LoginAnswer>;
  /** One step of the current method: the code and password, the WebAuthn response, or `{ poll: true }`. */
  step(input: Readonly<Record<string, unknown>>): Promise<LoginAnswer>;
  abort(): Promise<LoginAnswer>;
}

function answer(body: unknown): LoginAnswer {
  const b = body as { step?: unknown; redirectTo?: unknown };
  if (b.step === 'finished' && typeof b.redirectTo === 'string')
    return { kind: 'finished', redirectTo: b.redirectTo };
  return { kind: 'view', view: body as LoginView };
}

/** `base` is the login's own path, `/login/<uid>`. */
export function loginApi(base: string, options: { onRetry?: (attempt: number) => void } = {}): LoginApi {
  const retry = options.onRetry ? { onRetry: options.onRetry } : {};
  const post = async (path: string, body: unknown, retries: number) =>
    answer(await requestJson<unknown>(`${base}/${path}`, { method: 'POST', body, retries, ...retry }));
  return {
    load: () => requestJson<LoginView>(base, retry),
    // Answers for a known and an unknown user-ID look alike; a repeat only counts one more attempt.
    userId: (userId) => post('user-id', { userId }, 1),
    // Starting a method again renews it (a new QR and number, new WebAuthn options): safe to retry.
    start: (method) => post('method', { method }, 3),
    // A code is accepted once: a step is never sent twice on its own (a poll is, by the next poll).
    step: (input) => post('step', { input }, 0),
    abort: () => post('abort', {}, 1),
  };
}

/** The login's path from the page's address (`/login/<uid>`), or undefined on any other page. */
export function loginBase(pathname: string): string | undefined {
  const m = /^\/login\/([A-Za-z0-9_-]{10,64})\/?$/.exec(pathname);
  return m ? `/login/${m[1]}` : undefined;
}

/** The methods in the order shown: the one this browser used last first, the rest as the server lists them. */
export function orderMethods(
  methods: readonly LoginMethodInfo[],
  last: string | undefined,
): LoginMethodInfo[] {
  return [...methods].sort((a, b) => Number(b.id === last) - Number(a.id === last));
}
