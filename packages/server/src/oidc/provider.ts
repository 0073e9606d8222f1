// The OpenID Connect provider (oidc-provider) as Tillid configures it:
// - authorization code flow only, PKCE required (oidc-provider 9 accepts S256 only), no implicit/hybrid;
// - a fresh login for every authorization request (no silent single sign-on), through /login/<uid>;
// - consent is the login page itself: the grant covers exactly the scopes the service asked for;
// - claims by scope (profile: name, birthdate; ssn: dk.cpr), public or pairwise `sub`, acr/amr from login;
// - keys from the database; `OidcProviderHost.reloadKeys` rebuilds the provider after a rotation.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { NSIS_LOA_URIS } from '@tillid/core';
import type { Kysely } from 'kysely';
import Provider, { type Configuration, interactionPolicy, type KoaContextWithOIDC } from 'oidc-provider';
import type { SecretBox } from '../crypto/secret-box.ts';
import type { Database } from '../store/schema.ts';
import { CPR_CLAIM, pairwiseSubject, SCOPE_CLAIMS, SUPPORTED_SCOPES } from './claims.ts';
import {
  ClientAdapter,
  type ClientMetadata,
  type OidcClientRepository,
  toProviderMetadata,
} from './clients.ts';
import { CookieSigner } from './cookie-signer.ts';
import type { IdentityClaims, IdentityDirectory } from './identity-directory.ts';
import { KyselyAdapter } from './kysely-adapter.ts';
import { skipProviderRequestStorage } from './request-context.ts';
import { ensureSigningKey, providerJwks, signingKeysVersion } from './signing-keys.ts';

export const LOGIN_PATH = '/login';

/** Lifetimes in seconds: short, since every authorization logs in afresh. */
export const OIDC_TTL = Object.freeze({
  AccessToken: 10 * 60,
  AuthorizationCode: 60,
  IdToken: 60 * 60,
  Interaction: 15 * 60,
  Session: 15 * 60,
  Grant: 60 * 60,
});

