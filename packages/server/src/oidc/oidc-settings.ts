// Typed settings of the OIDC provider, read from the environment beside the server's Config (proposed for
// config/schema.ts): the clients file, the development test identity, the user-ID throttle, proxy trust.
import { isAbsolute, resolve } from 'node:path';
import { parseCpr, parseUserId } from '@tillid/core';
import { z } from 'zod';
import type { Config } from '../config/schema.ts';
import { ServerError } from '../errors.ts';
import { DEFAULT_TEST_IDENTITY, type TestIdentity } from './identity-directory.ts';

export interface OidcSettings {
  /** Absolute path of the clients JSON file, or undefined. */
  readonly clientsFile: string | undefined;
  /** DEVELOPMENT ONLY: the test identity the `dev-test-identity` method logs in as; never set in production. */
  readonly testIdentity: TestIdentity | undefined;
  readonly userIdAttemptsPerMinute: number;
  /** Whether X-Forwarded-* headers are trusted (a TLS-terminating proxy is in front). */
  readonly trustProxy: boolean;
  /** How often each node checks the database for rotated signing keys (0: never). */
  readonly keyRefreshMs: number;
}

export const OIDC_VARIABLES = [
  { name: 'TILLID_OIDC_CLIENTS', help: 'JSON file of relying services (client metadata) loaded at start' },
  {
    name: 'TILLID_OIDC_TEST_IDENTITY',
    help: 'development only: "default", "off" or a JSON test identity for the dev-test-identity login',
  },
  {
    name: 'TILLID_OIDC_USER_ID_ATTEMPTS_PER_MINUTE',
    help: 'user-ID attempts per source and minute (default 10)',
  },
  {
    name: 'TILLID_OIDC_TRUST_PROXY',
    help: 'auto (default: yes when the public URL is https), true or false',
  },
  {
    name: 'TILLID_OIDC_KEY_REFRESH_SECONDS',
    help: 'how often nodes pick up rotated signing keys (default 60)',
  },
] as const;

const testIdentitySchema = z
  .object({
    id: z.uuid(),
    userId: z.string().refine((s) => parseUserId(s).ok, 'not a valid user-ID'),
    name: z.string().trim().min(1),
    birthdate: z.iso.date(),
    cpr: z.string().refine((s) => parseCpr(s).ok, 'not a valid CPR number'),
  })
  .strict();

const schema = z.object({
  TILLID_OIDC_CLIENTS: z.string().min(1).optional(),
  TILLID_OIDC_TEST_IDENTITY: z.string().min(1).optional(),
  TILLID_OIDC_USER_ID_ATTEMPTS_PER_MINUTE: z.coerce.number().int().min(1).max(1000).default(10),
  TILLID_OIDC_TRUST_PROXY: z.enum(['auto', 'true', 'false']).default('auto'),
  TILLID_OIDC_KEY_REFRESH_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
});

function configError(variable: string, message: string): ServerError {
  return new ServerError('ERR_CONFIG', `${variable}: ${message}`, {
    details: { issues: [{ variable, message }] },
  });
}

function parseTestIdentity(value: string | undefined, config: Config): TestIdentity | undefined {
  if (config.mode === 'production') {
    if (value === undefined || value === 'off') return undefined;
    throw new ServerError(
      'ERR_UNSAFE_PRODUCTION_CONFIG',
      'refusing to start in production with the development test identity login (TILLID_OIDC_TEST_IDENTITY)',
      {
        details: {
          issues: [{ variable: 'TILLID_OIDC_TEST_IDENTITY', message: 'development only; remove it' }],
        },
      },
    );
  }
  if (value === 'off') return undefined;
  if (value === undefined || value === 'default') return DEFAULT_TEST_IDENTITY;
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    throw configError('TILLID_OIDC_TEST_IDENTITY', 'must be "default", "off" or a JSON object');
  }
  const r = testIdentitySchema.safeParse(json);
  if (!r.success)
    throw configError(
      'TILLID_OIDC_TEST_IDENTITY',
      r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    );
  const canonical = parseUserId(r.data.userId);
  return { ...r.data, userId: canonical.ok ? canonical.value.canonical : r.data.userId };
}

export function loadOidcSettings(options: {
  env: Readonly<Record<string, string | undefined>>;
  config: Config;
  cwd?: string;
}): OidcSettings {
  const raw: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const v = options.env[key];
    if (v !== undefined && v !== '') raw[key] = v;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw configError(String(first?.path[0] ?? 'TILLID_OIDC'), first?.message ?? 'invalid');
  }
  const s = parsed.data;
  const cwd = options.cwd ?? process.cwd();
  return {
    clientsFile:
      s.TILLID_OIDC_CLIENTS === undefined
        ? undefined
        : isAbsolute(s.TILLID_OIDC_CLIENTS)
          ? s.TILLID_OIDC_CLIENTS
          : resolve(cwd, s.TILLID_OIDC_CLIENTS),
    testIdentity: parseTestIdentity(s.TILLID_OIDC_TEST_IDENTITY, options.config),
    userIdAttemptsPerMinute: s.TILLID_OIDC_USER_ID_ATTEMPTS_PER_MINUTE,
    trustProxy:
      s.TILLID_OIDC_TRUST_PROXY === 'auto'
        ? options.config.publicUrl.startsWith('https://')
        : s.TILLID_OIDC_TRUST_PROXY === 'true',
    keyRefreshMs: s.TILLID_OIDC_KEY_REFRESH_SECONDS * 1000,
  };
}
