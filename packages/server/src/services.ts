// The composition root of a running server: builds every adapter the configuration names, once, and closes
// them together. Feature routes receive what they need from here (dependency injection, no singletons).
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { AppAuthenticatorDeps } from './app-authenticator/app-authenticator-deps.ts';
import {
  createAppAuthenticator,
  registerAppAuthenticatorRoutes,
} from './app-authenticator/register-app-authenticator.ts';
import type { Config } from './config/schema.ts';
import { SecretBox } from './crypto/secret-box.ts';
import { defaultCountryPolicy } from './enrollment/country-policy.ts';
import type { EnrollmentDeps } from './enrollment/enrollment-context.ts';
import { registerEnrollmentRoutes } from './enrollment/enrollment-routes.ts';
import { enrollmentIdentityResolver } from './enrollment/enrollment-session.ts';
import type { Clock } from './http/app.ts';
import type { Logger } from './log/logger.ts';
import { createPopulationRegister } from './register/population-register.ts';
import { registerOutboxRoutes } from './sms/outbox-routes.ts';
import { createSmsGateway, type SmsGateway } from './sms/sms-gateway.ts';
import type { Store } from './store/store.ts';
import { registerTokenRoutes } from './tokens/token-routes.ts';
import { loadTrustStore } from './trust/load-trust-store.ts';
import { type LazyVision, lazyVision } from './vision/lazy-vision.ts';

export interface Services {
  readonly enrollment: EnrollmentDeps;
  readonly sms: SmsGateway;
  readonly vision: LazyVision | undefined;
  readonly appAuthenticator: AppAuthenticatorDeps;
  /** Registers every feature's routes on the app. */
  routes(app: FastifyInstance): Promise<void>;
  close(): Promise<void>;
}

export function createServices(
  config: Config,
  store: Store,
  deps: { clock: Clock; logger: Logger },
): Services {
  const secretBox = new SecretBox(config.secrets.encryptionKey);
  const hmacKey = config.secrets.hmacKey;
  const sms = createSmsGateway(config.smsGateway, { outbox: store.smsOutbox, now: () => deps.clock.now() });
  const vision = config.vision
    ? lazyVision(
        async () => {
          const { createVisionEngine } = await import('@tillid/vision');
          return createVisionEngine();
        },
        (err) =>
          deps.logger.error(
            { code: 'TLD-0030', err },
            'vision models failed to load: face steps unavailable',
          ),
      )
    : undefined;
  void vision?.ready.then((ok) => {
    if (ok) deps.logger.info({ code: 'TLD-0031' }, 'vision models loaded: face, liveness and MRZ OCR ready');
  });
  const enrollment: EnrollmentDeps = {
    store,
    secretBox,
    hmacKey,
    trustStore: loadTrustStore(config.trustAnchors, {
      testCscaPath: config.testCscaPath,
      now: new Date(deps.clock.now()),
    }),
    countryPolicy: defaultCountryPolicy({ allowTestCountry: config.mode === 'development' }),
    register: createPopulationRegister(config.populationRegister.source, config.populationRegister.token),
    sms,
    vision: vision?.ports,
    random: (n) => new Uint8Array(randomBytes(n)),
  };
  const appAuthenticator = createAppAuthenticator({
    store,
    secretBox,
    hmacKey,
    sms,
    clock: deps.clock,
    mode: config.mode,
    publicUrl: config.publicUrl,
    onNotifyError: (err) => deps.logger.warn({ code: 'TLD-0040', err }, 'notification failed'),
  });
  return {
    enrollment,
    sms,
    vision,
    appAuthenticator,
    routes: async (app) => {
      registerEnrollmentRoutes(app, { ...enrollment, clock: deps.clock });
      if (config.mode === 'development' && sms.kind === 'outbox') registerOutboxRoutes(app, { store });
      registerTokenRoutes(app, {
        store,
        secretBox,
        hmacKey,
        mode: config.mode,
        clock: deps.clock,
        // Right after journey A, the enrolling phone sets up the chosen device (journey C).
        identityOf: enrollmentIdentityResolver({ store, secretBox, hmacKey, clock: deps.clock }, [
          'code-display',
          'code-reader',
        ]),
      });
      await registerAppAuthenticatorRoutes(app, appAuthenticator, {
        mode: config.mode,
        identityOf: enrollmentIdentityResolver({ store, secretBox, hmacKey, clock: deps.clock }, ['chip']),
      });
    },
    close: async () => {
      vision?.close();
      await sms.close();
    },
  };
}
