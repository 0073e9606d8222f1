// Two server processes on one PostgreSQL: a flow started on one node is continued on the other and finished
// there (flows, counters and the audit chain live in the database; nodes are stateless).
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestDocument, loadOrCreateTestCsca } from '@tillid/mrtd/node';
import { Jpeg2000Codec } from '@tillid/vision';
import { fixture, HELD_OUT } from '../../vision/test/synth/face-sets.ts';
import { planFor, portraitSource, session } from '../../vision/test/synth/liveness-frames.ts';
import { PRIVACY_VERSION, TERMS_VERSION } from '../src/enrollment/terms.ts';
import { openStore } from '../src/store/store.ts';
import { mrzLinesOf, readChip } from './helpers/enrollment-harness.ts';
import { createPostgresDatabase, PG_ADMIN_URL } from './helpers/test-databases.ts';

const BIN = new URL('../bin/tillid.js', import.meta.url).pathname;

interface Node {
  readonly url: string;
  readonly child: ChildProcess;
}

function startNode(env: Record<string, string>): Promise<Node> {
  const child = spawn(process.execPath, [BIN, 'start'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    let url: string | undefined;
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      url ??= out.match(/Open: +(http:\/\/[^\s]+?)\/\n/)?.[1];
      // Ready when it serves and its vision models are loaded.
      if (url && out.includes('TLD-0031')) resolve({ url, child });
    });
    child.once('exit', (code) => reject(new Error(`node exited with ${code}: ${out}`)));
  });
}

describe('two server nodes on one PostgreSQL', {
  skip: PG_ADMIN_URL ? undefined : 'PostgreSQL is not available',
}, () => {
  const nodes: Node[] = [];
  let drop: () => Promise<void>;
  const dir = mkdtempSync(join(tmpdir(), 'tillid-nodes-'));
  const cscaPath = join(dir, 'test-csca.json');
  let databaseUrl = '';

  before(async () => {
    const db = await createPostgresDatabase(PG_ADMIN_URL ?? '');
    drop = db.drop;
    if (db.target.kind !== 'postgres') throw new Error('expected PostgreSQL');
    databaseUrl = db.target.url;
    const env = {
      DATABASE_URL: db.target.url,
      TILLID_HMAC_KEY: randomBytes(32).toString('hex'),
      TILLID_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      TILLID_TEST_CSCA: cscaPath,
      TILLID_DATA_DIR: dir,
      TILLID_HOST: '127.0.0.1',
      TILLID_PORT: '0',
      TILLID_LOG_LEVEL: 'info',
    };
    loadOrCreateTestCsca(cscaPath);
    // The first node migrates the database; the second finds it migrated.
    nodes.push(await startNode(env));
    nodes.push(await startNode(env));
  });
  after(async () => {
    await Promise.all(
      nodes.map(
        (n) =>
          new Promise<void>((r) => {
            if (n.child.exitCode !== null) return r();
            n.child.once('exit', () => r());
            n.child.kill('SIGTERM');
          }),
      ),
    );
    await drop?.();
  });

  it('finishes on node B an enrollment started on node A', async () => {
    const [a, b] = nodes as [Node, Node];
    const post = async (node: Node, path: string, body: unknown) => {
      const r = await fetch(`${node.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const json = (await r.json()) as Record<string, unknown>;
      assert.ok(r.ok, `${path} on ${node.url}: ${JSON.stringify(json)}`);
      return json;
    };
    const id = String((await post(a, '/v1/enrollments', { locale: 'en' }))['id']);
    let n = 0;
    const next = () => (n++ % 2 === 0 ? b : a);
    const stepOn = async (event: string, body: unknown) =>
      (
        (await post(next(), `/v1/enrollments/${id}/steps/${event}`, body)) as {
          output: Record<string, unknown>;
        }
      ).output;

    await stepOn('document-type-chosen', { documentType: 'passport' });
    await stepOn('terms-accepted', { termsVersion: TERMS_VERSION, privacyVersion: PRIVACY_VERSION });
    await stepOn('country-chosen', { country: 'UTO' });
    await stepOn('person-referenced', { kind: 'cpr', cpr: '1208741234' });
    const passport = await createTestDocument({
      csca: loadOrCreateTestCsca(cscaPath),
      surname: 'ERIKSSON',
      givenNames: 'ANNA MARIA',
      dateOfBirth: '740812',
      face: fixture(HELD_OUT.portraitJp2),
    });
    const mrz = await stepOn('mrz-given', { kind: 'lines', lines: mrzLinesOf(passport) });
    await stepOn('chip-evidence-submitted', await readChip(passport, String(mrz['aaChallenge'])));
    const challenge = (await stepOn('face-challenge-requested', {})) as {
      challengeId: string;
      steps: string[];
    };
    const frames = await session(
      await portraitSource(await Jpeg2000Codec.load()),
      planFor(challenge.steps as never),
    );
    await stepOn('face-evidence-submitted', {
      challengeId: challenge.challengeId,
      frames: frames.map((f) => ({ image: Buffer.from(f.image).toString('base64'), at: f.at })),
    });
    await stepOn('user-id-chosen', { userId: 'two nodes anna' });
    await stepOn('phone-given', { phone: '+4520111111' });
    // The SMS code is in the development outbox, shared through the database.
    const store = await openStore({ kind: 'postgres', url: databaseUrl }, { migrate: false });
    const code = (await store.smsOutbox.list({ to: '+4520111111', limit: 1 }))[0]?.text.match(/\d{8}/)?.[0];
    await store.close();
    await stepOn('phone-verified', { code });
    const done = (await post(next(), `/v1/enrollments/${id}/steps/authenticator-chosen`, {
      authenticator: 'app',
    })) as { flow: { state: string } };
    assert.equal(done.flow.state, 'completed');
    assert.ok(n >= 12, 'the steps alternated between the nodes');
  });
});
