// WAL checkpoints of a server's SQLite file in a thread of their own. SQLite's automatic checkpoint runs inside
// whichever commit crosses the threshold (1000 pages by default): it copies the WAL's pages into the database
// file and syncs it, on the event loop, stalling every request of the process meanwhile, and so often that the
// same hot pages (the ends of the tables and indexes every login appends to) are copied over and over. Here a
// worker thread with its own connection runs a PASSIVE checkpoint (SQLite "PRAGMA wal_checkpoint": never waits
// for readers or writers) every CHECKPOINT_INTERVAL_MS; the server's connection keeps an automatic checkpoint at
// a much higher threshold only as a backstop, should this thread fall behind.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the thread checkpoints: about one thousand pages of WAL a second at a few hundred logins/s. */
export const CHECKPOINT_INTERVAL_MS = 250;
/** The server connection's own automatic checkpoint, a backstop (pages; 4 KiB each). */
export const BACKSTOP_CHECKPOINT_PAGES = 20_000;

// Plain JavaScript: a worker thread does not inherit the TypeScript loader of the main thread.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 100');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (e) {
    // Another checkpoint is running (SQLITE_BUSY): the next tick tries again.
    if (!String(e && e.code).startsWith('SQLITE_BUSY')) parentPort.postMessage({ error: String(e && e.message) });
  }
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  /** Checkpoints once more and stops the thread. */
  stop(): Promise<void>;
}

export function startCheckpointer(
  path: string,
  options: { intervalMs?: number; onError?: (message: string) => void } = {},
): Checkpointer {
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: {
      path,
      driver: createRequire(import.meta.url).resolve('better-sqlite3'),
      intervalMs: options.intervalMs ?? CHECKPOINT_INTERVAL_MS,
    },
  });
  // The thread never keeps a process alive on its own.
  worker.unref();
  worker.on('message', (m: { error?: string }) => {
    if (m.error) options.onError?.(m.error);
  });
  worker.on('error', (e) => options.onError?.(e.message));
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    worker.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  return {
    stop() {
      if (!exited) {
        // Waiting for the thread to finish keeps the process alive until it has.
        worker.ref();
        worker.postMessage('stop');
      }
      return exit;
    },
  };
}
