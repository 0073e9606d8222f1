// `tillid passport create|read|verify`: make test documents (virtual chips), read a chip through PC/SC
// or from a virtual chip directory, and verify a directory of raw files. JSON on stdout with --json;
// exit 0 only on success (verify: only when every applicable check passed).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type AccessPassword,
  type CardTransport,
  createTestDocument,
  createVirtualChip,
  fromHex,
  isTestDocumentDefect,
  loadOrCreateTestCsca,
  loadTestDocument,
  MemoryTransport,
  MrtdError,
  type MrzSex,
  mrzInformation,
  openPcscTransport,
  parseMrz,
  type ReadProgress,
  readDocument,
  readLdsFiles,
  saveTestDocument,
  TEST_DOCUMENT_DEFECTS,
  TrustStore,
  toHex,
  verifyDocument,
  writeLdsFiles,
} from '@tillid/mrtd/node';
import type { Command } from 'commander';
import { DEFAULT_TEST_CSCA } from '../../config/load-config.ts';
import { type CliOutput, processOutput, reportFailure } from './mrz.ts';

const usage = (message: string): MrtdError => new MrtdError('ERR_USAGE', message);

// ---------------------------------------------------------------- create

export interface CreateOptions {
  readonly out: string;
  readonly td1?: boolean;
  readonly docNumber?: string;
  readonly birth?: string;
  readonly expiry?: string;
  readonly surname?: string;
  readonly given?: string;
  readonly nationality?: string;
  readonly issuer?: string;
  readonly sex?: string;
  readonly face?: string;
  readonly pace?: boolean;
  readonly aa?: string;
  readonly defect?: string;
  /** Where the shared test CSCA lives (created on first use). */
  readonly testCsca?: string;
  readonly json?: boolean;
}

export async function passportCreate(o: CreateOptions, out: CliOutput = processOutput): Promise<number> {
  try {
    const aa = o.aa ?? 'ec';
    if (aa !== 'rsa' && aa !== 'ec' && aa !== 'none') throw usage('--aa must be rsa, ec or none');
    if (o.defect !== undefined && !isTestDocumentDefect(o.defect)) {
      throw usage(`--defect must be one of ${TEST_DOCUMENT_DEFECTS.join(', ')}`);
    }
    if (o.sex !== undefined && !['M', 'F', 'X'].includes(o.sex)) throw usage('--sex must be M, F or X');
    const csca = loadOrCreateTestCsca(o.testCsca ?? DEFAULT_TEST_CSCA);
    const doc = await createTestDocument({
      csca,
      aa,
      ...(o.td1 ? { td1: true } : {}),
      ...(o.docNumber !== undefined ? { documentNumber: o.docNumber } : {}),
      ...(o.birth !== undefined ? { dateOfBirth: o.birth } : {}),
      ...(o.expiry !== undefined ? { dateOfExpiry: o.expiry } : {}),
      ...(o.surname !== undefined ? { surname: o.surname } : {}),
      ...(o.given !== undefined ? { givenNames: o.given } : {}),
      ...(o.nationality !== undefined ? { nationality: o.nationality } : {}),
      ...(o.issuer !== undefined ? { issuingState: o.issuer } : {}),
      ...(o.sex !== undefined ? { sex: o.sex as MrzSex } : {}),
      ...(o.face !== undefined ? { face: new Uint8Array(readFileSync(o.face)) } : {}),
      ...(o.pace ? { pace: true } : {}),
      ...(o.defect !== undefined && isTestDocumentDefect(o.defect) ? { defect: o.defect } : {}),
    });
    const files = saveTestDocument(o.out, doc);
    const summary = {
      ok: true,
      dir: o.out,
      files,
      mrz: doc.chip.mrz,
      mrzInformation: doc.chip.mrzInformation,
      can: doc.chip.can,
      pace: doc.chip.paceInfos.length > 0,
      activeAuthentication: aa,
      chipAuthentication: doc.chip.chipAuthentication !== undefined,
      defect: doc.chip.defect ?? null,
      csca: join(o.out, 'csca.der'),
    };
    if (o.json) out.stdout(`${JSON.stringify(summary)}\n`);
    else
      out.stdout(
        `test document written to ${o.out}\n${doc.chip.mrz.join('\n')}\nCAN ${doc.chip.can}` +
          `${summary.defect ? `\ndefect ${summary.defect}` : ''}\n`,
      );
    return 0;
  } catch (e) {
    return reportFailure(e, o.json === true, out);
  }
}

// ---------------------------------------------------------------- read

export interface ReadOptions {
  readonly reader: string;
  readonly out: string;
  readonly mrz?: string[];
  readonly docNumber?: string;
  readonly birth?: string;
  readonly expiry?: string;
  readonly can?: string;
  /** The verifier's AA challenge (8 bytes hex); default a random one, printed in the report. */
  readonly aaChallenge?: string;
  readonly json?: boolean;
  /** Draw a progress bar (default: when stdout is a terminal and --json is off). */
  readonly progress?: boolean;
}

