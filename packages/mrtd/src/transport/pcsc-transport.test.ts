import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { checkPcscdRunning, openPcscTransport } from './pcsc-transport.ts';

describe('PC/SC transport without pcscd', () => {
  it('reports ERR_PCSCD_NOT_RUNNING, not a hang, when the socket is missing', async () => {
    await assert.rejects(openPcscTransport({ socketPath: '/nonexistent/pcscd.comm' }), {
      code: 'ERR_PCSCD_NOT_RUNNING',
    });
  });

  it('reports ERR_PCSCD_NOT_RUNNING when a stale socket file is left behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcscd-'));
    try {
      const path = join(dir, 'pcscd.comm');
      writeFileSync(path, '');
      await assert.rejects(checkPcscdRunning(path), { code: 'ERR_PCSCD_NOT_RUNNING' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('accepts a socket that answers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcscd-'));
    const path = join(dir, 'pcscd.comm');
    const server = createServer((s) => s.destroy()).listen(path);
    try {
      await new Promise((resolve) => server.once('listening', resolve));
      await checkPcscdRunning(path);
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
