// Reads, validates and checks the configuration at start: every bad variable is named in one error,
// and production refuses each development default it finds.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { ServerError } from '../errors.ts';
import { type Config, configSchema, decodeSecret, type RawConfig } from './schema.ts';

/** Shared by the server (development trust anchor) and `tillid passport create`. */
export const DEFAULT_TEST_CSCA = join(homedir(), '.tillid', 'test-csca.json');

export interface ConfigIssue {
  readonly variable: string;
  readonly message: string;
}

export interface LoadConfigOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Base for relative paths (default: process.cwd()). */
  readonly cwd?: string;
}

function readConfigFile(path: string, cwd: string): Record<string, unknown> {
  const full = isAbsolute(path) ? path : resolve(cwd, path);
  let text: string;
  try {
    text = readFileSync(full, 'utf8');
  } catch (cause) {
    throw new ServerError('ERR_CONFIG', `TILLID_CONFIG: cannot read ${full}`, {
      details: { issues: [{ variable: 'TILLID_CONFIG', message: `cannot read ${full}` }] },
      cause,
    });
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new TypeError('not an object');
    return Object.fromEntries(
      Object.entries(parsed).map(([k, v]) => [k, typeof v === 'string' ? v : String(v)]),
    );
  } catch (cause) {
    throw new ServerError('ERR_CONFIG', `TILLID_CONFIG: ${full} is not a JSON object of settings`, {
      details: { issues: [{ variable: 'TILLID_CONFIG', message: 'not a JSON object of settings' }] },
      cause,
    });
  }
}

function formatIssues(issues: readonly ConfigIssue[]): string {
  return issues.map((i) => `  - ${i.variable}: ${i.message}`).join('\n');
}

/** Development only: secrets generated once and kept in DATA_DIR so restarts can still read stored data. */
function developmentSecrets(dataDir: string): { hmacKey: Uint8Array; encryptionKey: Uint8Array } {
  const file = join(dataDir, 'development-secrets.json');
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { hmacKey?: string; encryptionKey?: string };
    const hmacKey = stored.hmacKey ? decodeSecret(stored.hmacKey) : undefined;
    const encryptionKey = stored.encryptionKey ? decodeSecret(stored.encryptionKey) : undefined;
    if (hmacKey && encryptionKey) return { hmacKey, encryptionKey };
  }
  const hmacKey = new Uint8Array(randomBytes(32));
  const encryptionKey = new Uint8Array(randomBytes(32));
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(
    file,
    `${JSON.stringify({ hmacKey: Buffer.from(hmacKey).toString('hex'), encryptionKey: Buffer.from(encryptionKey).toString('hex') })}\n`,
    { mode: 0o600 },
  );
  return { hmacKey, encryptionKey };
}

/** The settings production must not run with, each named with why. */
export function unsafeProductionSettings(raw: RawConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (raw.TILLID_HMAC_KEY === undefined) {
    issues.push({ variable: 'TILLID_HMAC_KEY', message: 'missing: production needs its own secret key' });
  }
  if (raw.TILLID_ENCRYPTION_KEY === undefined) {
    issues.push({
      variable: 'TILLID_ENCRYPTION_KEY',
      message: 'missing: production needs its own secret key',
    });
  }
  for (const name of ['TILLID_HMAC_KEY', 'TILLID_ENCRYPTION_KEY'] as const) {
    const value = raw[name];
    const bytes = value === undefined ? undefined : decodeSecret(value);
    if (bytes !== undefined && new Set(bytes).size < 16) {
      issues.push({ variable: name, message: 'looks like a placeholder, not random bytes' });
    }
  }
  if (raw.TILLID_HMAC_KEY !== undefined && raw.TILLID_HMAC_KEY === raw.TILLID_ENCRYPTION_KEY) {
    issues.push({ variable: 'TILLID_ENCRYPTION_KEY', message: 'must differ from TILLID_HMAC_KEY' });
  }
  if (raw.TILLID_TRUST_ANCHORS.split(',').some((s) => s.trim() === 'test')) {
    issues.push({
      variable: 'TILLID_TRUST_ANCHORS',
      message: 'includes the development test CSCA ("test"); name real CSCA master lists or certificates',
    });
  }
  if (raw.TILLID_SMS_GATEWAY === 'outbox') {
    issues.push({
      variable: 'TILLID_SMS_GATEWAY',
      message: 'is the development outbox; configure smpp://user:pass@host:port',
    });
  }
  if (raw.TILLID_POPULATION_REGISTER === 'demo') {
    issues.push({
      variable: 'TILLID_POPULATION_REGISTER',
      message: 'is the fictitious demo register; configure file:PATH or the register service URL',
    });
  }
  if (raw.TILLID_PUBLIC_URL === undefined || !raw.TILLID_PUBLIC_URL.startsWith('https://')) {
    issues.push({
      variable: 'TILLID_PUBLIC_URL',
      message: 'must be set to an https:// address in production',
    });
  }
  return issues;
}

