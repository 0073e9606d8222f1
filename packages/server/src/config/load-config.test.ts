import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isServerError } from '../errors.ts';
import { loadConfig } from './load-config.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'tillid-config-'));
const KEY_A = 'a3f1c2e4b5d6978812ab34cd56ef7890a1b2c3d4e5f60718293a4b5c6d7e8f90';
const KEY_B = '0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff1';

function issuesOf(fn: () => unknown): { code: string; variables: string[] } {
  try {
    fn();
  } catch (e) {
    assert.ok(isServerError(e));
    const issues = (e.details?.['issues'] ?? []) as { variable: string }[];
    return { code: e.code, variables: issues.map((i) => i.variable) };
  }
  assert.fail('expected a configuration error');
}

describe('loadConfig', () => {
  it('gives development defaults: SQLite under ./data, port 8080, generated secrets kept across restarts', () => {
    const cwd = tmp();
    const c = loadConfig({ env: {}, cwd });
    assert.equal(c.mode, 'development');
    assert.equal(c.port, 8080);
    assert.deepEqual(c.database, { kind: 'sqlite', path: join(cwd, 'data', 'tillid.db') });
    assert.equal(c.publicUrl, 'http://localhost:8080');
    assert.equal(c.secretSources.hmacKey, 'development');
    const again = loadConfig({ env: {}, cwd });
    assert.deepEqual(again.secrets.hmacKey, c.secrets.hmacKey);
    assert.notDeepEqual(c.secrets.hmacKey, c.secrets.encryptionKey);
    assert.match(readFileSync(join(cwd, 'data', 'development-secrets.json'), 'utf8'), /hmacKey/);
  });

  it('names every bad variable in one error', () => {
    const r = issuesOf(() =>
      loadConfig({
        env: {
          TILLID_PORT: 'eighty',
          TILLID_MODE: 'staging',
          DATABASE_URL: 'mysql://x',
          TILLID_HMAC_KEY: 'short',
        },
        cwd: tmp(),
      }),
    );
    assert.equal(r.code, 'ERR_CONFIG');
    assert.deepEqual(r.variables.sort(), ['DATABASE_URL', 'TILLID_HMAC_KEY', 'TILLID_MODE', 'TILLID_PORT']);
  });

  it('refuses production with development defaults, naming each unsafe setting', () => {
    const r = issuesOf(() => loadConfig({ env: { TILLID_MODE: 'production' }, cwd: tmp() }));
    assert.equal(r.code, 'ERR_UNSAFE_PRODUCTION_CONFIG');
    assert.deepEqual(r.variables.sort(), [
      'TILLID_ENCRYPTION_KEY',
      'TILLID_HMAC_KEY',
      'TILLID_POPULATION_REGISTER',
      'TILLID_PUBLIC_URL',
      'TILLID_SMS_GATEWAY',
      'TILLID_TRUST_ANCHORS',
    ]);
  });

  it('refuses placeholder and reused secrets in production', () => {
    const r = issuesOf(() =>
      loadConfig({
        env: {
          TILLID_MODE: 'production',
          TILLID_HMAC_KEY: '00'.repeat(32),
          TILLID_ENCRYPTION_KEY: '00'.repeat(32),
          TILLID_TRUST_ANCHORS: '/etc/tillid/csca',
          TILLID_SMS_GATEWAY: 'smpp://u:p@sms.example:2775',
          TILLID_PUBLIC_URL: 'https://id.example',
          TILLID_POPULATION_REGISTER: 'https://cpr.example',
        },
        cwd: tmp(),
      }),
    );
    assert.deepEqual(r.variables.sort(), [
      'TILLID_ENCRYPTION_KEY',
      'TILLID_ENCRYPTION_KEY',
      'TILLID_HMAC_KEY',
    ]);
  });

  it('accepts a safe production configuration', () => {
    const c = loadConfig({
      env: {
        TILLID_MODE: 'production',
        TILLID_HMAC_KEY: KEY_A,
        TILLID_ENCRYPTION_KEY: KEY_B,
        TILLID_TRUST_ANCHORS: '/etc/tillid/csca',
        TILLID_SMS_GATEWAY: 'smpp://u:p@sms.example:2775',
        TILLID_PUBLIC_URL: 'https://id.example/',
        TILLID_POPULATION_REGISTER: 'file:/etc/tillid/register.json',
        DATABASE_URL: 'postgres://tillid@db/tillid',
      },
      cwd: tmp(),
    });
    assert.equal(c.publicUrl, 'https://id.example');
    assert.deepEqual(c.database, { kind: 'postgres', url: 'postgres://tillid@db/tillid' });
    assert.equal(c.secretSources.encryptionKey, 'configured');
  });

  it('reads an optional JSON file, with the environment winning', () => {
    const cwd = tmp();
    writeFileSync(join(cwd, 'tillid.json'), JSON.stringify({ TILLID_PORT: 9000, TILLID_LOG_LEVEL: 'warn' }));
    const c = loadConfig({ env: { TILLID_CONFIG: 'tillid.json', TILLID_PORT: '9100' }, cwd });
    assert.equal(c.port, 9100);
    assert.equal(c.logLevel, 'warn');
    const r = issuesOf(() => loadConfig({ env: { TILLID_CONFIG: 'missing.json' }, cwd }));
    assert.deepEqual(r.variables, ['TILLID_CONFIG']);
  });
});
