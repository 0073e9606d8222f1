// `tillid start`: runs the server until SIGTERM/SIGINT.
import type { Command } from 'commander';
import { loadConfig } from '../../config/load-config.ts';
import { startServer } from '../../server.ts';

export function register(program: Command): void {
  program
    .command('start')
    .description('start the Tillid server (configuration from the environment; see `tillid --help`)')
    .option('-p, --port <port>', 'port to listen on (overrides TILLID_PORT)')
    .action(async (opts: { port?: string }) => {
      const env = { ...process.env, ...(opts.port ? { TILLID_PORT: opts.port } : {}) };
      const config = loadConfig({ env });
      const server = await startServer(config, { handleSignals: true });
      const where = config.publicUrl.startsWith('http://localhost') ? server.url : config.publicUrl;
      process.stdout.write(
        `\nTillid is running (${config.mode} mode, ${config.database.kind} store).\n` +
          `  Open:    ${where}/\n  API:     ${where}/docs\n  Health:  ${where}/healthz\n` +
          'Stop with Ctrl+C.\n\n',
      );
      // Keep running: the signal handlers end the process.
      await new Promise<never>(() => {});
    });
}
