// The `tillid` command line: one commander program; each command module adds its subcommands.
import { Command, CommanderError } from 'commander';
import { CONFIG_VARIABLES } from '../config/schema.ts';
import { isServerError } from '../errors.ts';
import { OIDC_VARIABLES } from '../oidc/oidc-settings.ts';
import { SWEEP_VARIABLES } from '../sweep/register-sweep.ts';
import * as audit from './commands/audit.ts';
import * as clients from './commands/clients.ts';
import * as migrate from './commands/migrate.ts';
import * as mrz from './commands/mrz.ts';
import * as orders from './commands/orders.ts';
import * as passport from './commands/passport.ts';
import * as pcode from './commands/pcode.ts';
import * as reader from './commands/reader.ts';
import * as sms from './commands/sms.ts';
import * as start from './commands/start.ts';
import { START_VARIABLES } from './commands/start.ts';
import * as tokens from './commands/tokens.ts';

export interface CommandModule {
  register(program: Command): void;
}

const COMMANDS: readonly CommandModule[] = [
  start,
  migrate,
  mrz,
  passport,
  reader,
  pcode,
  audit,
  sms,
  tokens,
  orders,
  clients,
];

export function buildProgram(): Command {
  const program = new Command('tillid')
    .description('Tillid: an open-source national digital identity platform')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride()
    .addHelpText(
      'after',
      `\nConfiguration (environment variables):\n${[...CONFIG_VARIABLES, ...START_VARIABLES, ...OIDC_VARIABLES, ...SWEEP_VARIABLES].map((v) => `  ${v.name.padEnd(28)} ${v.help}`).join('\n')}\n\nDocs: docs/ in the repository (README.md first).`,
    );
  for (const m of COMMANDS) m.register(program);
  return program;
}

/** Runs the CLI; returns the exit code (0 only on success). */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    // Usage and configuration mistakes exit 2; failures of the work itself exit 1.
    if (
      isServerError(e) &&
      (e.code === 'ERR_CONFIG' || e.code === 'ERR_UNSAFE_PRODUCTION_CONFIG' || e.status < 500)
    ) {
      process.stderr.write(`tillid: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`tillid: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
