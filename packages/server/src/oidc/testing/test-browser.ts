// Test support: a minimal browser (cookie jar, manual redirects) and a Tillid server with the OIDC provider
// on a loopback port, so relying-party tests talk HTTP to the real thing.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../config/load-config.ts';
import type { Config } from '../../config/schema.ts';
import { buildApp } from '../../http/app.ts';
import { createLogger } from '../../log/logger.ts';
import type { DatabaseTarget } from '../../store/database.ts';
import { openStore, type Store } from '../../store/store.ts';
import type { ClientInput } from '../clients.ts';
import { parseClient } from '../clients.ts';
import type { IdentityDirectory } from '../identity-directory.ts';
import type { LoginMethod } from '../login/login-method.ts';
import type { LoginPageProvider } from '../login/login-routes.ts';
import { loadOidcSettings } from '../oidc-settings.ts';
import { type OidcHandle, registerOidc } from '../register-oidc.ts';

export class TestBrowser {
  readonly #jar = new Map<string, string>();
  readonly #headers: Record<string, string>;

  /** `headers` go with every request (e.g. X-Forwarded-For to act from another network). */
  constructor(headers: Record<string, string> = {}) {
    this.#headers = headers;
  }

  /** Cookie names this browser holds (paths are ignored: the server reads only the cookies it wants). */
  get cookieNames(): string[] {
    return [...this.#jar.keys()];
  }

  cookie(name: string): string | undefined {
    return this.#jar.get(name);
  }

  setCookie(name: string, value: string): void {
    this.#jar.set(name, value);
  }

  deleteCookie(name: string): void {
    this.#jar.delete(name);
  }

  async request(url: string | URL, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    for (const [k, v] of Object.entries(this.#headers)) headers.set(k, v);
    if (this.#jar.size > 0) headers.set('cookie', [...this.#jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      const expired = attributes.some(
        (a) => /^\s*max-age=0\s*$/i.test(a) || /expires=Thu, 01 Jan 1970/i.test(a),
      );
      if (expired || value === '') this.#jar.delete(name);
      else this.#jar.set(name, value);
    }
    return response;
  }

  async json(url: string | URL, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    const r = await this.request(url, {
      method: body === undefined ? 'GET' : 'POST',
      headers:
        body === undefined
          ? { accept: 'application/json' }
          : { accept: 'application/json', 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface TestTillid {
  readonly url: string;
  readonly issuer: string;
  readonly config: Config;
  readonly store: Store;
  readonly oidc: OidcHandle;
  readonly app: FastifyInstance;
  /** Moves the server's clock (database expiry, key retirement) by `ms`. */
  advance(ms: number): void;
  close(): Promise<void>;
}

/** A Tillid server with OIDC on 127.0.0.1; `fileClients` go into a clients file, `dbClients` into the registry. */
export async function startTestTillid(options: {
  target: DatabaseTarget;
  fileClients?: readonly ClientInput[];
  dbClients?: readonly ClientInput[];
  env?: Record<string, string>;
  methods?: readonly LoginMethod[];
  directory?: IdentityDirectory;
  loginPage?: LoginPageProvider;
}): Promise<TestTillid> {
  const port = await freePort();
  const cwd = mkdtempSync(join(tmpdir(), 'tillid-oidc-'));
  const clientsFile = join(cwd, 'clients.json');
  writeFileSync(clientsFile, JSON.stringify({ clients: options.fileClients ?? [] }));
  const env = {
    TILLID_PORT: String(port),
    TILLID_HOST: '127.0.0.1',
    TILLID_PUBLIC_URL: `http://127.0.0.1:${port}`,
    TILLID_HMAC_KEY: randomBytes(32).toString('hex'),
    TILLID_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    TILLID_OIDC_CLIENTS: clientsFile,
    TILLID_OIDC_KEY_REFRESH_SECONDS: '0',
    ...options.env,
  };
  const config = loadConfig({ env, cwd });
  const settings = loadOidcSettings({ env, config, cwd });
  const store = await openStore(options.target);
  let offset = 0;
  const clock = { now: () => Date.now() + offset };
  let oidc: OidcHandle | undefined;
  const { app } = await buildApp({
    config,
    store,
    clock,
    logger: createLogger({ level: 'silent' }),
    extend: async (a) => {
      oidc = await registerOidc(a, {
        config,
        store,
        settings,
        clock,
        ...(options.methods ? { methods: options.methods } : {}),
        ...(options.directory ? { directory: options.directory } : {}),
        ...(options.loginPage ? { loginPage: options.loginPage } : {}),
      });
    },
  });
  for (const c of options.dbClients ?? []) await oidc!.clients.put(parseClient(c, config.mode), clock.now());
  await app.listen({ host: '127.0.0.1', port });
  return {
    url: config.publicUrl,
    issuer: oidc!.issuer,
    config,
    store,
    oidc: oidc!,
    app,
    advance: (ms) => {
      offset += ms;
    },
    close: async () => {
      await app.close();
      await store.close();
    },
  };
}

/** Follows the browser's side of a login: authorize → /login page → user-ID → method → back to the service. */
export async function browserLogin(
  browser: TestBrowser,
  authorizationUrl: URL,
  options: { userId: string; method?: string },
): Promise<{ callback: URL; loginUrl: URL }> {
  const start = await browser.request(authorizationUrl);
  const location = start.headers.get('location');
  if (start.status !== 303 || !location)
    throw new TypeError(`authorize answered ${start.status}: ${await start.text()}`);
  const loginUrl = new URL(location, authorizationUrl);
  const page = await browser.json(loginUrl);
  if (page.status !== 200)
    throw new TypeError(`login page answered ${page.status}: ${JSON.stringify(page.body)}`);
  const afterUserId = await browser.json(`${loginUrl}/user-id`, { userId: options.userId });
  if (afterUserId.status !== 200) throw new TypeError(`user-ID step answered ${afterUserId.status}`);
  const done = await browser.json(`${loginUrl}/method`, { method: options.method ?? 'dev-test-identity' });
  if (done.status !== 200)
    throw new TypeError(`method step answered ${done.status}: ${JSON.stringify(done.body)}`);
  let next = new URL(String(done.body['redirectTo']), loginUrl);
  for (let hops = 0; hops < 5; hops++) {
    const r = await browser.request(next);
    const to = r.headers.get('location');
    if (r.status < 300 || r.status >= 400 || !to)
      throw new TypeError(`resume answered ${r.status}: ${await r.text()}`);
    next = new URL(to, next);
    if (next.origin !== loginUrl.origin) return { callback: next, loginUrl };
  }
  throw new TypeError('too many redirects');
}
