#!/usr/bin/env -S node --import tsx
// Starts the demo service from environment variables (defaults: a local development Tillid on :8080,
// the pre-registered `demo-service` client of tillid-clients.dev.json, this service on :8081).
import { z } from 'zod';
import { buildDemoApp } from './demo-app.ts';

const DEV_SECRET = 'demo-service-development-secret-do-not-use-in-production';

const schema = z.object({
  DEMO_ISSUER: z.url().default('http://localhost:8080/oidc'),
  DEMO_CLIENT_ID: z.string().min(1).default('demo-service'),
  DEMO_CLIENT_SECRET: z.string().min(32).default(DEV_SECRET),
  DEMO_REDIRECT_URI: z.url().default('http://localhost:8081/callback'),
  DEMO_SCOPE: z.string().min(1).default('openid profile ssn'),
  DEMO_HOST: z.string().min(1).default('localhost'),
  DEMO_PORT: z.coerce.number().int().min(0).max(65535).default(8081),
});

const parsed = schema.safeParse(process.env);
if (!parsed.success) {
  for (const i of parsed.error.issues)
    process.stderr.write(`demo-service: ${String(i.path[0])}: ${i.message}\n`);
  process.exit(2);
}
const env = parsed.data;
const issuerHost = new URL(env.DEMO_ISSUER).hostname;
const app = buildDemoApp({
  issuer: env.DEMO_ISSUER,
  clientId: env.DEMO_CLIENT_ID,
  clientSecret: env.DEMO_CLIENT_SECRET,
  redirectUri: env.DEMO_REDIRECT_URI,
  scope: env.DEMO_SCOPE,
  // Plain http only towards a Tillid on this machine (development).
  allowHttpIssuer: ['localhost', '127.0.0.1', '[::1]'].includes(issuerHost),
});
await app.listen({ host: env.DEMO_HOST, port: env.DEMO_PORT });
process.stdout.write(
  `demo service on http://${env.DEMO_HOST}:${env.DEMO_PORT} (issuer ${env.DEMO_ISSUER})\n`,
);
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => void app.close().then(() => process.exit(0)));
