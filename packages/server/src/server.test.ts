import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from './config/load-config.ts';
import { createLogger } from './log/logger.ts';
import { startServer } from './server.ts';

describe('server lifecycle', () => {
  it('drains an in-flight request on stop, then closes the store', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'tillid-srv-'));
    const config = loadConfig({
      env: {
        TILLID_PORT: '0',
        TILLID_HOST: '127.0.0.1',
        TILLID_VISION: 'off',
        TILLID_TEST_CSCA: join(cwd, 'csca.json'),
      },
      cwd,
    });
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let entered!: () => void;
    const inside = new Promise<void>((r) => {
      entered = r;
    });
    const server = await startServer(config, {
      logger: createLogger({ level: 'silent' }),
      extend: (app) => {
        app.get('/slow', async () => {
          entered();
          await gate;
          return { done: true };
        });
      },
    });
    const inflight = fetch(`${server.url}/slow`).then(async (r) => ({
      status: r.status,
      body: await r.json(),
    }));
    await inside;
    let stopped = false;
    const stopping = server.stop('test').then(() => {
      stopped = true;
    });
    await new Promise((r) => setImmediate(r));
    assert.equal(stopped, false, 'stop waits for the in-flight request');
    release();
    assert.deepEqual(await inflight, { status: 200, body: { done: true } });
    await stopping;
    assert.equal(stopped, true);
    await assert.rejects(fetch(`${server.url}/healthz`));
  });
});
