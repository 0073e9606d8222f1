// HTTP API of the enrollment flow (journey A). The flow id is the capability: 122 random bits, known only
// to the phone that started it. No route ever returns the flow's private data (user-ID, CPR, PII).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { FlowEngine } from '../flows/flow-engine.ts';
import type { Clock } from '../http/app.ts';
import { enforceRateLimit } from '../http/rate-limit.ts';
import { type EnrollmentDeps, type EnrollmentState, sealData } from './enrollment-context.ts';
import { enrollmentFlow } from './enrollment-flow.ts';
import { termsTexts } from './terms.ts';

const flowView = z.object({ id: z.string(), state: z.string(), version: z.number(), expiresAt: z.number() });

export function registerEnrollmentRoutes(
  app: FastifyInstance,
  deps: EnrollmentDeps & { clock: Clock },
): FlowEngine<EnrollmentState, { sealed: string }, EnrollmentDeps> {
  const engine = new FlowEngine({
    definition: enrollmentFlow,
    store: deps.store,
    deps,
    secretBox: deps.secretBox,
    hmacKey: deps.hmacKey,
  });
  const MINUTE = 60_000;

  app.get(
    '/v1/enrollment/terms',
    {
      schema: {
        tags: ['enrollment'],
        summary: 'The current terms and privacy policy texts',
        querystring: z.object({ locale: z.enum(['da', 'en', 'kl']).default('da') }),
      },
    },
    async (request) => termsTexts((request.query as { locale: 'da' | 'en' | 'kl' }).locale),
  );

  app.post(
    '/v1/enrollments',
    {
      schema: {
        tags: ['enrollment'],
        summary: 'Start "help another person activate" (journey A)',
        body: z.object({
          locale: z.enum(['da', 'en', 'kl']).default('da'),
          startedBy: z
            .object({ kind: z.enum(['app-instance', 'fresh-install']), id: z.string().max(100).nullable() })
            .default({ kind: 'fresh-install', id: null }),
        }),
        response: { 201: flowView },
      },
    },
    async (request, reply) => {
      const now = deps.clock.now();
      await enforceRateLimit(deps.store, {
        key: `enroll-start:${request.ip}`,
        limit: 30,
        windowMs: 60 * MINUTE,
        now,
      });
      const body = request.body as {
        locale: 'da' | 'en' | 'kl';
        startedBy: { kind: 'app-instance' | 'fresh-install'; id: string | null };
      };
      // The context is sealed with the flow id as associated data, so the id is chosen first.
      const id = crypto.randomUUID();
      const created = await deps.store.flows.create(
        {
          id,
          kind: enrollmentFlow.kind,
          state: enrollmentFlow.initial,
          expiresAt: now + enrollmentFlow.ttlMs,
          context: {
            context: sealData(deps.secretBox, id, { startedBy: body.startedBy, locale: body.locale }),
          },
        },
        now,
      );
      await deps.store.audit.append(
        {
          type: 'enrollment.started',
          actor: body.startedBy.id ? `${body.startedBy.kind}:${body.startedBy.id}` : body.startedBy.kind,
          subject: `flow:${id}`,
        },
        now,
      );
      return reply.status(201).send({
        id: created.id,
        state: created.state,
        version: created.version,
        expiresAt: created.expiresAt,
      });
    },
  );

  app.get(
    '/v1/enrollments/:id',
    {
      schema: {
        tags: ['enrollment'],
        summary: 'Where an enrollment is (never its data)',
        params: z.object({ id: z.uuid() }),
        response: { 200: flowView },
      },
    },
    async (request) => {
      const { flow } = await engine.load((request.params as { id: string }).id, deps.clock.now());
      return flow;
    },
  );

  app.post(
    '/v1/enrollments/:id/steps/:event',
    {
      schema: {
        tags: ['enrollment'],
        summary: 'Take one step of the enrollment (idempotent: a retried request answers the same)',
        params: z.object({
          id: z.uuid(),
          event: z.enum(enrollmentFlow.transitions.map((t) => t.event) as [string, ...string[]]),
        }),
      },
    },
    async (request) => {
      const now = deps.clock.now();
      const { id, event } = request.params as { id: string; event: string };
      await enforceRateLimit(deps.store, {
        key: `enroll-step:${request.ip}`,
        limit: 300,
        windowMs: MINUTE,
        now,
      });
      await enforceRateLimit(deps.store, { key: `enroll-flow:${id}`, limit: 120, windowMs: MINUTE, now });
      const { flow, output } = await engine.fire(id, event, request.body ?? {}, now);
      return { flow, output };
    },
  );
  return engine;
}
