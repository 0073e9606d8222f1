// The one typed configuration schema of a Tillid server. Every setting is an environment variable
// (optionally read from a JSON file named by TILLID_CONFIG); defaults are development defaults.
import { z } from 'zod';

export const MODES = ['development', 'production'] as const;
export type Mode = (typeof MODES)[number];

/** A secret given as hex (64+ chars) or base64/base64url (43+ chars): at least 32 bytes. */
const secret = z
  .string()
  .trim()
  .refine((s) => decodeSecret(s) !== undefined, {
    message: 'must be at least 32 random bytes, given as hex or base64',
  });

export function decodeSecret(s: string): Uint8Array | undefined {
  let bytes: Buffer | undefined;
  if (/^[0-9a-fA-F]+$/.test(s) && s.length % 2 === 0) bytes = Buffer.from(s, 'hex');
  else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(s)) bytes = Buffer.from(s, 'base64');
  if (bytes === undefined || bytes.length < 32) return undefined;
  return new Uint8Array(bytes);
}

const port = z.coerce.number().int().min(0).max(65535);

export const configSchema = z.object({
  TILLID_MODE: z.enum(MODES).default('development'),
  TILLID_HOST: z.string().min(1).default('localhost'),
  TILLID_PORT: port.default(8080),
  /** The address people and relying services use to reach this server (OIDC issuer base). */
  TILLID_PUBLIC_URL: z.url().optional(),
  /** `sqlite:PATH` (default: DATA_DIR/tillid.db) or `postgres://user:pass@host:port/db`. */
  DATABASE_URL: z
    .string()
    .regex(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, 'must be sqlite:PATH or postgres://…')
    .optional(),
  TILLID_DATA_DIR: z.string().min(1).default('./data'),
  /** Key for keyed hashes (HMAC) of short secrets: PINs, P-codes, one-time codes. */
  TILLID_HMAC_KEY: secret.optional(),
  /** Key for PII encryption at rest (AES-256-GCM). */
  TILLID_ENCRYPTION_KEY: secret.optional(),
  /** Where CSCA trust anchors come from: `test` adds the development test CSCA of UTO. */
  TILLID_TRUST_ANCHORS: z.string().min(1).default('test'),
  /** `outbox` (development: stored and shown at /dev/outbox) or `smpp://user:pass@host:port`. */
  TILLID_SMS_GATEWAY: z
    .string()
    .regex(/^(outbox|s?smpp:\/\/.+)$/, 'must be outbox, smpp://… or ssmpp://… (TLS)')
    .default('outbox'),
  /** `demo` (development dataset), `file:PATH`, or the https base URL of a register service. */
  TILLID_POPULATION_REGISTER: z
    .string()
    .regex(/^(demo|file:.+|https?:\/\/.+)$/, 'must be demo, file:PATH or http(s)://…')
    .default('demo'),
  TILLID_POPULATION_REGISTER_TOKEN: z.string().min(1).optional(),
  /** The development test CSCA of UTO (shared with `tillid passport create`). */
  TILLID_TEST_CSCA: z.string().min(1).optional(),
  /** Face verification, liveness and MRZ OCR: loaded in the background after start (`off` to skip). */
  TILLID_VISION: z.enum(['on', 'off']).default('on'),
  TILLID_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** How long SIGTERM waits for in-flight requests before giving up. */
  TILLID_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  /** Largest request body accepted, in bytes (chip files and camera frames need a few MB). */
  TILLID_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .default(8 * 1024 * 1024),
});

export type RawConfig = z.infer<typeof configSchema>;

export interface Config {
  readonly mode: Mode;
  readonly host: string;
  readonly port: number;
  readonly publicUrl: string;
  readonly database:
    | { readonly kind: 'sqlite'; readonly path: string }
    | { readonly kind: 'postgres'; readonly url: string };
  readonly dataDir: string;
  readonly secrets: { readonly hmacKey: Uint8Array; readonly encryptionKey: Uint8Array };
  /** Which setting each secret came from: an operator's value, or a generated development default. */
  readonly secretSources: {
    readonly hmacKey: 'configured' | 'development';
    readonly encryptionKey: 'configured' | 'development';
  };
  readonly trustAnchors: readonly string[];
  readonly smsGateway: string;
  readonly populationRegister: { readonly source: string; readonly token: string | undefined };
  readonly testCscaPath: string;
  readonly vision: boolean;
  readonly logLevel: RawConfig['TILLID_LOG_LEVEL'];
  readonly shutdownTimeoutMs: number;
  readonly bodyLimitBytes: number;
}

/** Variable names with a one-line description, for `tillid --help` and docs/configuration.md. */
export const CONFIG_VARIABLES: ReadonlyArray<{ name: keyof RawConfig | 'TILLID_CONFIG'; help: string }> = [
  { name: 'TILLID_CONFIG', help: 'optional JSON file with any of these settings (environment wins)' },
  { name: 'TILLID_MODE', help: 'development (default) or production' },
  { name: 'TILLID_HOST', help: 'interface to listen on (default localhost)' },
  { name: 'TILLID_PORT', help: 'port to listen on (default 8080)' },
  {
    name: 'TILLID_PUBLIC_URL',
    help: 'public base URL (default http://localhost:PORT; https required in production)',
  },
  { name: 'DATABASE_URL', help: 'sqlite:PATH (default DATA_DIR/tillid.db) or postgres://user:pass@host/db' },
  { name: 'TILLID_DATA_DIR', help: 'directory for the SQLite file and development secrets (default ./data)' },
  {
    name: 'TILLID_HMAC_KEY',
    help: '32+ random bytes (hex/base64) keying hashes of PINs and codes; required in production',
  },
  {
    name: 'TILLID_ENCRYPTION_KEY',
    help: '32+ random bytes (hex/base64) encrypting PII at rest; required in production',
  },
  {
    name: 'TILLID_TRUST_ANCHORS',
    help: 'comma-separated CSCA sources: test (development only), or files/dirs',
  },
  {
    name: 'TILLID_SMS_GATEWAY',
    help: 'outbox (development only), smpp://user:pass@host:port or ssmpp:// (TLS)',
  },
  {
    name: 'TILLID_POPULATION_REGISTER',
    help: 'demo (development only), file:PATH or https://register.example',
  },
  { name: 'TILLID_POPULATION_REGISTER_TOKEN', help: 'bearer token for an HTTP population register' },
  { name: 'TILLID_TEST_CSCA', help: 'file of the development test CSCA (default ~/.tillid/test-csca.json)' },
  {
    name: 'TILLID_VISION',
    help: 'on (default): load face, liveness and MRZ OCR models after start; off: skip',
  },
  { name: 'TILLID_LOG_LEVEL', help: 'fatal|error|warn|info|debug|trace|silent (default info)' },
  {
    name: 'TILLID_SHUTDOWN_TIMEOUT_MS',
    help: 'grace period for in-flight requests on SIGTERM (default 10000)',
  },
  { name: 'TILLID_BODY_LIMIT_BYTES', help: 'largest request body in bytes (default 8 MiB)' },
];
