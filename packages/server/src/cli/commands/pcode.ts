// `tillid pcode issue`: operators (bank, support, citizen service) issue a P-code to a person without a CPR number.
import type { Command } from 'commander';
import { ZodError } from 'zod';
import { SecretBox } from '../../crypto/secret-box.ts';
import { ServerError } from '../../errors.ts';
import { issuePcode } from '../../pcode/pcode-service.ts';
import { withStore } from '../with-store.ts';

interface IssueOptions {
  name: string;
  birth: string;
  documentNumber: string;
  nationality?: string;
  issuedBy: string;
  json?: boolean;
}

export function register(program: Command): void {
  const pcode = program.command('pcode').description('P-codes for people without a Danish CPR number');
  pcode
    .command('issue')
    .description('issue an 8-digit P-code (valid 60 days, 3 attempts, one use); the code is shown only now')
    .requiredOption('--name <name>', "the person's full name as in the passport")
    .requiredOption('--birth <YYYY-MM-DD>', 'date of birth')
    .requiredOption('--document-number <number>', 'passport or ID card number')
    .option('--nationality <CCC>', 'ICAO 3-letter nationality code')
    .option('--issued-by <who>', 'the issuing operator, recorded in the audit log', 'operator:cli')
    .option('--json', 'print JSON')
    .action(async (opts: IssueOptions) => {
      const issued = await withStore(async ({ config, store }) => {
        try {
          return await issuePcode(
            {
              store,
              secretBox: new SecretBox(config.secrets.encryptionKey),
              hmacKey: config.secrets.hmacKey,
              now: Date.now,
            },
            {
              person: {
                name: opts.name,
                birthDate: opts.birth,
                documentNumber: opts.documentNumber,
                ...(opts.nationality ? { nationality: opts.nationality.toUpperCase() } : {}),
              },
              issuedBy: opts.issuedBy,
            },
          );
        } catch (e) {
          if (e instanceof ZodError) {
            const fields = e.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join('; ');
            throw new ServerError('ERR_VALIDATION', `invalid P-code request: ${fields}`, { status: 400 });
          }
          throw e;
        }
      });
      const expires = new Date(issued.expiresAt).toISOString().slice(0, 10);
      if (opts.json) process.stdout.write(`${JSON.stringify(issued)}\n`);
      else
        process.stdout.write(
          `P-code: ${issued.code.slice(0, 4)} ${issued.code.slice(4)}\nValid until: ${expires} (3 attempts, one use)\nGive it to the person; it is not stored and cannot be shown again.\n`,
        );
    });
}
