// `tillid start`: runs the server until SIGTERM/SIGINT, as one process or as N worker processes (node:cluster)
// sharing the port, each with its own store connection: one Node process uses at most one core.
import cluster, { type Worker } from 'node:cluster';
import type { Command } from 'commander';
import { z } from 'zod';
import { loadConfig } from '../../config/load-config.ts';
import type { Config } from '../../config/schema.ts';
import { ServerError } from '../../errors.ts';
import { startServer } from '../../server.ts';

/** Environment variables of `tillid start` itself (listed by `tillid --help`). */
export const START_VARIABLES = [
  {
    name: 'TILLID_WORKERS',
    help: 'server processes sharing the port (default 1; about one per core; --workers overrides)',
  },
] as const;

const MAX_WORKERS = 64;

const workersSchema = z.coerce.number().int().min(1).max(MAX_WORKERS);

/** The number of worker processes from `--workers` or TILLID_WORKERS (default 1). */
export function workerCount(
  option: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): number {
  const raw = option ?? env['TILLID_WORKERS'] ?? '1';
  const parsed = workersSchema.safeParse(raw);
  if (!parsed.success)
    throw new ServerError('ERR_CONFIG', `workers must be a whole number from 1 to ${MAX_WORKERS}`, {
      status: 400,
      details: { variables: ['TILLID_WORKERS'] },
    });
  return parsed.data;
}

function banner(config: Config, url: string, workers: number): string {
  const where = config.publicUrl.startsWith('http://localhost') ? url : config.publicUrl;
  const processes = workers > 1 ? `, ${workers} worker processes` : '';
  return (
    `\nTillid is running (${config.mode} mode, ${config.database.kind} store${processes}).\n` +
    `  Open:    ${where}/\n  API:     ${where}/docs\n  Health:  ${where}/healthz\n` +
    'Stop with Ctrl+C.\n\n'
  );
}

/** A forked worker's first message: where it listens. */
interface ListeningMessage {
  readonly tillidListening: string;
}

function listening(worker: Worker): Promise<string> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: Partial<ListeningMessage>) => {
      if (typeof m?.tillidListening !== 'string') return;
      worker.off('exit', onExit);
      worker.off('message', onMessage);
      resolve(m.tillidListening);
    };
    const onExit = (code: number | null) =>
      reject(new ServerError('ERR_INTERNAL', `a worker process exited with ${code} while starting`));
    worker.on('message', onMessage);
    worker.once('exit', onExit);
  });
}

/**
 * The primary: starts the first worker alone (it migrates the store and does the one-time start-up work, such as
 * the first signing key), then the others, which find that work done. A worker that dies after it was listening
 * is replaced; one that fails to start stops them all (its configuration or store is broken, and so would every
 * replacement's be). SIGTERM/SIGINT stop the workers gracefully, then the primary.
 */
async function runPrimary(config: Config, workers: number): Promise<void> {
  let stopping = false;
  const running = new Set<Worker>();
  const stop = () => {
    if (stopping) return;
    stopping = true;
    if (running.size === 0) process.exit(process.exitCode ?? 0);
    for (const w of running) w.kill('SIGTERM');
  };
  const fork = (): Promise<string> => {
    const worker = cluster.fork();
    running.add(worker);
    let listened = false;
    worker.once('exit', (code, signal) => {
      running.delete(worker);
      if (stopping) {
        if (running.size === 0) process.exit(process.exitCode ?? 0);
        return;
      }
      if (!listened) return;
      process.stderr.write(`tillid: a worker process exited (${signal ?? code}); starting another\n`);
      fork().catch(() => {
        process.exitCode = 1;
        stop();
      });
    });
    return listening(worker).then((url) => {
      listened = true;
      return url;
    });
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, stop);
  try {
    const url = await fork();
    await Promise.all(Array.from({ length: workers - 1 }, () => fork()));
    process.stdout.write(banner(config, url, workers));
  } catch (e) {
    // The CLI reports the error; the primary exits once the workers that did start have stopped.
    process.exitCode = 1;
    stopping = true;
    for (const w of running) w.kill('SIGTERM');
    throw e;
  }
}

export function register(program: Command): void {
  program
    .command('start')
    .description('start the Tillid server (configuration from the environment; see `tillid --help`)')
    .option('-p, --port <port>', 'port to listen on (overrides TILLID_PORT)')
    .option('-w, --workers <n>', 'server processes sharing the port (overrides TILLID_WORKERS; default 1)')
    .action(async (opts: { port?: string; workers?: string }) => {
      const env = { ...process.env, ...(opts.port ? { TILLID_PORT: opts.port } : {}) };
      const config = loadConfig({ env });
      const workers = workerCount(opts.workers, env);
      if (workers > 1 && config.database.kind === 'sqlite' && config.database.path === ':memory:')
        throw new ServerError('ERR_CONFIG', 'worker processes cannot share an in-memory SQLite store', {
          status: 400,
          details: { variables: ['TILLID_WORKERS', 'DATABASE_URL'] },
        });
      if (workers > 1 && cluster.isPrimary) {
        await runPrimary(config, workers);
      } else {
        const server = await startServer(config, { handleSignals: true }).catch((e: unknown) => {
          // A worker's channel to the primary would keep it alive: let go, so it exits with the error.
          cluster.worker?.disconnect();
          throw e;
        });
        if (cluster.isWorker) process.send?.({ tillidListening: server.url } satisfies ListeningMessage);
        else process.stdout.write(banner(config, server.url, 1));
      }
      // Keep running: the signal handlers end the process.
      await new Promise<never>(() => {});
    });
}
