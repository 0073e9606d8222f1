// `tillid reader`: the local reader bridge. Exposes the PC/SC readers of this computer (a USB NFC reader
// through pcscd) to the Tillid app in the browser over ws://127.0.0.1:PORT, for the allowed origins only.
// Runs until SIGINT/SIGTERM. docs/reader-bridge.md describes the protocol and the set-up.
import { MrtdError } from '@tillid/mrtd';
import { BRIDGE_DEFAULT_PORT } from '@tillid/mrtd/bridge-protocol';
import type { Command } from 'commander';
import { loadConfig } from '../../config/load-config.ts';
import { ServerError } from '../../errors.ts';
import { openPcscBackend } from '../../reader-bridge/pcsc-backend.ts';
import type { ReaderBackend } from '../../reader-bridge/reader-backend.ts';
import {
  type BridgeLogEntry,
  normalizeOrigin,
  type RunningReaderBridge,
  startReaderBridge,
} from '../../reader-bridge/reader-bridge.ts';
import { type CliOutput, processOutput, reportFailure } from './mrz.ts';

export interface ReaderOptions {
  readonly port?: string;
  readonly reader?: string;
  readonly origin?: string[];
}

const usage = (message: string): ServerError => new ServerError('ERR_CONFIG', message, { status: 400 });

export function parsePort(value: string | undefined): number {
  if (value === undefined) return BRIDGE_DEFAULT_PORT;
  const port = Number(value);
  if (!/^[0-9]+$/.test(value) || !Number.isInteger(port) || port < 1 || port > 65535)
    throw usage('--port must be a port number 1-65535');
  return port;
}

/** --origin values, or else the public URL's origin (plus its 127.0.0.1/localhost twin in development). */
export function allowedOriginsFrom(
  given: readonly string[] | undefined,
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  if (given && given.length > 0) {
    return given.map((o) => {
      const origin = normalizeOrigin(o);
      if (!origin) throw usage(`--origin ${JSON.stringify(o)} is not an http(s) origin`);
      return origin;
    });
  }
  const config = loadConfig({ env });
  const origin = normalizeOrigin(config.publicUrl);
  if (!origin) throw usage('TILLID_PUBLIC_URL is not an http(s) URL');
  if (config.mode !== 'development') return [origin];
  const twins = [
    origin,
    origin.replace('://localhost', '://127.0.0.1'),
    origin.replace('://127.0.0.1', '://localhost'),
    'http://localhost:8080',
  ];
  return [...new Set(twins)];
}

function describeLog(entry: BridgeLogEntry): string {
  const d = entry.details ?? {};
  switch (entry.code) {
    case 'READER_BRIDGE_CLIENT_CONNECTED':
      return `app connected (${d.origin})`;
    case 'READER_BRIDGE_CLIENT_CLOSED':
      return 'app disconnected';
    case 'READER_BRIDGE_REFUSED_ORIGIN':
      return `refused a page from ${d.origin === '' ? '(no origin)' : d.origin}: not an allowed origin`;
    case 'READER_BRIDGE_REFUSED_HOST':
      return `refused a request for host ${d.host}`;
    case 'READER_BRIDGE_REFUSED_BUSY':
      return 'refused a second page: one app at a time';
    case 'READER_BRIDGE_CARD_CONNECTED':
      return `reading the card in ${d.reader}`;
    case 'READER_BRIDGE_CARD_DISCONNECTED':
      return `released the card in ${d.reader}`;
    default:
      return `${entry.code} ${Object.entries(d)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}`;
  }
}

/** Starts the bridge; resolves with the exit code once `stop` fires (a signal, or a test). */
export async function runReaderBridge(
  o: ReaderOptions,
  stop: Promise<void>,
  out: CliOutput = processOutput,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<number> {
  let backend: ReaderBackend | undefined;
  let bridge: RunningReaderBridge | undefined;
  try {
    const port = parsePort(o.port);
    const allowedOrigins = allowedOriginsFrom(o.origin, env);
    backend = await openPcscBackend(o.reader !== undefined ? { readerFilter: o.reader } : {});
    const stamp = () => new Date().toISOString().slice(11, 19);
    backend.subscribe((e) => out.stderr(`${stamp()} ${e.kind.replace('-', ' ')}: ${e.reader}\n`));
    bridge = await startReaderBridge({
      backend,
      allowedOrigins,
      port,
      log: (entry) => {
        if (entry.code !== 'READER_BRIDGE_LISTENING') out.stderr(`${stamp()} ${describeLog(entry)}\n`);
      },
    });
    const readers = backend.readers();
    out.stdout(
      `Tillid reader bridge on ${bridge.url}\n` +
        `  allowed pages: ${bridge.allowedOrigins.join(', ')}\n` +
        `  readers: ${readers.length === 0 ? '(none yet: plug in a USB NFC reader)' : readers.map((r) => `${r.name}${r.cardPresent ? ' [card]' : ''}`).join(', ')}\n` +
        'In the app, choose "Passport on a USB reader". Stop with Ctrl+C.\n',
    );
    await stop;
    return 0;
  } catch (e) {
    if (e instanceof ServerError) throw e;
    if (e instanceof Error && 'code' in e && e.code === 'EADDRINUSE') {
      out.stderr(
        `tillid: port ${o.port ?? BRIDGE_DEFAULT_PORT} is in use (is the bridge already running?)\n`,
      );
      return 1;
    }
    const code = reportFailure(e, false, out);
    if (e instanceof MrtdError && e.code === 'ERR_PCSCD_NOT_RUNNING')
      out.stderr('  start it with "sudo systemctl start pcscd" (or "sudo pcscd -f &" without systemd)\n');
    return code;
  } finally {
    await bridge?.close();
    await backend?.close();
  }
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function register(program: Command): void {
  program
    .command('reader')
    .description('share this computer’s PC/SC card reader (USB NFC) with the Tillid app in the browser')
    .option('--port <port>', `port on 127.0.0.1 (default ${BRIDGE_DEFAULT_PORT})`)
    .option('--reader <name>', 'use only readers whose name contains this text')
    .option(
      '--origin <url>',
      'origin of the Tillid app allowed to connect (repeatable; default: TILLID_PUBLIC_URL, http://localhost:8080 in development)',
      collect,
    )
    .addHelpText(
      'after',
      `
The bridge listens on 127.0.0.1 only and accepts one page at a time, from the allowed origins only.
It needs pcscd running (apt-get install pcscd, then "pcscd -f &" or the system service) and the
reader's driver (most USB NFC readers: libccid; ACS ACR122U: libacsccid1). APDUs are never logged.
Protocol and set-up: docs/reader-bridge.md.`,
    )
    .action(async (opts: ReaderOptions) => {
      const stop = new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      process.exitCode = await runReaderBridge(opts, stop);
    });
}
