// PC/SC card transport through pcscd with @pokusew/pcsclite (Node only, separate entry point).
// The library busy-loops inside its constructor while pcscd is unreachable, so we first prove that
// pcscd answers on its socket, and bound every wait (reader, card) with a timeout: errors, never hangs.
import { existsSync } from 'node:fs';
import { createConnection } from 'node:net';
import type { CardTransport } from '../apdu/apdu.ts';
import { MrtdError } from '../errors.ts';

export const PCSCD_SOCKET = '/run/pcscd/pcscd.comm';

/** The part of @pokusew/pcsclite's CardReader we use. */
interface PcscReader {
  readonly name: string;
  readonly connected: boolean;
  readonly SCARD_STATE_PRESENT: number;
  readonly SCARD_STATE_MUTE: number;
  readonly SCARD_LEAVE_CARD: number;
  readonly SCARD_SHARE_EXCLUSIVE: number;
  on(event: 'status', listener: (status: { state: number; atr?: Buffer }) => void): unknown;
  on(event: 'error', listener: (error: unknown) => void): unknown;
  removeAllListeners(event?: string): unknown;
  connect(options: { share_mode?: number }, cb: (err: unknown, protocol: number) => void): void;
  disconnect(disposition: number, cb: (err: unknown) => void): void;
  transmit(
    data: Buffer,
    resLen: number,
    protocol: number,
    cb: (err: unknown, response: Buffer) => void,
  ): void;
  close(): void;
}

interface PcscContext {
  readonly readers?: Record<string, PcscReader>;
  on(event: 'reader', listener: (reader: PcscReader) => void): unknown;
  on(event: 'error', listener: (error: unknown) => void): unknown;
  removeAllListeners(event?: string): unknown;
  close(): void;
}

export interface OpenPcscOptions {
  /** Exact reader name, or a part of it; absent: the first reader with a card. */
  readonly reader?: string;
  /** How long to wait for the reader and for a card (default 5000 ms). */
  readonly timeoutMs?: number;
  /** pcscd's socket; defaults to $PCSCLITE_CSOCK_NAME or /run/pcscd/pcscd.comm. */
  readonly socketPath?: string;
}

/** Resolves when something accepts connections on pcscd's socket; ERR_PCSCD_NOT_RUNNING otherwise. */
export async function checkPcscdRunning(socketPath = defaultSocketPath(), timeoutMs = 2000): Promise<void> {
  const notRunning = (cause?: unknown) =>
    new MrtdError('ERR_PCSCD_NOT_RUNNING', `pcscd is not running (no answer on ${socketPath})`, {
      details: { socketPath },
      cause,
    });
  if (!existsSync(socketPath)) throw notRunning();
  await new Promise<void>((resolve, reject) => {
    const socket = createConnection(socketPath);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(notRunning());
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    });
    socket.once('error', (cause) => {
      clearTimeout(timer);
      reject(notRunning(cause));
    });
  });
}

function defaultSocketPath(): string {
  const fromEnv = process.env.PCSCLITE_CSOCK_NAME;
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : PCSCD_SOCKET;
}

async function loadPcsclite(): Promise<() => PcscContext> {
  try {
    const mod = (await import('@pokusew/pcsclite')) as unknown as { default: () => PcscContext };
    return mod.default;
  } catch (cause) {
    throw new MrtdError('ERR_TRANSPORT', '@pokusew/pcsclite is not installed or failed to load', { cause });
  }
}

function readerMatches(name: string, wanted: string | undefined): boolean {
  if (wanted === undefined || wanted === '') return true;
  return name === wanted || name.toLowerCase().includes(wanted.toLowerCase());
}

function closeAll(context: PcscContext): void {
  for (const reader of Object.values(context.readers ?? {})) {
    reader.removeAllListeners('status');
    reader.close();
  }
  context.removeAllListeners('reader');
  context.close();
}

export class PcscTransport implements CardTransport {
  /** pcscd carries extended-length APDUs (up to 65536 response bytes). */
  readonly maxResponseLength = 65536;
  readonly readerName: string;
  readonly atr: Uint8Array;
  #context: PcscContext;
  #reader: PcscReader;
  #protocol: number;
  #closed = false;

