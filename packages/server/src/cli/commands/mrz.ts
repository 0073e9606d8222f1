// `tillid mrz parse LINE…`: parses and validates a machine readable zone (TD1, TD2, TD3) and prints
// its fields and the BAC/PACE "MRZ information"; exit 0 only when every check digit holds.
import { isMrtdError, mrzInformation, parseMrz } from '@tillid/mrtd';
import type { Command } from 'commander';

/** Where a command writes; tests pass a collector instead of the process streams. */
export interface CliOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

export const processOutput: CliOutput = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** Prints an MrtdError (or anything else) the way every mrtd command does; returns the exit code. */
export function reportFailure(e: unknown, json: boolean, out: CliOutput): number {
  const error = isMrtdError(e)
    ? { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) }
    : { code: 'ERR_INTERNAL', message: e instanceof Error ? e.message : String(e) };
  if (json) out.stdout(`${JSON.stringify({ ok: false, error })}\n`);
  else out.stderr(`tillid: ${error.code}: ${error.message}\n`);
  return 1;
}

export function mrzParse(
  lines: readonly string[],
  options: { json: boolean },
  out: CliOutput = processOutput,
): number {
  try {
    const mrz = parseMrz(lines.length === 1 ? (lines[0] ?? '') : lines);
    const information = mrzInformation(mrz);
    if (options.json) {
      out.stdout(`${JSON.stringify({ ok: true, mrz, mrzInformation: information })}\n`);
    } else {
      const rows: [string, string][] = [
        ['format', mrz.format],
        ['document code', mrz.documentCode],
        ['issuing state', mrz.issuingState],
        ['document number', mrz.documentNumber],
        ['surname', mrz.surname],
        ['given names', mrz.givenNames],
        ['nationality', mrz.nationality],
        ['date of birth', mrz.dateOfBirth],
        ['sex', mrz.sex],
        ['date of expiry', mrz.dateOfExpiry],
        ['optional data', mrz.optionalData1],
        ...(mrz.optionalData2 !== undefined
          ? [['optional data 2', mrz.optionalData2] as [string, string]]
          : []),
        ['MRZ information', information],
      ];
      out.stdout(`${rows.map(([k, v]) => `${k.padEnd(16)} ${v}`).join('\n')}\nall check digits valid\n`);
    }
    return 0;
  } catch (e) {
    return reportFailure(e, options.json, out);
  }
}

export function register(program: Command): void {
  const mrz = program.command('mrz').description('machine readable zone tools (ICAO 9303 parts 3-5)');
  mrz
    .command('parse')
    .description('parse and validate an MRZ (TD1, TD2 or TD3), one argument per line')
    .argument('<lines...>', 'the MRZ lines')
    .option('--json', 'print the result as JSON')
    .action((lines: string[], opts: { json?: boolean }) => {
      process.exitCode = mrzParse(lines, { json: opts.json === true });
    });
}
