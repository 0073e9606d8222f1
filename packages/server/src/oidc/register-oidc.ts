// Wires the OpenID Connect provider into the Fastify app: the provider under /oidc (issuer
// `${publicUrl}/oidc`), the login interaction under /login, and the periodic pick-up of rotated keys.
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config/schema.ts';
import { SecretBox } from '../crypto/secret-box.ts';
import { ServerError } from '../errors.ts';
import { type Clock, systemClock } from '../http/app.ts';
import type { Store } from '../store/store.ts';
import { loadClientsFile, OidcClientRepository } from './clients.ts';
import { type IdentityDirectory, storeIdentityDirectory, withTestIdentity } from './identity-directory.ts';
import { AuditBatcher } from './login/audit-batcher.ts';
import { devTestIdentityMethod } from './login/dev-test-identity-method.ts';
import { FlowInteractionStore, type InteractionStore } from './login/interaction-store.ts';
import type { LoginMethod } from './login/login-method.ts';
import { type LoginPageProvider, registerLoginRoutes } from './login/login-routes.ts';
import { DEFAULT_USER_ID_THROTTLE } from './login/user-id-step.ts';
import type { OidcSettings } from './oidc-settings.ts';
import { OidcProviderHost } from './provider.ts';

export const OIDC_PATH = '/oidc';

export interface OidcDeps {
  readonly config: Config;
  readonly store: Store;
  readonly settings: OidcSettings;
  /** Login methods of the authenticators (app, code display, chip); the test method is added in development. */
  readonly methods?: readonly LoginMethod[];
  /** Where identities come from (default: the identities table). */
  readonly directory?: IdentityDirectory;
  readonly clock?: Clock;
  /** The app's built login page, served at GET /login/<uid> to browsers (default: the fallback page). */
  readonly loginPage?: LoginPageProvider | undefined;
}

export interface OidcHandle {
  readonly issuer: string;
  readonly host: OidcProviderHost;
  readonly interactions: InteractionStore;
  readonly clients: OidcClientRepository;
  /** Rebuilds the provider if the signing keys changed (a rotation); returns whether it did. */
  reloadKeys(): Promise<boolean>;
}

export async function registerOidc(app: FastifyInstance, deps: OidcDeps): Promise<OidcHandle> {
  const { config, store, settings } = deps;
  const clock = deps.clock ?? systemClock;
  const now = () => clock.now();
  const secretBox = new SecretBox(config.secrets.encryptionKey);
  const clients = new OidcClientRepository(store.db, secretBox);
  const interactions = new FlowInteractionStore(store.flows, store.db);

  let directory =
    deps.directory ?? storeIdentityDirectory({ store, secretBox, hmacKey: config.secrets.hmacKey });
  const methods = [...(deps.methods ?? [])];
  if (settings.testIdentity !== undefined) {
    if (config.mode !== 'development')
      throw new ServerError(
        'ERR_UNSAFE_PRODUCTION_CONFIG',
        'the test identity login exists only in development mode',
      );
    directory = withTestIdentity(settings.testIdentity, directory);
    methods.push(devTestIdentityMethod({ mode: config.mode, identity: settings.testIdentity }));
  }

  const issuer = `${config.publicUrl}${OIDC_PATH}`;
  const host = await OidcProviderHost.create({
    issuer,
    db: store.db,
    secretBox,
    hmacKey: config.secrets.hmacKey,
    clients,
    fileClients: settings.clientsFile ? loadClientsFile(settings.clientsFile, config.mode) : [],
    directory,
    trustProxy: settings.trustProxy,
    now,
    onServerError: (error) => app.log.error({ err: error }, 'oidc provider error'),
  });

  await app.register(async (scope) => {
    // oidc-provider reads request bodies itself: hand it the untouched stream.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
    const handler = async (request: FastifyRequest, reply: FastifyReply) => {
      reply.hijack();
      const raw = request.raw as IncomingMessage & { originalUrl?: string };
      // Mounted like Express would: the provider sees its own paths, `originalUrl` keeps the prefix.
      raw.originalUrl = raw.url;
      raw.url = (raw.url ?? '/').slice(OIDC_PATH.length) || '/';
      if (!raw.url.startsWith('/')) raw.url = `/${raw.url}`;
      await host.handle(raw, reply.raw);
    };
    scope.all(OIDC_PATH, { schema: { hide: true } }, handler);
    scope.all(`${OIDC_PATH}/*`, { schema: { hide: true } }, handler);
  });

  await app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 16 * 1024 },
      (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );
    registerLoginRoutes(scope, {
      host,
      interactions,
      methods,
      userIdStep: {
        rateLimits: store.rateLimits,
        directory,
        throttle: { ...DEFAULT_USER_ID_THROTTLE, attempts: settings.userIdAttemptsPerMinute },
      },
      directory,
      audit: new AuditBatcher(store.audit),
      now,
      secureCookies: config.publicUrl.startsWith('https://'),
      trustProxy: settings.trustProxy,
      loginPage: deps.loginPage,
    });
  });

  if (settings.keyRefreshMs > 0) {
    const timer = setInterval(() => {
      host
        .reloadKeys()
        .catch((error: unknown) => app.log.error({ err: error }, 'oidc signing key refresh failed'));
    }, settings.keyRefreshMs);
    timer.unref();
    app.addHook('onClose', async () => clearInterval(timer));
  }

  return { issuer, host, interactions, clients, reloadKeys: () => host.reloadKeys() };
}
