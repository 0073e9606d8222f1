// Builds the app authenticator's dependencies and registers its routes: transfers (journey B and the
// enrollment hand-over), instance management and approvals, chip registration, and in development the
// notification outbox page.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Mode } from '../config/schema.ts';
import type { SecretBox } from '../crypto/secret-box.ts';
import type { Clock } from '../http/app.ts';
import type { SmsGateway } from '../sms/sms-gateway.ts';
import type { Store } from '../store/store.ts';
import { type AppAuthenticatorDeps, webauthnSettingsFor } from './app-authenticator-deps.ts';
import { type IdentityOf, registerChipRoutes } from './chip-registration.ts';
import { registerInstanceRoutes } from './instance-routes.ts';
import { createNotifier } from './notifier.ts';
import { reverseQrProximity } from './proximity-channel.ts';
import { listNotifications, outboxPushSender, type PushSender, webPushSender } from './push.ts';
import { keepRawJsonBodies } from './signed-request.ts';
import { registerTransferRoutes, type TransferEngine } from './transfer-routes.ts';

export interface AppAuthenticatorOptions {
  readonly store: Store;
  readonly secretBox: SecretBox;
  readonly hmacKey: Uint8Array;
  readonly sms: SmsGateway;
  readonly clock: Clock;
  readonly mode: Mode;
  readonly publicUrl: string;
  /** Origins of the PWA when it is not served from publicUrl (WebAuthn origin check). */
  readonly appOrigins?: readonly string[];
  /** Default: the outbox in development, web-push in production. */
  readonly push?: PushSender;
  /** VAPID contact (RFC 8292 §2.1), default `mailto:support@<host>`. */
  readonly vapidSubject?: string;
  readonly onNotifyError?: (error: unknown) => void;
}

export function createAppAuthenticator(options: AppAuthenticatorOptions): AppAuthenticatorDeps {
  const host = new URL(options.publicUrl).hostname;
  const push =
    options.push ??
    (options.mode === 'development'
      ? outboxPushSender(options.store)
      : webPushSender({
          store: options.store,
          secretBox: options.secretBox,
          subject: options.vapidSubject ?? `mailto:support@${host}`,
        }));
  return {
    store: options.store,
    secretBox: options.secretBox,
    hmacKey: options.hmacKey,
    sms: options.sms,
    clock: options.clock,
    webauthn: webauthnSettingsFor(options.publicUrl, options.appOrigins),
    proximity: reverseQrProximity(),
    notifier: createNotifier({
      store: options.store,
      secretBox: options.secretBox,
      sms: options.sms,
      push,
      ...(options.onNotifyError ? { onError: options.onNotifyError } : {}),
    }),
  };
}

/** Registers the routes in their own scope (its JSON parser keeps the raw bodies that apps sign). */
export async function registerAppAuthenticatorRoutes(
  app: FastifyInstance,
  deps: AppAuthenticatorDeps,
  options: { mode: Mode; identityOf?: IdentityOf },
): Promise<{ transfers: TransferEngine }> {
  let transfers: TransferEngine | undefined;
  await app.register(async (scope) => {
    keepRawJsonBodies(scope);
    transfers = registerTransferRoutes(scope, deps);
    registerInstanceRoutes(scope, deps);
    registerChipRoutes(scope, { ...deps, identityOf: options.identityOf ?? (async () => undefined) });
    if (options.mode === 'development') {
      scope.get(
        '/dev/notifications',
        {
          schema: {
            tags: ['development'],
            summary: 'The development notification outbox (development mode only)',
            querystring: z.object({ identityId: z.string().max(64).optional() }),
          },
        },
        async (request) => {
          const q = request.query as { identityId?: string };
          return {
            notifications: await listNotifications(
              deps.store,
              q.identityId ? { identityId: q.identityId } : {},
            ),
          };
        },
      );
    }
  });
  if (!transfers) throw new TypeError('app authenticator routes were not registered');
  return { transfers };
}