function passwordFrom(o: ReadOptions): AccessPassword {
  const given = [
    o.mrz !== undefined,
    o.docNumber !== undefined || o.birth !== undefined || o.expiry !== undefined,
    o.can !== undefined,
  ];
  if (given.filter(Boolean).length !== 1) {
    throw usage('give exactly one of --mrz LINE…, --doc-number/--birth/--expiry, or --can');
  }
  if (o.can !== undefined) {
    if (!/^[0-9]{6}$/.test(o.can)) throw usage('--can is six digits');
    return { kind: 'can', can: o.can };
  }
  if (o.mrz !== undefined) return { kind: 'mrz', mrzInformation: mrzInformation(parseMrz(o.mrz)) };
  if (o.docNumber === undefined || o.birth === undefined || o.expiry === undefined) {
    throw usage('--doc-number, --birth and --expiry go together');
  }
  return {
    kind: 'mrz',
    mrzInformation: mrzInformation({
      documentNumber: o.docNumber,
      dateOfBirth: o.birth,
      dateOfExpiry: o.expiry,
    }),
  };
}

async function openReader(spec: string): Promise<CardTransport> {
  if (spec.startsWith('virtual:')) {
    const dir = spec.slice('virtual:'.length);
    if (dir === '') throw usage('--reader virtual:DIR needs a directory');
    return new MemoryTransport(createVirtualChip(loadTestDocument(dir)));
  }
  if (spec === 'pcsc' || spec.startsWith('pcsc:')) {
    const name = spec.slice('pcsc:'.length);
    return openPcscTransport(name === '' || spec === 'pcsc' ? {} : { reader: name });
  }
  throw usage('--reader is pcsc, pcsc:NAME or virtual:DIR');
}

function progressBar(write: (s: string) => void): (p: ReadProgress) => void {
  return (p) => {
    const width = 30;
    const fraction = p.totalExpected > 0 ? Math.min(1, p.totalRead / p.totalExpected) : 0;
    const filled = Math.round(fraction * width);
    write(
      `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.file.padEnd(10)} ${p.totalRead}/${p.totalExpected} bytes`,
    );
  };
}

export async function passportRead(o: ReadOptions, out: CliOutput = processOutput): Promise<number> {
  let transport: CardTransport | undefined;
  try {
    const password = passwordFrom(o);
    const challenge = o.aaChallenge !== undefined ? fromHex(o.aaChallenge) : new Uint8Array(randomBytes(8));
    if (challenge.length !== 8) throw usage('--aa-challenge is 8 bytes (16 hex digits)');
    transport = await openReader(o.reader);
    const showProgress = o.progress ?? (process.stdout.isTTY === true && o.json !== true);
    const result = await readDocument({
      transport,
      password,
      activeAuthenticationChallenge: challenge,
      ...(showProgress ? { onProgress: progressBar(out.stdout) } : {}),
    });
    if (showProgress) out.stdout('\n');
    const written = writeLdsFiles(o.out, result.files);
    const report = {
      ok: true,
      dir: o.out,
      protocol: result.protocol,
      chipAuthentication: result.chipAuthentication,
      files: Object.fromEntries([...result.files].map(([name, data]) => [name, data.length])),
      written,
      missingFiles: result.missingFiles,
      apduCount: result.apduCount,
      resumes: result.resumes,
      timings: Object.fromEntries(
        Object.entries(result.timings).map(([k, v]) => [k, Math.round(v * 10) / 10]),
      ),
      activeAuthentication: result.activeAuthenticationResponse
        ? { challenge: toHex(challenge), response: toHex(result.activeAuthenticationResponse) }
        : null,
    };
    if (o.json) out.stdout(`${JSON.stringify(report)}\n`);
    else {
      out.stdout(
        `read ${written.length} files into ${o.out} with ${report.protocol}` +
          ` (chip authentication: ${report.chipAuthentication}) in ${report.apduCount} APDUs,` +
          ` ${report.timings.totalMs} ms\n` +
          `${[...result.files].map(([n, d]) => `  ${n.padEnd(12)} ${d.length} bytes`).join('\n')}\n` +
          (report.activeAuthentication
            ? `AA challenge ${report.activeAuthentication.challenge}\nAA response  ${report.activeAuthentication.response}\n`
            : ''),
      );
    }
    return 0;
  } catch (e) {
    return reportFailure(e, o.json === true, out);
  } finally {
    await transport?.close?.();
  }
}

// ---------------------------------------------------------------- verify

export interface VerifyOptions {
  readonly dir: string;
  readonly masterlist?: string[];
  readonly csca?: string[];
  readonly crl?: string[];
  readonly aaChallenge?: string;
  readonly aaResponse?: string;
  readonly json?: boolean;
  /** Verification time (ISO date); default now. */
  readonly at?: string;
}

