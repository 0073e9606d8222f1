// HTTP API of journey C: activating a code display or code reader ("Yes, activate"), ordering one by
// post ("No, order"), and, in development only, the virtual code display page.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Mode } from '../config/schema.ts';
import type { SecretBox } from '../crypto/secret-box.ts';
import { ServerError } from '../errors.ts';
import type { Clock } from '../http/app.ts';
import type { Store } from '../store/store.ts';
import {
  type ActivationEngine,
  createActivationEngine,
  setActivationPassword,
  startActivation,
} from './activation-flow.ts';
import { registerDevCodeDisplay } from './dev-code-display.ts';
import { cancelOrder, orderView, placeOrder, placeOrderSchema } from './order-service.ts';
import { TOKEN_MODELS } from './token-repository.ts';

/** The person a request acts for: the identity of its authenticated session. */
export interface TokenCaller {
  readonly identityId: string;
  /** Their user-ID, so the password may be checked not to contain it. */
  readonly userId?: string;
}

export interface TokenRouteDeps {
  readonly store: Store;
  readonly secretBox: SecretBox;
  readonly hmacKey: Uint8Array;
  readonly mode: Mode;
  readonly clock?: Clock;
  /** Resolves the caller from the request (session cookie, enrollment flow…); undefined when unknown. */
  readonly identityOf: (request: FastifyRequest) => Promise<TokenCaller | undefined>;
}

const TAGS = ['code display'];
const idParams = z.object({ id: z.string().min(1).max(100) });

function flowNotFound(): ServerError {
  return new ServerError('ERR_FLOW_NOT_FOUND', 'no such flow', {
    status: 404,
    messageId: 'error.flow.notFound',
  });
}

export function registerTokenRoutes(app: FastifyInstance, deps: TokenRouteDeps): void {
  const now = () => (deps.clock ?? { now: Date.now }).now();
  const engine: ActivationEngine = createActivationEngine({
    store: deps.store,
    secretBox: deps.secretBox,
    hmacKey: deps.hmacKey,
  });

  async function caller(request: FastifyRequest): Promise<TokenCaller> {
    const who = await deps.identityOf(request);
    if (!who) {
      throw new ServerError('ERR_IDENTITY_REQUIRED', 'sign in or finish enrollment first', {
        status: 401,
        messageId: 'error.identityRequired',
      });
    }
    return who;
  }

  /** The flow, if it is this caller's; someone else's flow is answered as not found. */
  async function ownFlow(request: FastifyRequest, id: string) {
    const who = await caller(request);
    const loaded = await engine.load(id, now());
    if (loaded.context.identityId !== who.identityId) throw flowNotFound();
    return loaded;
  }

  app.post('/tokens/activations', { schema: { tags: TAGS } }, async (request, reply) => {
    const flow = await startActivation(engine, await caller(request), now());
    reply.status(201);
    return { flow };
  });

  app.get('/tokens/activations/:id', { schema: { tags: TAGS, params: idParams } }, async (request) => {
    const { id } = request.params as z.infer<typeof idParams>;
    const { flow, context } = await ownFlow(request, id);
    return { flow, model: context.model ?? null, serial: context.serial ?? null };
  });

  app.post(
    '/tokens/activations/:id/device',
    { schema: { tags: TAGS, params: idParams, body: z.object({ model: z.enum(TOKEN_MODELS) }) } },
    async (request) => {
      const { id } = request.params as z.infer<typeof idParams>;
      await ownFlow(request, id);
      return engine.fire(id, 'device-chosen', request.body, now());
    },
  );

  app.post(
    '/tokens/activations/:id/password',
    {
      schema: {
        tags: TAGS,
        params: idParams,
        body: z.object({ password: z.string().max(256), repeat: z.string().max(256) }),
      },
    },
    async (request) => {
      const { id } = request.params as z.infer<typeof idParams>;
      await ownFlow(request, id);
      const body = request.body as { password: string; repeat: string };
      return setActivationPassword(engine, id, body, now());
    },
  );

  app.post(
    '/tokens/activations/:id/serial',
    { schema: { tags: TAGS, params: idParams, body: z.object({ serial: z.string().min(1).max(80) }) } },
    async (request) => {
      const { id } = request.params as z.infer<typeof idParams>;
      await ownFlow(request, id);
      const { serial } = request.body as { serial: string };
      // The source is the connection's address, never something the client says about itself.
      return engine.fire(id, 'serial-entered', { serial, source: request.ip }, now());
    },
  );

  app.post(
    '/tokens/activations/:id/code',
    { schema: { tags: TAGS, params: idParams, body: z.object({ code: z.string().regex(/^\d{6}$/) }) } },
    async (request) => {
      const { id } = request.params as z.infer<typeof idParams>;
      await ownFlow(request, id);
      return engine.fire(id, 'code-entered', request.body, now());
    },
  );

  app.post('/tokens/orders', { schema: { tags: TAGS, body: placeOrderSchema } }, async (request, reply) => {
    const who = await caller(request);
    const body = request.body as z.infer<typeof placeOrderSchema>;
    const order = await placeOrder(
      { store: deps.store, secretBox: deps.secretBox },
      { identityId: who.identityId, ...body, now: now() },
    );
    reply.status(201);
    return { order };
  });

  app.get('/tokens/orders', { schema: { tags: TAGS } }, async (request) => {
    const who = await caller(request);
    const orders = await deps.store.tokenOrders.list({ identityId: who.identityId });
    return { orders: orders.map(orderView) };
  });

  app.post('/tokens/orders/:id/cancel', { schema: { tags: TAGS, params: idParams } }, async (request) => {
    const who = await caller(request);
    const { id } = request.params as z.infer<typeof idParams>;
    const order = await cancelOrder(
      { store: deps.store, secretBox: deps.secretBox },
      { orderId: id, actor: `identity:${who.identityId}`, identityId: who.identityId, now: now() },
    );
    return { order };
  });

  // Shows live codes of any device in the inventory: development only, absent (404) in production.
  if (deps.mode === 'development') {
    registerDevCodeDisplay(app, { store: deps.store, secretBox: deps.secretBox, now });
  }
}