  constructor(args: { context: PcscContext; reader: PcscReader; protocol: number; atr: Uint8Array }) {
    this.#context = args.context;
    this.#reader = args.reader;
    this.#protocol = args.protocol;
    this.readerName = args.reader.name;
    this.atr = args.atr;
  }

  transmit(command: Uint8Array): Promise<Uint8Array> {
    if (this.#closed) return Promise.reject(new MrtdError('ERR_TRANSPORT', 'PC/SC transport is closed'));
    return new Promise((resolve, reject) => {
      this.#reader.transmit(Buffer.from(command), 65538, this.#protocol, (err, response) => {
        if (err) {
          const message = err instanceof Error ? err.message : String(err);
          const code = /removed|no smart ?card|0x80100069|0x8010000C/i.test(message)
            ? 'ERR_NO_CARD'
            : 'ERR_TRANSPORT';
          reject(new MrtdError(code, `SCardTransmit failed: ${message}`, { cause: err }));
          return;
        }
        resolve(new Uint8Array(response.buffer, response.byteOffset, response.byteLength).slice());
      });
    });
  }

  /** Disconnects and closes every reader handle and the context, so the process can exit. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const reader = this.#reader;
    if (reader.connected) {
      await new Promise<void>((resolve) => reader.disconnect(reader.SCARD_LEAVE_CARD, () => resolve()));
    }
    closeAll(this.#context);
  }
}

/** Opens the named reader's card through pcscd. Errors: ERR_PCSCD_NOT_RUNNING, ERR_NO_READER, ERR_NO_CARD. */
export async function openPcscTransport(options: OpenPcscOptions = {}): Promise<PcscTransport> {
  const timeoutMs = options.timeoutMs ?? 5000;
  await checkPcscdRunning(options.socketPath ?? defaultSocketPath());
  const pcsc = await loadPcsclite();
  let context: PcscContext;
  try {
    context = pcsc();
  } catch (cause) {
    throw new MrtdError('ERR_PCSCD_NOT_RUNNING', 'cannot establish a PC/SC context', { cause });
  }

  return new Promise<PcscTransport>((resolve, reject) => {
    const seen = new Set<string>();
    let settled = false;
    let sawMatchingReader = false;
    const fail = (error: MrtdError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      closeAll(context);
      reject(error);
    };
    const timer = setTimeout(() => {
      fail(
        sawMatchingReader
          ? new MrtdError('ERR_NO_CARD', `no card in reader ${options.reader ?? '(any)'}`, {
              details: { readers: [...seen] },
            })
          : new MrtdError(
              'ERR_NO_READER',
              `no PC/SC reader matches ${JSON.stringify(options.reader ?? '')}`,
              {
                details: { readers: [...seen] },
              },
            ),
      );
    }, timeoutMs);

    context.on('error', (cause) => fail(new MrtdError('ERR_TRANSPORT', 'PC/SC context error', { cause })));
    context.on('reader', (reader) => {
      seen.add(reader.name);
      reader.on('error', () => {
        // Reported through status/transmit; an unhandled 'error' event would crash the process.
      });
      if (!readerMatches(reader.name, options.reader)) return;
      sawMatchingReader = true;
      reader.on('status', (status) => {
        if (settled) return;
        const present = (status.state & reader.SCARD_STATE_PRESENT) !== 0;
        const mute = (status.state & reader.SCARD_STATE_MUTE) !== 0;
        if (!present || mute || reader.connected) return;
        reader.connect({ share_mode: reader.SCARD_SHARE_EXCLUSIVE }, (err, protocol) => {
          if (settled) return;
          if (err) {
            fail(
              new MrtdError('ERR_NO_CARD', `cannot connect to the card in ${reader.name}`, { cause: err }),
            );
            return;
          }
          settled = true;
          clearTimeout(timer);
          const atr = status.atr ? new Uint8Array(status.atr) : new Uint8Array(0);
          resolve(new PcscTransport({ context, reader, protocol, atr }));
        });
      });
    });
  });
}