export async function passportVerify(o: VerifyOptions, out: CliOutput = processOutput): Promise<number> {
  try {
    if ((o.aaChallenge === undefined) !== (o.aaResponse === undefined)) {
      throw usage('--aa-challenge and --aa-response go together');
    }
    const now = o.at !== undefined ? new Date(o.at) : new Date();
    if (Number.isNaN(now.getTime())) throw usage('--at is not a date');
    const trustStore = new TrustStore();
    const anchors = (o.csca ?? []).map((f) => new Uint8Array(readFileSync(f)));
    for (const a of anchors) trustStore.addCsca(a);
    // ICAO 9303-12 §9: a master list counts only when its signer chains to a CSCA given with --csca.
    for (const f of o.masterlist ?? []) {
      trustStore.addMasterList(new Uint8Array(readFileSync(f)), { trustAnchors: anchors, now });
    }
    for (const f of o.crl ?? []) trustStore.addCrl(new Uint8Array(readFileSync(f)));
    const files = readLdsFiles(o.dir);
    if (files.size === 0) throw usage(`${o.dir} holds no EF_*.bin / DG*.bin files`);
    const report = verifyDocument({
      files,
      trustStore,
      now,
      ...(o.aaChallenge !== undefined && o.aaResponse !== undefined
        ? { activeAuthentication: { challenge: fromHex(o.aaChallenge), response: fromHex(o.aaResponse) } }
        : {}),
    });
    if (o.json) out.stdout(`${JSON.stringify(report)}\n`);
    else {
      const lines = [
        `passive authentication: ${report.passiveAuthentication.ok ? 'passed' : 'FAILED'}`,
        ...report.passiveAuthentication.checks.map(
          (c) => `  ${c.id.padEnd(18)} ${c.status}${c.code ? ` ${c.code}` : ''}`,
        ),
        `active authentication:  ${report.activeAuthentication.status}${report.activeAuthentication.code ? ` ${report.activeAuthentication.code}` : ''}`,
        ...Object.entries(report.fileFormat)
          .filter(([, c]) => c?.status === 'failed')
          .map(([name, c]) => `  ${name} does not decode: ${c?.code}`),
        report.ok ? 'document verified' : 'document NOT verified',
      ];
      out.stdout(`${lines.join('\n')}\n`);
    }
    return report.ok ? 0 : 1;
  } catch (e) {
    return reportFailure(e, o.json === true, out);
  }
}

// ---------------------------------------------------------------- commander wiring

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function register(program: Command): void {
  const passport = program
    .command('passport')
    .description('eMRTD test documents, chip reading and verification');

  passport
    .command('create')
    .description('generate a test passport (or ID card) as a virtual chip directory')
    .requiredOption('--out <dir>', 'directory to write')
    .option('--td1', 'an ID card (TD1) instead of a passport (TD3)')
    .option('--doc-number <n>', 'document number')
    .option('--birth <yymmdd>', 'date of birth')
    .option('--expiry <yymmdd>', 'date of expiry')
    .option('--surname <s>', 'primary identifier')
    .option('--given <g>', 'secondary identifier')
    .option('--nationality <ccc>', 'nationality')
    .option('--issuer <ccc>', 'issuing state')
    .option('--sex <M|F|X>', 'sex')
    .option('--face <file>', 'face image (JPEG or JPEG 2000)')
    .option('--pace', 'offer PACE (EF.CardAccess)')
    .option('--aa <rsa|ec|none>', 'active authentication key', 'ec')
    .option('--defect <name>', `negative variant: ${TEST_DOCUMENT_DEFECTS.join(', ')}`)
    .option('--test-csca <file>', 'the shared test CSCA (created on first use)', DEFAULT_TEST_CSCA)
    .option('--json', 'print the result as JSON')
    .action(async (opts: CreateOptions) => {
      process.exitCode = await passportCreate(opts);
    });

  passport
    .command('read')
    .description('read a chip into a directory of raw files')
    .requiredOption('--reader <spec>', 'pcsc, pcsc:NAME or virtual:DIR')
    .requiredOption('--out <dir>', 'directory to write EF_COM.bin, EF_SOD.bin, DG1.bin, …')
    .option('--mrz <lines...>', 'the MRZ lines')
    .option('--doc-number <n>', 'document number')
    .option('--birth <yymmdd>', 'date of birth')
    .option('--expiry <yymmdd>', 'date of expiry')
    .option('--can <n>', 'card access number')
    .option('--aa-challenge <hex>', 'active authentication challenge (8 bytes); default random')
    .option('--json', 'print the report as JSON')
    .action(async (opts: ReadOptions) => {
      process.exitCode = await passportRead(opts);
    });

  passport
    .command('verify')
    .description('verify a directory of raw files: passive and active authentication')
    .argument('<dir>', 'directory with EF_SOD.bin, DG1.bin, …')
    .option('--masterlist <file>', 'CSCA master list (repeatable)', collect)
    .option('--csca <file>', 'trusted CSCA certificate, DER or PEM (repeatable)', collect)
    .option('--crl <file>', 'CRL (repeatable)', collect)
    .option('--aa-challenge <hex>', 'the challenge sent to the chip')
    .option('--aa-response <hex>', "the chip's answer")
    .option('--at <date>', 'verification time (ISO 8601); default now')
    .option('--json', 'print the report as JSON')
    .action(async (dir: string, opts: Omit<VerifyOptions, 'dir'>) => {
      process.exitCode = await passportVerify({ ...opts, dir });
    });
}
