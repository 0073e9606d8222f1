// `tillid migrate`: applies database migrations and exits (for operators who migrate before rolling out).
import type { Command } from 'commander';
import { loadConfig } from '../../config/load-config.ts';
import { migrateToLatest, openDatabase } from '../../store/database.ts';

export function register(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations to DATABASE_URL and exit')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { json?: boolean }) => {
      const config = loadConfig({ env: process.env });
      const { db } = openDatabase(config.database);
      try {
        const applied = await migrateToLatest(db);
        if (opts.json) process.stdout.write(`${JSON.stringify({ applied })}\n`);
        else
          process.stdout.write(
            applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n',
          );
      } finally {
        await db.destroy();
      }
    });
}
