// `tillid sms outbox`: the development SMS outbox (what the outbox gateway would have sent).
import type { Command } from 'commander';
import { withStore } from '../with-store.ts';

export function register(program: Command): void {
  const sms = program.command('sms').description('SMS messages');
  sms
    .command('outbox')
    .description('show the development SMS outbox, newest first (development mode only)')
    .option('--to <number>', 'only messages to this number (E.164)')
    .option('--limit <n>', 'at most this many', '20')
    .option('--json', 'print JSON lines')
    .action(async (opts: { to?: string; limit: string; json?: boolean }) => {
      const messages = await withStore(async ({ config, store }) => {
        if (config.mode !== 'development') {
          process.stderr.write('tillid: the SMS outbox exists only in development mode\n');
          process.exitCode = 2;
          return [];
        }
        return store.smsOutbox.list({ limit: Number(opts.limit), ...(opts.to ? { to: opts.to } : {}) });
      });
      for (const m of messages) {
        process.stdout.write(
          opts.json ? `${JSON.stringify(m)}\n` : `${new Date(m.at).toISOString()}  ${m.to}  ${m.text}\n`,
        );
      }
    });
}
