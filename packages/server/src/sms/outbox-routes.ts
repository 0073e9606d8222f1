// Development only: the SMS outbox as a page (/dev/outbox), so a developer can read the codes "sent".
// Not registered in production mode.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Store } from '../store/store.ts';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function registerOutboxRoutes(app: FastifyInstance, deps: { store: Store }): void {
  app.get(
    '/dev/outbox',
    {
      schema: {
        tags: ['development'],
        summary: 'The development SMS outbox (development mode only)',
        querystring: z.object({
          to: z.string().max(20).optional(),
          format: z.enum(['html', 'json']).default('html'),
        }),
      },
    },
    async (request, reply) => {
      const q = request.query as { to?: string; format: 'html' | 'json' };
      const messages = await deps.store.smsOutbox.list({ limit: 50, ...(q.to ? { to: q.to } : {}) });
      if (q.format === 'json') return { messages };
      reply.type('text/html; charset=utf-8');
      const rows = messages
        .map(
          (m) =>
            `<tr><td>${new Date(m.at).toISOString()}</td><td>${escapeHtml(m.to)}</td><td>${escapeHtml(m.text)}</td></tr>`,
        )
        .join('');
      return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>SMS outbox (development)</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head><body><main><h1>SMS outbox</h1>
<p>Development mode: these messages were stored, not sent.</p>
<table><thead><tr><th scope="col">Time</th><th scope="col">To</th><th scope="col">Text</th></tr></thead><tbody>${rows}</tbody></table>
</main></body></html>`;
    },
  );
}
