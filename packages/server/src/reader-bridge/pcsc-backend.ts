// The reader bridge's PC/SC adapter: a long-lived pcsclite context watches readers and cards (for the
// list and the events), and each connection is @tillid/mrtd's PcscTransport with its own context, so
// closing a card never stops the watching. Node only.

import type { ReaderSummary } from '@tillid/mrtd/bridge-protocol';
import { checkPcscdRunning, MrtdError, openPcscTransport, PCSCD_SOCKET } from '@tillid/mrtd/node';
import type { ConnectedCard, ReaderBackend, ReaderEvent } from './reader-backend.ts';

/** The part of @pokusew/pcsclite's CardReader the monitor uses. */
interface MonitoredReader {
  readonly name: string;
  readonly SCARD_STATE_PRESENT: number;
  readonly SCARD_STATE_MUTE: number;
  on(event: 'status', listener: (status: { state: number }) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  on(event: 'error', listener: (error: unknown) => void): unknown;
  removeAllListeners(event?: string): unknown;
  close(): void;
}

interface MonitorContext {
  readonly readers?: Record<string, MonitoredReader>;
  on(event: 'reader', listener: (reader: MonitoredReader) => void): unknown;
  on(event: 'error', listener: (error: unknown) => void): unknown;
  removeAllListeners(event?: string): unknown;
  close(): void;
}

export interface OpenPcscBackendOptions {
  /** Expose only readers whose name contains this (case-insensitive); absent: every reader. */
  readonly readerFilter?: string;
  /** pcscd's socket; default $PCSCLITE_CSOCK_NAME or /run/pcscd/pcscd.comm. */
  readonly socketPath?: string;
  /** How long `connect` waits for the card to answer (default 5000 ms). */
  readonly connectTimeoutMs?: number;
  /** How long opening waits for the first reader states (default 1000 ms; none may exist). */
  readonly settleMs?: number;
}

function socketPathFrom(options: OpenPcscBackendOptions): string {
  const fromEnv = process.env.PCSCLITE_CSOCK_NAME;
  return options.socketPath ?? (fromEnv !== undefined && fromEnv !== '' ? fromEnv : PCSCD_SOCKET);
}

export function readerMatchesFilter(name: string, filter: string | undefined): boolean {
  return filter === undefined || filter === '' || name.toLowerCase().includes(filter.toLowerCase());
}

async function loadPcsclite(): Promise<() => MonitorContext> {
  try {
    const mod = (await import('@pokusew/pcsclite')) as unknown as { default: () => MonitorContext };
    return mod.default;
  } catch (cause) {
    throw new MrtdError('ERR_TRANSPORT', '@pokusew/pcsclite is not installed or failed to load', { cause });
  }
}

/** Errors: ERR_PCSCD_NOT_RUNNING (checked first: pcsclite busy-loops without pcscd), ERR_TRANSPORT. */
export async function openPcscBackend(options: OpenPcscBackendOptions = {}): Promise<ReaderBackend> {
  const socketPath = socketPathFrom(options);
  await checkPcscdRunning(socketPath);
  const pcsc = await loadPcsclite();
  let context: MonitorContext;
  try {
    context = pcsc();
  } catch (cause) {
    throw new MrtdError('ERR_PCSCD_NOT_RUNNING', 'cannot establish a PC/SC context', { cause });
  }

  const present = new Map<string, boolean>();
  const listeners = new Set<(event: ReaderEvent) => void>();
  const emit = (event: ReaderEvent) => {
    for (const l of listeners) l(event);
  };
  let settle: (() => void) | undefined;
  const pendingFirstStatus = new Set<string>();

  context.on('error', () => {
    // pcscd went away or the context broke: connect() reports it through openPcscTransport.
  });
  context.on('reader', (reader) => {
    if (!readerMatchesFilter(reader.name, options.readerFilter)) return;
    const name = reader.name;
    pendingFirstStatus.add(name);
    reader.on('error', () => {
      // Surfaced by connect/transmit; an unhandled 'error' event would end the process.
    });
    reader.on('status', (status) => {
      const mute = (status.state & reader.SCARD_STATE_MUTE) !== 0;
      const now = (status.state & reader.SCARD_STATE_PRESENT) !== 0 && !mute;
      const before = present.get(name);
      present.set(name, now);
      if (before === undefined) emit({ kind: 'reader-added', reader: name });
      if (now !== (before ?? false)) emit({ kind: now ? 'card-inserted' : 'card-removed', reader: name });
      pendingFirstStatus.delete(name);
      if (pendingFirstStatus.size === 0) settle?.();
    });
    reader.on('end', () => {
      const was = present.get(name);
      present.delete(name);
      pendingFirstStatus.delete(name);
      if (was) emit({ kind: 'card-removed', reader: name });
      if (was !== undefined) emit({ kind: 'reader-removed', reader: name });
    });
  });

  // The first reader states arrive asynchronously; wait for them (bounded: there may be no reader at all).
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, options.settleMs ?? 1000);
    settle = () => {
      clearTimeout(timer);
      resolve();
    };
  });
  settle = undefined;

  let closed = false;
  return {
    readers(): readonly ReaderSummary[] {
      return [...present].map(([name, cardPresent]) => ({ name, cardPresent }));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async connect(reader: string): Promise<ConnectedCard> {
      if (closed) throw new MrtdError('ERR_TRANSPORT', 'the reader bridge is closed');
      if (!present.has(reader)) throw new MrtdError('ERR_NO_READER', `no reader ${JSON.stringify(reader)}`);
      if (!present.get(reader)) throw new MrtdError('ERR_NO_CARD', `no card in ${reader}`);
      return openPcscTransport({
        reader,
        socketPath,
        timeoutMs: options.connectTimeoutMs ?? 5000,
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      listeners.clear();
      // pcsclite keeps the process alive until every reader and the context are closed.
      for (const r of Object.values(context.readers ?? {})) {
        r.removeAllListeners('status');
        r.removeAllListeners('end');
        r.close();
      }
      context.removeAllListeners('reader');
      context.close();
    },
  };
}
