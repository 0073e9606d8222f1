// Runs a Tillid server: config → store (migrated) → app → listen, and a graceful stop on SIGTERM/SIGINT
// that drains in-flight requests and closes the database.

import type { Config } from './config/schema.ts';
import { type AppDeps, buildApp, type Clock, systemClock } from './http/app.ts';
import { LOG } from './log/log-codes.ts';
import { createLogger, type Logger, logEvent } from './log/logger.ts';
import { loadOidcSettings, registerOidc } from './oidc/index.ts';
import type { LoginPageProvider } from './oidc/login/login-routes.ts';
import { createLoginMethods } from './oidc/methods/index.ts';
import { createServices, type Services } from './services.ts';
import { openStore } from './store/store.ts';
import { loadSweepSettings, registerSweep } from './sweep/register-sweep.ts';

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  /** Drains and stops; resolves when the store is closed. Safe to call more than once. */
  stop(reason?: string): Promise<void>;
}

export async function startServer(
  config: Config,
  options: {
    logger?: Logger;
    clock?: Clock;
    handleSignals?: boolean;
    extend?: AppDeps['extend'];
    /** Where OIDC settings are read (default process.env). */
    env?: Readonly<Record<string, string | undefined>>;
    /** The phone app's built login page for /login/<uid> (apps/app serve.ts `builtLoginPage`). */
    loginPage?: LoginPageProvider;
  } = {},
): Promise<RunningServer> {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  if (config.mode === 'development') logEvent(logger, 'warn', LOG.DEVELOPMENT_MODE);
  // Bad OIDC settings fail before anything is opened.
  const oidcSettings = loadOidcSettings({ env: options.env ?? process.env, config });
  const sweepSettings = loadSweepSettings(options.env ?? process.env);
  const store = await openStore(config.database, {
    backgroundCheckpoints: true,
    onCheckpointError: (message) => logEvent(logger, 'error', LOG.STORE_CHECKPOINT_FAILED, { message }),
  });
  logEvent(logger, 'info', LOG.STORE_OPENED, { dialect: store.dialect });
  const clock = options.clock ?? systemClock;
  let services: Services;
  try {
    services = createServices(config, store, { clock, logger });
  } catch (e) {
    await store.close();
    throw e;
  }
  const { app, startDraining } = await buildApp({
    config,
    store,
    logger,
    clock,
    extend: async (a) => {
      await services.routes(a);
      await registerOidc(a, {
        config,
        store,
        clock,
        settings: oidcSettings,
        methods: createLoginMethods(services.appAuthenticator),
        loginPage: options.loginPage,
      });
      registerSweep(a, {
        store,
        settings: sweepSettings,
        now: () => clock.now(),
        onError: (error) => logger.error({ err: error }, 'sweep of expired rows failed'),
      });
      await options.extend?.(a);
    },
  });
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (e) {
    await services.close();
    await store.close();
    throw e;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host}:${port}`;
  logEvent(logger, 'info', LOG.SERVER_LISTENING, { url, publicUrl: config.publicUrl });

  let stopping: Promise<void> | undefined;
  const stop = (reason = 'stop') => {
    stopping ??= (async () => {
      logEvent(logger, 'info', LOG.SERVER_DRAINING, { reason });
      startDraining();
      const timer = setTimeout(() => {
        logEvent(logger, 'error', LOG.SHUTDOWN_TIMEOUT, { timeoutMs: config.shutdownTimeoutMs });
        app.server.closeAllConnections();
      }, config.shutdownTimeoutMs);
      try {
        await app.close();
      } finally {
        clearTimeout(timer);
        await services.close();
        await store.close();
        logEvent(logger, 'info', LOG.STORE_CLOSED);
        logEvent(logger, 'info', LOG.SERVER_STOPPED);
      }
    })();
    return stopping;
  };

  if (options.handleSignals) {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        stop(signal).then(
          () => process.exit(0),
          () => process.exit(1),
        );
      });
    }
  }
  return { url, port, stop };
}
