// Builds the Fastify application from its dependencies (config, store, logger, clock); it opens
// nothing itself, so tests build it with their own store and clock.
import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Config } from '../config/schema.ts';
import type { Logger } from '../log/logger.ts';
import type { Store } from '../store/store.ts';
import { installErrorHandling } from './error-handler.ts';
import { installMetrics } from './metrics.ts';
import { healthRoutes } from './routes/health.ts';
import { installZodValidation, zodToOpenApi } from './validation.ts';

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface AppDeps {
  readonly config: Config;
  readonly store: Store;
  readonly logger: Logger;
  readonly clock?: Clock;
  /** Registers more routes (the feature modules of later issues, or a test's own routes). */
  readonly extend?: (app: FastifyInstance) => Promise<void> | void;
}

export interface TillidApp {
  readonly app: FastifyInstance;
  /** Marks the app as draining: /readyz answers 503 so load balancers stop sending traffic. */
  startDraining(): void;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export async function buildApp(deps: AppDeps): Promise<TillidApp> {
  let draining = false;
  const app = Fastify({
    // pino's own Logger type and fastify's bundled one differ only in generics.
    loggerInstance: deps.logger as unknown as FastifyBaseLogger,
    bodyLimit: deps.config.bodyLimitBytes,
    // Idle keep-alive connections close at once on shutdown; in-flight requests finish.
    forceCloseConnections: 'idle',
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    ajv: { customOptions: { coerceTypes: false } },
  });
  // Hooks take a callback, not a promise: every request runs them, and each promise costs an async hook.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    done();
  });

  installZodValidation(app);
  installErrorHandling(app);

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Tillid API',
        description: 'Identity proofing, authenticators and login for the Tillid digital identity platform.',
        version: '0.1.0',
      },
      servers: [{ url: deps.config.publicUrl }],
      tags: [{ name: 'operations', description: 'Health, readiness and metrics' }],
    },
    transform: zodToOpenApi,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  installMetrics(app);
  healthRoutes(app, { store: deps.store, isDraining: () => draining });

  app.get('/', { schema: { hide: true } }, async (_request, reply) => {
    reply.type('text/html; charset=utf-8');
    // The phone app is served beside the API when the process registers it (npm start does).
    const phoneApp = app.hasRoute({ method: 'GET', url: '/app/*' })
      ? '<p><a href="/app/"><strong>Open the Tillid app</strong></a> (activate, or help another person activate)</p>'
      : '';
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Tillid</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>Tillid is running</h1>${phoneApp}
<p>Mode: ${deps.config.mode}. Store: ${deps.store.dialect}.</p>
<ul><li><a href="/docs">API documentation (OpenAPI)</a></li><li><a href="/healthz">/healthz</a></li>
<li><a href="/readyz">/readyz</a></li><li><a href="/metrics">/metrics</a></li></ul></main></body></html>`;
  });

  await deps.extend?.(app);

  return {
    app,
    startDraining: () => {
      draining = true;
    },
  };
}
