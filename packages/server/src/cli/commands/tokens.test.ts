// Runs `tillid tokens …` and `tillid orders …` through the real bin, as an operator would.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const BIN = new URL('../../../bin/tillid.js', import.meta.url).pathname;
const FIXTURES = new URL('../../../test/fixtures/pskc/', import.meta.url).pathname;
const PSK = '12345678901234567890123456789012';

function env(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (!k.startsWith('TILLID_') && k !== 'DATABASE_URL' && v) out[k] = v;
  return out;
}

describe('tillid tokens / orders', () => {
  it('imports plain and encrypted PSKC files all or nothing, and lists devices without secrets', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'tillid-tokens-cli-'));
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: env() });
    const plain = run('tokens', 'import', join(FIXTURES, 'tillid-totp-plain.pskcxml'), '--json');
    assert.equal(plain.status, 0, plain.stderr);
    assert.deepEqual(JSON.parse(plain.stdout), { imported: ['TEST-0001', 'TEST-0002'], unchanged: [] });
    assert.deepEqual(
      JSON.parse(run('tokens', 'import', join(FIXTURES, 'tillid-totp-plain.pskcxml'), '--json').stdout),
      {
        imported: [],
        unchanged: ['TEST-0001', 'TEST-0002'],
      },
    );
    const encrypted = join(FIXTURES, 'tillid-totp-encrypted.pskcxml');
    const noKey = run('tokens', 'import', encrypted, '--model', 'reader');
    assert.equal(noKey.status, 2);
    assert.match(noKey.stderr, /Pre-shared-key.*--psk/);
    const tampered = join(cwd, 'tampered.pskcxml');
    writeFileSync(
      tampered,
      readFileSync(encrypted, 'utf8').replace('US5HkRAlVsL9EWbP3OMNtPI3lvw=', 'US5HkRAlVsL9EWbP3OMNtPI3lvA='),
    );
    const bad = run('tokens', 'import', tampered, '--psk', PSK, '--model', 'reader');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /MAC does not match/);
    const hotp = run('tokens', 'import', join(FIXTURES, 'rfc6030-figure6.pskcxml'), '--psk', PSK);
    assert.equal(hotp.status, 2);
    assert.match(hotp.stderr, /only TOTP devices/);
    const ok = run('tokens', 'import', encrypted, '--psk', PSK, '--model', 'reader');
    assert.equal(ok.status, 0, ok.stderr);
    const list = run('tokens', 'list')
      .stdout.trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      list.map((t) => [t.serial, t.model, t.status]),
      [
        ['TEST-0001', 'display', 'in-stock'],
        ['TEST-0002', 'display', 'in-stock'],
        ['TEST-1001', 'reader', 'in-stock'],
        ['TEST-1002', 'reader', 'in-stock'],
      ],
    );
    assert.ok(list.every((t) => !('secretSealed' in t)));
    assert.equal(run('tokens', 'revoke', 'test-0002').status, 0);
    assert.equal(run('orders', 'list').stdout, '');
    assert.equal(run('orders', 'ship', 'nope', '--serial', 'TEST-0001').status, 2);
    assert.deepEqual(JSON.parse(run('audit', 'verify', '--json').stdout), { ok: true, count: 4 });
  });
});
