// `tillid reader` as a user runs it (the real bin), and its option parsing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { allowedOriginsFrom, parsePort } from './reader.ts';

const BIN = new URL('../../../bin/tillid.js', import.meta.url).pathname;
const env = (extra: Record<string, string> = {}) => {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (!k.startsWith('TILLID_') && k !== 'PCSCLITE_CSOCK_NAME' && v) out[k] = v;
  out['TILLID_DATA_DIR'] = mkdtempSync(join(tmpdir(), 'tillid-reader-'));
  return { ...out, ...extra };
};
const run = (args: string[], extra: Record<string, string> = {}) =>
  spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: env(extra), timeout: 30_000 });

describe('tillid reader', () => {
  it('--help describes the options, the loopback-only rule and where the docs are', () => {
    const r = run(['reader', '--help']);
    assert.equal(r.status, 0, r.stderr);
    for (const option of ['--port <port>', '--reader <name>', '--origin <url>'])
      assert.ok(r.stdout.includes(option), option);
    assert.match(r.stdout, /default 8765/);
    assert.match(r.stdout, /127\.0\.0\.1 only/);
    assert.match(r.stdout, /pcscd/);
    assert.match(r.stdout, /docs\/reader-bridge\.md/);
    assert.match(run(['--help']).stdout, /reader \[options\]\s+share this computer/);
  });

  it('refuses a bad port or origin as a usage error (exit 2) before touching PC/SC', () => {
    const port = run(['reader', '--port', '99999']);
    assert.equal(port.status, 2);
    assert.match(port.stderr, /--port must be a port number/);
    const origin = run(['reader', '--origin', 'file:///etc']);
    assert.equal(origin.status, 2);
    assert.match(origin.stderr, /is not an http\(s\) origin/);
  });

  it('says plainly when pcscd is not running (exit 1)', () => {
    const r = run(['reader', '--port', '8766'], {
      PCSCLITE_CSOCK_NAME: join(tmpdir(), 'no-such-pcscd.comm'),
    });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /ERR_PCSCD_NOT_RUNNING: pcscd is not running/);
    assert.match(r.stderr, /start it with/);
  });

  it('parses the port', () => {
    assert.equal(parsePort(undefined), 8765);
    assert.equal(parsePort('9000'), 9000);
    for (const bad of ['0', '65536', '80a', '', '-1', '1e3']) assert.throws(() => parsePort(bad), /--port/);
  });

  it('allows the given origins, else the public URL (and its localhost twins in development)', () => {
    assert.deepEqual(allowedOriginsFrom(['https://tillid.example/app/', 'http://localhost:5173'], {}), [
      'https://tillid.example',
      'http://localhost:5173',
    ]);
    const dataDir = mkdtempSync(join(tmpdir(), 'tillid-reader-'));
    assert.deepEqual(allowedOriginsFrom(undefined, { TILLID_DATA_DIR: dataDir }), [
      'http://localhost:8080',
      'http://127.0.0.1:8080',
    ]);
    assert.deepEqual(
      allowedOriginsFrom(undefined, {
        TILLID_DATA_DIR: dataDir,
        TILLID_PUBLIC_URL: 'http://localhost:9090/',
      }),
      ['http://localhost:9090', 'http://127.0.0.1:9090', 'http://localhost:8080'],
    );
  });
});
