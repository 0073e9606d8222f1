// Several server processes on one SQLite file (`tillid start --workers N`): transactions that read then write
// (the audit chain's head, flow transitions) must not fail with SQLITE_BUSY, and the hash chain stays intact.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { DatabaseTarget } from './database.ts';
import { openStore, type Store } from './store.ts';

const dir = mkdtempSync(join(tmpdir(), 'tillid-shared-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Appends `count` audit events one transaction each and moves a flow through `count` transitions. */
async function work(store: Store, who: string, count: number): Promise<void> {
  const flow = await store.flows.create(
    { kind: 'test', state: 's0', expiresAt: Date.now() + 60_000, context: {} },
    1,
  );
  const appends: Promise<unknown>[] = [];
  for (let i = 0; i < count; i++) {
    appends.push(store.audit.append({ type: 'test.event', actor: who, data: { i } }, 1000 + i));
    if (i % 5 === 0)
      appends.push(
        store.audit.appendMany(
          [0, 1, 2].map((j) => ({
            input: { type: 'test.batch', actor: who, data: { i, j } },
            now: 1000 + i,
          })),
        ),
      );
  }
  let version = flow.version;
  for (let i = 0; i < count; i++) {
    const r = await store.flows.transition(
      flow.id,
      { expectedVersion: version, state: `s${i + 1}` },
      2000 + i,
    );
    version = r.version;
  }
  await Promise.all(appends);
}

describe('one SQLite file, several connections', () => {
  it('two connections interleaving read-then-write transactions neither fail nor break the chain', async () => {
    const target: DatabaseTarget = { kind: 'sqlite', path: join(dir, 'two-connections.db') };
    const a = await openStore(target);
    const b = await openStore(target, { migrate: false });
    try {
      await Promise.all([work(a, 'a', 60), work(b, 'b', 60)]);
      const v = await a.audit.verify();
      assert.deepEqual(v, { ok: true, count: 2 * (60 + 12 * 3) });
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('two processes appending at once leave an intact chain', async () => {
    const path = join(dir, 'two-processes.db');
    const target: DatabaseTarget = { kind: 'sqlite', path };
    const store = await openStore(target);
    const storeModule = fileURLToPath(new URL('./store.ts', import.meta.url));
    // The other process: the same work through its own connection, started while this one works too.
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `const { openStore } = await import(${JSON.stringify(storeModule)});
         const store = await openStore({ kind: 'sqlite', path: ${JSON.stringify(path)} }, { migrate: false });
         process.stdout.write('OPEN\\n');
         const all = [];
         for (let i = 0; i < 300; i++) all.push(store.audit.append({ type: 'test.child', data: { i } }, i));
         await Promise.all(all);
         await store.close();`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      // Started (or failed: the exit code is checked below).
      await Promise.race([new Promise((resolve) => child.stdout.once('data', resolve)), exited]);
      await work(store, 'parent', 150);
      assert.equal(await exited, 0, stderr);
      assert.deepEqual(await store.audit.verify(), { ok: true, count: 300 + 150 + 30 * 3 });
    } finally {
      child.kill();
      await store.close();
    }
  });
});
