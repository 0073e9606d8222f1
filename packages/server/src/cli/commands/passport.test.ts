import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CliOutput } from './mrz.ts';
import { passportCreate, passportRead, passportVerify } from './passport.ts';

function collector(): CliOutput & { out: string; err: string; json(): Record<string, unknown> } {
  const c = {
    out: '',
    err: '',
    stdout(s: string) {
      c.out += s;
    },
    stderr(s: string) {
      c.err += s;
    },
    json() {
      return JSON.parse(c.out.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
    },
  };
  return c;
}

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'tillid-passport-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('tillid passport', () => {
  it('creates, reads (PACE with the CAN) and verifies a document, AA included', async () => {
    const testCsca = join(dir, 'csca.json');
    const doc = join(dir, 'doc');
    const created = collector();
    assert.equal(await passportCreate({ out: doc, pace: true, aa: 'rsa', testCsca, json: true }, created), 0);
    const summary = created.json();
    assert.equal(summary.pace, true);

    const read = collector();
    const readDir = join(dir, 'read');
    const code = await passportRead(
      {
        reader: `virtual:${doc}`,
        out: readDir,
        can: String(summary.can),
        aaChallenge: '0102030405060708',
        json: true,
      },
      read,
    );
    assert.equal(code, 0, read.out);
    const report = read.json() as {
      protocol: string;
      activeAuthentication: { challenge: string; response: string };
    };
    assert.equal(report.protocol, 'PACE');
    const names = readdirSync(readDir);
    for (const f of ['EF_COM.bin', 'EF_SOD.bin', 'DG1.bin', 'DG2.bin', 'DG14.bin', 'DG15.bin'])
      assert.ok(names.includes(f), f);
    assert.deepEqual(readFileSync(join(readDir, 'DG2.bin')), readFileSync(join(doc, 'DG2.bin')));

    const verified = collector();
    const ok = await passportVerify(
      {
        dir: readDir,
        csca: [join(doc, 'csca.der')],
        aaChallenge: report.activeAuthentication.challenge,
        aaResponse: report.activeAuthentication.response,
        json: true,
      },
      verified,
    );
    assert.equal(ok, 0, verified.out);
    assert.equal(verified.json().ok, true);

    // Without a trust anchor the same directory must not verify.
    const untrusted = collector();
    assert.equal(await passportVerify({ dir: readDir, json: true }, untrusted), 1);
  });

  it('reads with BAC from the MRZ lines and rejects a bad SOD signature on verify', async () => {
    const doc = join(dir, 'bad-sig');
    const created = collector();
    assert.equal(
      await passportCreate(
        { out: doc, aa: 'none', defect: 'bad-sod-signature', testCsca: join(dir, 'csca.json'), json: true },
        created,
      ),
      0,
    );
    const mrz = created.json().mrz as string[];
    const read = collector();
    assert.equal(
      await passportRead({ reader: `virtual:${doc}`, out: join(dir, 'bad-read'), mrz, json: true }, read),
      0,
    );
    assert.equal((read.json() as { protocol: string }).protocol, 'BAC');
    const verified = collector();
    assert.equal(
      await passportVerify(
        { dir: join(dir, 'bad-read'), csca: [join(doc, 'csca.der')], json: true },
        verified,
      ),
      1,
    );
    const report = verified.json() as { passiveAuthentication: { checks: { id: string; code?: string }[] } };
    assert.equal(
      report.passiveAuthentication.checks.find((c) => c.id === 'sod_signature')?.code,
      'ERR_PA_SOD_SIGNATURE',
    );
  });

  it('fails with a usage error and JSON on bad arguments', async () => {
    const c = collector();
    assert.equal(
      await passportRead({ reader: 'virtual:/nonexistent', out: join(dir, 'x'), json: true }, c),
      1,
    );
    assert.equal((c.json().error as { code: string }).code, 'ERR_USAGE');
    const d = collector();
    assert.equal(await passportCreate({ out: join(dir, 'y'), defect: 'nope', json: true }, d), 1);
  });
});