export function loadConfig(options: LoadConfigOptions): Config {
  const cwd = options.cwd ?? process.cwd();
  const fromFile = options.env['TILLID_CONFIG'] ? readConfigFile(options.env['TILLID_CONFIG'], cwd) : {};
  const merged: Record<string, unknown> = { ...fromFile };
  for (const key of Object.keys(configSchema.shape)) {
    const v = options.env[key];
    if (v !== undefined && v !== '') merged[key] = v;
  }
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({
      variable: String(i.path[0] ?? '?'),
      message: i.message,
    }));
    throw new ServerError('ERR_CONFIG', `invalid configuration:\n${formatIssues(issues)}`, {
      details: { issues },
    });
  }
  const raw = parsed.data;
  if (raw.TILLID_MODE === 'production') {
    const issues = unsafeProductionSettings(raw);
    if (issues.length > 0) {
      throw new ServerError(
        'ERR_UNSAFE_PRODUCTION_CONFIG',
        `refusing to start in production with development defaults:\n${formatIssues(issues)}`,
        { details: { issues } },
      );
    }
  }
  const dataDir = resolve(cwd, raw.TILLID_DATA_DIR);
  const configured = {
    hmacKey: raw.TILLID_HMAC_KEY ? decodeSecret(raw.TILLID_HMAC_KEY) : undefined,
    encryptionKey: raw.TILLID_ENCRYPTION_KEY ? decodeSecret(raw.TILLID_ENCRYPTION_KEY) : undefined,
  };
  const generated = configured.hmacKey && configured.encryptionKey ? undefined : developmentSecrets(dataDir);
  const url = raw.DATABASE_URL ?? `sqlite:${join(dataDir, 'tillid.db')}`;
  const database = url.startsWith('sqlite:')
    ? ({
        kind: 'sqlite',
        path: url === 'sqlite::memory:' ? ':memory:' : resolve(cwd, url.slice('sqlite:'.length)),
      } as const)
    : ({ kind: 'postgres', url } as const);
  return {
    mode: raw.TILLID_MODE,
    host: raw.TILLID_HOST,
    port: raw.TILLID_PORT,
    publicUrl: (raw.TILLID_PUBLIC_URL ?? `http://localhost:${raw.TILLID_PORT}`).replace(/\/+$/, ''),
    database,
    dataDir,
    secrets: {
      hmacKey: configured.hmacKey ?? generated!.hmacKey,
      encryptionKey: configured.encryptionKey ?? generated!.encryptionKey,
    },
    secretSources: {
      hmacKey: configured.hmacKey ? 'configured' : 'development',
      encryptionKey: configured.encryptionKey ? 'configured' : 'development',
    },
    trustAnchors: raw.TILLID_TRUST_ANCHORS.split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0),
    smsGateway: raw.TILLID_SMS_GATEWAY,
    populationRegister: {
      source: raw.TILLID_POPULATION_REGISTER,
      token: raw.TILLID_POPULATION_REGISTER_TOKEN,
    },
    testCscaPath: resolve(cwd, raw.TILLID_TEST_CSCA ?? DEFAULT_TEST_CSCA),
    vision: raw.TILLID_VISION === 'on',
    logLevel: raw.TILLID_LOG_LEVEL,
    shutdownTimeoutMs: raw.TILLID_SHUTDOWN_TIMEOUT_MS,
    bodyLimitBytes: raw.TILLID_BODY_LIMIT_BYTES,
  };
}
