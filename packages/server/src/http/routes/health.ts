// Liveness (/healthz: the process answers) and readiness (/readyz: the store answers and we are not draining).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { LOG } from '../../log/log-codes.ts';
import type { Store } from '../../store/store.ts';

const healthResponse = z.object({ status: z.literal('ok') });
const readyResponse = z.object({ status: z.enum(['ready', 'not_ready']), reason: z.string().optional() });

export function healthRoutes(app: FastifyInstance, deps: { store: Store; isDraining: () => boolean }): void {
  app.get(
    '/healthz',
    { schema: { tags: ['operations'], summary: 'Liveness', response: { 200: healthResponse } } },
    async () => ({ status: 'ok' as const }),
  );
  app.get(
    '/readyz',
    {
      schema: {
        tags: ['operations'],
        summary: 'Readiness: store reachable, not draining',
        response: { 200: readyResponse, 503: readyResponse },
      },
    },
    async (request, reply) => {
      if (deps.isDraining()) return reply.status(503).send({ status: 'not_ready', reason: 'draining' });
      try {
        await deps.store.ping();
        return { status: 'ready' as const };
      } catch (err) {
        request.log.warn({ code: LOG.READINESS_FAILED.code, err }, LOG.READINESS_FAILED.msg);
        return reply.status(503).send({ status: 'not_ready', reason: 'store unreachable' });
      }
    },
  );
}
