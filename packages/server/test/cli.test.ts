// Runs the real `tillid` bin as a user would.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const BIN = new URL('../bin/tillid.js', import.meta.url).pathname;
const cleanEnv = () => {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (!k.startsWith('TILLID_') && k !== 'DATABASE_URL' && v) env[k] = v;
  // Models load in the background of a started server; these tests do not need them.
  env['TILLID_VISION'] = 'off';
  env['TILLID_TEST_CSCA'] = join(mkdtempSync(join(tmpdir(), 'tillid-csca-')), 'csca.json');
  return env;
};

describe('tillid CLI', () => {
  it('--help lists the commands and the configuration variables', () => {
    const r = spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8', env: cleanEnv() });
    assert.equal(r.status, 0);
    assert.match(r.stdout, /start/);
    assert.match(r.stdout, /migrate/);
    assert.match(r.stdout, /TILLID_MODE/);
  });

  it('refuses `start` in production with default secrets, naming each unsafe setting', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'tillid-cli-'));
    const r = spawnSync(process.execPath, [BIN, 'start'], {
      cwd,
      encoding: 'utf8',
      env: { ...cleanEnv(), TILLID_MODE: 'production' },
    });
    assert.equal(r.status, 2);
    for (const v of [
      'TILLID_HMAC_KEY',
      'TILLID_ENCRYPTION_KEY',
      'TILLID_TRUST_ANCHORS',
      'TILLID_SMS_GATEWAY',
      'TILLID_PUBLIC_URL',
    ]) {
      assert.match(r.stderr, new RegExp(v));
    }
  });

  it('`migrate` applies migrations once', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'tillid-cli-'));
    const run = () =>
      spawnSync(process.execPath, [BIN, 'migrate', '--json'], { cwd, encoding: 'utf8', env: cleanEnv() });
    assert.deepEqual(JSON.parse(run().stdout), {
      applied: [
        '0001-foundation',
        '0002-sms-outbox',
        '0003-pcodes',
        '0004-identities',
        '0005-oidc',
        '0006-tokens',
        '0007-app-authenticator',
        '0008-oidc-partial-indexes',
      ],
    });
    assert.deepEqual(JSON.parse(run().stdout), { applied: [] });
  });

  it('`pcode issue` prints a code once and records it in the verifiable audit chain', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'tillid-cli-'));
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: cleanEnv() });
    const issued = run(
      'pcode',
      'issue',
      '--name',
      'Anna Maria Eriksson',
      '--birth',
      '1974-08-12',
      '--document-number',
      'L898902C3',
      '--json',
    );
    assert.equal(issued.status, 0, issued.stderr);
    assert.match(JSON.parse(issued.stdout).code, /^\d{8}$/);
    const bad = run('pcode', 'issue', '--name', 'X', '--birth', '1974-02-30', '--document-number', 'A1');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /birthDate/);
    const verify = run('audit', 'verify', '--json');
    assert.equal(verify.status, 0);
    assert.deepEqual(JSON.parse(verify.stdout), { ok: true, count: 1 });
    const outbox = run('sms', 'outbox');
    assert.equal(outbox.status, 0);
  });

  it('`start` serves /healthz, prints what to open, and exits 0 on SIGTERM', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'tillid-cli-'));
    const child = spawn(process.execPath, [BIN, 'start'], {
      cwd,
      env: { ...cleanEnv(), TILLID_PORT: '0', TILLID_HOST: '127.0.0.1', TILLID_LOG_LEVEL: 'warn' },
    });
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = out.match(/Open: +(http:\/\/[^\s]+?)\/\n/);
        if (m?.[1]) resolve(m[1]);
      });
      child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${out}`)));
    });
    const r = await fetch(`${url}/healthz`);
    assert.equal(r.status, 200);
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.equal(await exit, 0);
  });
});
