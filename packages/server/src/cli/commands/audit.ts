// `tillid audit verify|list`: checks the audit hash chain, and lists events.
import type { Command } from 'commander';
import { withStore } from '../with-store.ts';

export function register(program: Command): void {
  const audit = program.command('audit').description('the hash-chained audit log');
  audit
    .command('verify')
    .description('walk the whole audit chain; exit 1 at the first changed, missing or reordered event')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const v = await withStore(({ store }) => store.audit.verify());
      if (opts.json) process.stdout.write(`${JSON.stringify(v)}\n`);
      else if (v.ok) process.stdout.write(`audit chain intact: ${v.count} events\n`);
      else
        process.stdout.write(
          `audit chain BROKEN at event ${v.brokenAt} (${v.reason}); ${v.count} events verified before it\n`,
        );
      if (!v.ok) process.exitCode = 1;
    });
  audit
    .command('list')
    .description('list audit events, oldest first')
    .option('--subject <subject>', 'only events about this subject')
    .option('--limit <n>', 'at most this many', '100')
    .action(async (opts: { subject?: string; limit: string }) => {
      const events = await withStore(({ store }) =>
        store.audit.list({ limit: Number(opts.limit), ...(opts.subject ? { subject: opts.subject } : {}) }),
      );
      for (const e of events) process.stdout.write(`${JSON.stringify(e)}\n`);
    });
}
