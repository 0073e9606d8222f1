// Route schemas are zod schemas: fastify validates with zod, and OpenAPI gets their JSON Schema.
import type { FastifyInstance, FastifySchema } from 'fastify';
import { type ZodType, z } from 'zod';
import { ServerError } from '../errors.ts';

function isZod(schema: unknown): schema is ZodType {
  return typeof schema === 'object' && schema !== null && 'safeParse' in schema;
}

export function installZodValidation(app: FastifyInstance): void {
  app.setValidatorCompiler(({ schema, httpPart }) => {
    if (!isZod(schema)) return () => true;
    return (data: unknown) => {
      const r = schema.safeParse(data);
      if (r.success) return { value: r.data };
      const issues = r.error.issues.map((i) => ({
        path: [httpPart ?? 'body', ...i.path].join('.'),
        message: i.message,
      }));
      return {
        error: new ServerError(
          'ERR_VALIDATION',
          `invalid ${httpPart ?? 'request'}: ${issues[0]?.path} ${issues[0]?.message}`,
          {
            status: 400,
            messageId: 'error.validation',
            details: { issues },
          },
        ),
      };
    };
  });
  app.setSerializerCompiler(() => (data: unknown) => JSON.stringify(data));
}

/** Turns zod route schemas into JSON Schema for @fastify/swagger. */
export function zodToOpenApi({ schema, url }: { schema: FastifySchema; url: string }) {
  if (!schema) return { schema, url };
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'response' && value && typeof value === 'object') {
      out[key] = Object.fromEntries(
        Object.entries(value).map(([code, s]) => [code, isZod(s) ? z.toJSONSchema(s, { io: 'output' }) : s]),
      );
    } else {
      out[key] = isZod(value) ? z.toJSONSchema(value, { io: 'input' }) : value;
    }
  }
  return { schema: out as FastifySchema, url };
}
