// A small relying service: logs people in with Tillid through openid-client (discovery, authorization
// code + PKCE, ID token validation, userinfo) and shows what it received, including the assurance level.
import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import * as oidc from 'openid-client';

export interface DemoSettings {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUri: string;
  readonly scope: string;
  /** Plain-http issuers are allowed only for a local development Tillid. */
  readonly allowHttpIssuer: boolean;
}

interface Pending {
  readonly verifier: string;
  readonly state: string;
  readonly nonce: string;
  readonly at: number;
}

interface LoggedIn {
  readonly idToken: Record<string, unknown>;
  readonly userinfo: Record<string, unknown>;
}

const LEVELS: Readonly<Record<string, string>> = {
  'https://data.gov.dk/concept/core/nsis/loa/Low': 'Low',
  'https://data.gov.dk/concept/core/nsis/loa/Substantial': 'Substantial',
  'https://data.gov.dk/concept/core/nsis/loa/High': 'High',
};
const PENDING_TTL_MS = 10 * 60_000;

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function cookie(request: FastifyRequest, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

/** The service's pages, in Tillid's colours (the login pages and the app share them), so it looks like one demo. */
const STYLE = `:root{--blue:#0b3d91;--blue-dark:#072a66;--ink:#1a1a1a;--muted:#4a4a4a;--soft:#eef2f9;--focus:#ffbf47}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:0;color:var(--ink);line-height:1.5}
header{background:var(--blue);color:#fff}header p{max-width:42rem;margin:0 auto;padding:.9rem 1rem;font-weight:700;font-size:1.2rem}
main{max-width:42rem;margin:0 auto;padding:1rem 1rem 2rem}h1{color:var(--blue-dark);font-size:1.6rem;line-height:1.25}
.login{display:inline-block;background:var(--blue);color:#fff;border-radius:.5rem;padding:.75rem 1.25rem;font-weight:600;
text-decoration:none;min-height:3rem}.login:hover{background:var(--blue-dark)}
a:focus-visible{outline:3px solid var(--focus);outline-offset:2px;box-shadow:0 0 0 5px #000}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #767676;padding:.3rem .6rem;text-align:left;vertical-align:top}
code{word-break:break-all}.acr{font-size:1.4rem;background:var(--soft);border-left:4px solid var(--blue);padding:.75rem}`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style>
</head><body><header><p>Demo service</p></header><main><h1>${esc(title)}</h1>${body}</main></body></html>`;
}

function table(claims: Record<string, unknown>): string {
  const rows = Object.entries(claims)
    .map(([k, v]) => `<tr><th>${esc(k)}</th><td><code>${esc(JSON.stringify(v))}</code></td></tr>`)
    .join('');
  return `<table>${rows}</table>`;
}

export function buildDemoApp(settings: DemoSettings): FastifyInstance {
  const app = Fastify({ logger: false });
  // Per-instance, in memory: a demo, not a session store.
  const pending = new Map<string, Pending>();
  const sessions = new Map<string, LoggedIn>();
  let config: Promise<oidc.Configuration> | undefined;
  const discover = () => {
    config ??= oidc
      .discovery(
        new URL(settings.issuer),
        settings.clientId,
        undefined,
        oidc.ClientSecretBasic(settings.clientSecret),
        {
          ...(settings.allowHttpIssuer ? { execute: [oidc.allowInsecureRequests] } : {}),
        },
      )
      .catch((e: unknown) => {
        config = undefined;
        throw e;
      });
    return config;
  };
  const secure = new URL(settings.redirectUri).protocol === 'https:' ? '; Secure' : '';

  app.get('/', async (request, reply) => {
    reply.type('text/html; charset=utf-8');
    const session = sessions.get(cookie(request, 'demo_session') ?? '');
    if (!session) {
      return page(
        'Tillid demo service',
        `<p>This service logs you in with Tillid (OpenID Connect, authorization code + PKCE).</p>
<p><a class="login" href="/login">Log in with Tillid</a></p>`,
      );
    }
    const acr = String(session.idToken['acr'] ?? '');
    return page(
      'You are logged in',
      `<p class="acr">Assurance level: <strong data-acr="${esc(acr)}">${esc(LEVELS[acr] ?? acr)}</strong></p>
<h2>ID token claims</h2>${table(session.idToken)}<h2>Userinfo</h2>${table(session.userinfo)}
<p><a href="/logout">Log out</a></p>`,
    );
  });

  app.get('/login', async (_request, reply) => {
    const cfg = await discover();
    const tx = randomBytes(24).toString('base64url');
    const p: Pending = {
      verifier: oidc.randomPKCECodeVerifier(),
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      at: Date.now(),
    };
    for (const [k, v] of pending) if (Date.now() - v.at > PENDING_TTL_MS) pending.delete(k);
    pending.set(tx, p);
    const url = oidc.buildAuthorizationUrl(cfg, {
      redirect_uri: settings.redirectUri,
      scope: settings.scope,
      state: p.state,
      nonce: p.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(p.verifier),
      code_challenge_method: 'S256',
    });
    reply.header('set-cookie', `demo_tx=${tx}; Path=/; HttpOnly; SameSite=Lax; Max-Age=600${secure}`);
    return reply.redirect(url.href, 303);
  });

  app.get(new URL(settings.redirectUri).pathname, async (request, reply) => {
    const tx = cookie(request, 'demo_tx') ?? '';
    const p = pending.get(tx);
    pending.delete(tx);
    reply.type('text/html; charset=utf-8');
    if (!p)
      return reply
        .code(400)
        .send(page('Login failed', '<p>No login in progress. <a href="/">Start again</a>.</p>'));
    const cfg = await discover();
    const current = new URL(request.url, settings.redirectUri);
    try {
      const tokens = await oidc.authorizationCodeGrant(cfg, current, {
        pkceCodeVerifier: p.verifier,
        expectedState: p.state,
        expectedNonce: p.nonce,
        idTokenExpected: true,
      });
      const idToken = { ...(tokens.claims() ?? {}) } as Record<string, unknown>;
      const userinfo = await oidc.fetchUserInfo(cfg, tokens.access_token, String(idToken['sub']));
      const sid = randomBytes(24).toString('base64url');
      sessions.set(sid, { idToken, userinfo: { ...userinfo } });
      reply.header('set-cookie', `demo_session=${sid}; Path=/; HttpOnly; SameSite=Lax${secure}`);
      return reply.redirect('/', 303);
    } catch (e) {
      const error =
        e instanceof oidc.AuthorizationResponseError || e instanceof oidc.ResponseBodyError
          ? e.error
          : 'login_failed';
      return reply
        .code(400)
        .send(
          page(
            'Login failed',
            `<p data-error="${esc(error)}">${esc(error)}</p><p><a href="/">Start again</a></p>`,
          ),
        );
    }
  });

  app.get('/logout', async (request, reply) => {
    sessions.delete(cookie(request, 'demo_session') ?? '');
    reply.header('set-cookie', 'demo_session=; Path=/; Max-Age=0');
    return reply.redirect('/', 303);
  });

  return app;
}
