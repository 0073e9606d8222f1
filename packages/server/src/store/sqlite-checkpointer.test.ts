// The background WAL checkpointer: with SQLite's own automatic checkpoint pushed far out, the thread still
// copies the WAL back into the database file, and closing the store stops it.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import SQLite from 'better-sqlite3';
import { startCheckpointer } from './sqlite-checkpointer.ts';
import { openStore } from './store.ts';

const dir = mkdtempSync(join(tmpdir(), 'tillid-checkpoint-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** What the database file alone holds, without its WAL: a copy of the file opened on its own. */
function copyOfFile(path: string, name: string): SQLite.Database {
  const copy = join(dir, name);
  copyFileSync(path, copy);
  return new SQLite(copy);
}

describe('background WAL checkpoints', () => {
  it('a server store checkpoints in its own thread, and closing it stops the thread', async () => {
    const path = join(dir, 'server.db');
    const errors: string[] = [];
    const store = await openStore(
      { kind: 'sqlite', path },
      {
        backgroundCheckpoints: true,
        onCheckpointError: (m) => errors.push(m),
      },
    );
    try {
      for (let i = 0; i < 300; i++)
        await store.audit.append({ type: 'test.event', actor: 't', data: { i } }, i);
      // Far below the server connection's own threshold: only the thread copies the WAL back. Two of its ticks.
      await sleep(600);
      const copy = copyOfFile(path, 'server-copy.db');
      try {
        const { n } = copy.prepare('SELECT count(*) AS n FROM audit_events').get() as { n: number };
        assert.equal(n, 300);
      } finally {
        copy.close();
      }
    } finally {
      await store.close();
    }
    assert.deepEqual(errors, []);
  });

  it('stop() ends the thread and may be called twice', async () => {
    const path = join(dir, 'stop.db');
    const db = new SQLite(path);
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.exec('CREATE TABLE t (v TEXT)');
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    for (let i = 0; i < 200; i++) insert.run('x'.repeat(500));
    const checkpointer = startCheckpointer(path, { intervalMs: 50 });
    await sleep(300);
    await checkpointer.stop();
    await checkpointer.stop();
    // Everything written was copied back into the file itself.
    const copy = copyOfFile(path, 'stop-copy.db');
    assert.equal((copy.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n, 200);
    copy.close();
    db.close();
  });
});
