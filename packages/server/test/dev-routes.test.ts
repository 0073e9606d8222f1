// Development-only routes exist in development mode and are absent in production.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createTestPki } from '@tillid/mrtd/node';
import { loadConfig } from '../src/config/load-config.ts';
import { createLogger } from '../src/log/logger.ts';
import { DEMO_REGISTER_FILE } from '../src/register/population-register.ts';
import { startServer } from '../src/server.ts';

async function outboxStatus(env: Record<string, string>): Promise<number> {
  const cwd = mkdtempSync(join(tmpdir(), 'tillid-dev-'));
  const config = loadConfig({
    env: {
      TILLID_PORT: '0',
      TILLID_HOST: '127.0.0.1',
      TILLID_VISION: 'off',
      TILLID_TEST_CSCA: join(cwd, 'csca.json'),
      ...env,
    },
    cwd,
  });
  const server = await startServer(config, { logger: createLogger({ level: 'silent' }), env: {} });
  try {
    return (await fetch(`${server.url}/dev/outbox?format=json`)).status;
  } finally {
    await server.stop();
  }
}

describe('development-only routes', () => {
  it('serves the SMS outbox in development', async () => {
    assert.equal(await outboxStatus({}), 200);
  });

  it('does not exist in production', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tillid-prod-'));
    writeFileSync(join(dir, 'csca.der'), createTestPki({ country: 'UTO' }).csca.der);
    assert.equal(
      await outboxStatus({
        TILLID_MODE: 'production',
        TILLID_HMAC_KEY: randomBytes(32).toString('hex'),
        TILLID_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
        TILLID_TRUST_ANCHORS: dir,
        TILLID_SMS_GATEWAY: 'smpp://u:p@127.0.0.1:1',
        TILLID_POPULATION_REGISTER: `file:${DEMO_REGISTER_FILE}`,
        TILLID_PUBLIC_URL: 'https://id.example',
      }),
      404,
    );
  });
});