export interface ProviderDeps {
  readonly issuer: string;
  readonly db: Kysely<Database>;
  readonly secretBox: SecretBox;
  readonly hmacKey: Uint8Array;
  readonly clients: OidcClientRepository;
  /** Clients from the clients file (they win over database clients of the same id). */
  readonly fileClients: readonly ClientMetadata[];
  readonly directory: IdentityDirectory;
  readonly trustProxy: boolean;
  /** Epoch ms: expiry in the adapter and key publication. */
  readonly now: () => number;
  readonly onServerError?: (error: unknown) => void;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function loadExistingGrant(ctx: KoaContextWithOIDC) {
  const { oidc } = ctx;
  const accountId = oidc.session?.accountId;
  const client = oidc.client;
  if (!accountId || !client) return undefined;
  const grantId = oidc.result?.consent?.grantId ?? oidc.session?.grantIdFor(client.clientId);
  let grant = grantId ? await oidc.provider.Grant.find(grantId) : undefined;
  if (grant && (grant.accountId !== accountId || grant.clientId !== client.clientId)) grant = undefined;
  grant ??= new oidc.provider.Grant({ accountId, clientId: client.clientId });
  // The login page showed the service and what it asks for; logging in is the consent to exactly that.
  grant.addOIDCScope([...oidc.requestParamScopes].filter((s) => SUPPORTED_SCOPES.includes(s)));
  if (oidc.requestParamClaims.size > 0) grant.addOIDCClaims([...oidc.requestParamClaims]);
  await grant.save();
  return grant;
}

function loginPolicy() {
  const policy = interactionPolicy.base();
  const login = policy.get('login');
  // No silent single sign-on: each authorization request is a login of its own (DESIGN §1 D), so a
  // service always gets an `acr` the person just proved, in the browser that asked.
  login?.checks.add(
    new interactionPolicy.Check('fresh_login', 'every authorization request needs its own login', (ctx) =>
      ctx.oidc.result?.login
        ? interactionPolicy.Check.NO_NEED_TO_PROMPT
        : interactionPolicy.Check.REQUEST_PROMPT,
    ),
  );
  return policy;
}

export function providerConfiguration(deps: ProviderDeps, jwks: { keys: object[] }): Configuration {
  const clientAdapter = new ClientAdapter(deps.clients);
  const adapterDeps = { db: deps.db, secretBox: deps.secretBox, now: deps.now };
  return {
    adapter: (name: string) => (name === 'Client' ? clientAdapter : new KyselyAdapter(name, adapterDeps)),
    clients: deps.fileClients.map(toProviderMetadata),
    jwks: jwks as Configuration['jwks'],
    async findAccount(_ctx, sub, token) {
      const released = (claims: IdentityClaims) => ({
        sub,
        name: claims.name,
        birthdate: claims.birthdate,
        ...(claims.cpr === undefined ? {} : { [CPR_CLAIM]: claims.cpr }),
      });
      // At the authorization endpoint (no token yet) the login has just checked the identity, and a code
      // flow releases no claims there: they are read when asked for. The token and userinfo endpoints
      // (a code or an access token) read the identity first, so a revoked one gets no tokens and no claims.
      if (token === undefined)
        return {
          accountId: sub,
          claims: async () => {
            const claims = await deps.directory.claims(sub);
            if (!claims) throw new TypeError('the identity is no longer active');
            return released(claims);
          },
        };
      const claims = await deps.directory.claims(sub);
      if (!claims) return undefined;
      return { accountId: sub, claims: async () => released(claims) };
    },
    claims: {
      // acr, amr and auth_time ride with `openid` so every ID token carries how the person logged in.
      openid: [...SCOPE_CLAIMS.openid, 'acr', 'amr', 'auth_time'],
      profile: [...SCOPE_CLAIMS.profile],
      ssn: [...SCOPE_CLAIMS.ssn],
      sid: null,
      iss: null,
    },
    scopes: [...SUPPORTED_SCOPES],
    acrValues: [NSIS_LOA_URIS.low, NSIS_LOA_URIS.substantial, NSIS_LOA_URIS.high],
    responseTypes: ['code'],
    pkce: { required: () => true },
    subjectTypes: ['public', 'pairwise'],
    pairwiseIdentifier: (_ctx, accountId, client) =>
      pairwiseSubject(
        deps.hmacKey,
        (client as unknown as { sectorIdentifier?: string }).sectorIdentifier ?? client.clientId,
        accountId,
      ),
    clientDefaults: {
      grant_types: ['authorization_code'],
      response_types: ['code'],
      id_token_signed_response_alg: 'RS256',
      token_endpoint_auth_method: 'client_secret_basic',
    },
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
    // Only public (browser/native) clients may call the token endpoint cross-origin, from their own origins.
    clientBasedCORS: (_ctx, origin, client) =>
      client.clientAuthMethod === 'none' &&
      (client.redirectUris ?? []).some((u) => URL.parse(u)?.origin === origin),
    cookies: {
      // Derived from the HMAC key, identical on every node.
      keys: CookieSigner.fromHmacKey(deps.hmacKey),
      long: { httpOnly: true, sameSite: 'lax', signed: true },
      short: { httpOnly: true, sameSite: 'lax', signed: true },
    },
    features: {
      devInteractions: { enabled: false },
      claimsParameter: { enabled: true },
      revocation: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      resourceIndicators: { enabled: false },
      pushedAuthorizationRequests: { enabled: true },
      // Off, as oidc-provider's default, and it must stay so: it reads the request storage (request-context.ts).
      clientIdMetadataDocument: { enabled: false },
    },
    interactions: {
      policy: loginPolicy(),
      url: (_ctx, interaction) => `${LOGIN_PATH}/${interaction.uid}`,
    },
    loadExistingGrant,
    issueRefreshToken: async () => false,
    ttl: {
      AccessToken: OIDC_TTL.AccessToken,
      AuthorizationCode: OIDC_TTL.AuthorizationCode,
      IdToken: OIDC_TTL.IdToken,
      Interaction: OIDC_TTL.Interaction,
      Session: OIDC_TTL.Session,
      Grant: OIDC_TTL.Grant,
    },
    async renderError(ctx, out) {
      ctx.type = 'html';
      const code = escapeHtml(String(out['error'] ?? 'server_error'));
      const description = escapeHtml(String(out['error_description'] ?? ''));
      ctx.body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Tillid: login error</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head><body><main><h1>The login could not continue</h1>
<p data-error="${code}">${description}</p><p>Go back to the service and start again.</p></main></body></html>`;
    },
  };
}

/**
 * Holds the live provider of this node and rebuilds it when the published signing keys change
 * (a rotation by `tillid oidc-keys rotate` or another node), so no node keeps signing with a retired key.
 */
export class OidcProviderHost {
  readonly #deps: ProviderDeps;
  #provider: Provider;
  #callback: (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;
  #keysVersion: string;

  private constructor(deps: ProviderDeps, provider: Provider, keysVersion: string) {
    this.#deps = deps;
    this.#provider = provider;
    this.#callback = provider.callback();
    this.#keysVersion = keysVersion;
  }

  static async create(deps: ProviderDeps): Promise<OidcProviderHost> {
    await skipProviderRequestStorage();
    const keyDeps = { db: deps.db, secretBox: deps.secretBox };
    await ensureSigningKey(keyDeps, deps.now());
    const { provider, version } = await OidcProviderHost.#build(deps);
    return new OidcProviderHost(deps, provider, version);
  }

  static async #build(deps: ProviderDeps): Promise<{ provider: Provider; version: string }> {
    const keyDeps = { db: deps.db, secretBox: deps.secretBox };
    const now = deps.now();
    const version = await signingKeysVersion(keyDeps, now);
    const provider = new Provider(deps.issuer, providerConfiguration(deps, await providerJwks(keyDeps, now)));
    provider.proxy = deps.trustProxy;
    if (deps.onServerError) {
      const report = deps.onServerError;
      provider.on('server_error', (_ctx: unknown, error: unknown) => report(error));
    }
    return { provider, version };
  }

  get provider(): Provider {
    return this.#provider;
  }

  /** Rebuilds the provider if the published keys changed; returns whether it did. */
  async reloadKeys(): Promise<boolean> {
    const keyDeps = { db: this.#deps.db, secretBox: this.#deps.secretBox };
    await ensureSigningKey(keyDeps, this.#deps.now());
    const version = await signingKeysVersion(keyDeps, this.#deps.now());
    if (version === this.#keysVersion) return false;
    const built = await OidcProviderHost.#build(this.#deps);
    this.#provider = built.provider;
    this.#callback = built.provider.callback();
    this.#keysVersion = built.version;
    return true;
  }

  /** Hands a raw request to the provider; `url` must already be relative to the issuer path. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void> | void {
    return this.#callback(req, res);
  }
}
