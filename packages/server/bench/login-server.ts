// The server half of bench/login.bench.ts, in its own process so the benchmark's clients do not share its event
// loop: a Tillid server with the OIDC provider, the login methods and the app routes on the given store.
// With `nodes` > 1 it runs that many server processes (node:cluster) on one port and one database, as
// `tillid start --workers N` does (on SQLite too: the processes share the file); the first one starts alone
// (migrations, signing key), then the others.
// Argument: JSON { target, port, secrets, nodes? }. Prints `READY <url> <pid,pid…>` when listening; stops on SIGTERM.
import cluster, { type Worker } from 'node:cluster';
import { startAppTillid } from '../src/app-authenticator/testing/test-app.ts';

const options = JSON.parse(process.argv[2] ?? '{}');
const nodes = Number(options.nodes ?? 1);

function started(worker: Worker): Promise<string> {
  return new Promise((resolve, reject) => {
    worker.once('message', (m: { url?: string }) =>
      m.url ? resolve(m.url) : reject(new TypeError('no url')),
    );
    worker.once('exit', (code) => reject(new TypeError(`server node exited with ${code}`)));
  });
}

if (nodes > 1 && cluster.isPrimary) {
  const workers: Worker[] = [];
  let url = '';
  for (let i = 0; i < nodes; i++) {
    const worker = cluster.fork();
    workers.push(worker);
    url = await started(worker);
  }
  process.stdout.write(`READY ${url} ${workers.map((w) => w.process.pid).join(',')}\n`);
  process.once('SIGTERM', () => {
    let left = workers.length;
    for (const w of workers) {
      w.once('exit', () => {
        if (--left === 0) process.exit(0);
      });
      w.kill('SIGTERM');
    }
  });
} else {
  // The same 20 PostgreSQL connections in all, however many processes share them.
  const t = await startAppTillid({ ...options, poolSize: Math.ceil(20 / nodes) });
  if (cluster.isWorker) process.send?.({ url: t.url });
  else process.stdout.write(`READY ${t.url} ${process.pid}\n`);
  process.once('SIGTERM', () => {
    t.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
