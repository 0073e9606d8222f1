// The app's end of the local reader bridge (`tillid reader`, docs/reader-bridge.md): a client of its
// WebSocket protocol and an mrtd CardTransport over it, so a passport on a USB reader is read by the same
// code as any other chip. The WebSocket constructor is injectable: the browser's by default, `ws` in Node.
import { type CardTransport, MrtdError } from '@tillid/mrtd';
import {
  BRIDGE_DEFAULT_PORT,
  BRIDGE_PROTOCOL_VERSION,
  type BridgeErrorCode,
  type BridgeMessage,
  type ClientMessage,
  decodeBridgeMessage,
  encodeClientMessage,
  type ReaderEventKind,
  type ReaderSummary,
} from '@tillid/mrtd/bridge-protocol';

export const READER_BRIDGE_URL = `ws://127.0.0.1:${BRIDGE_DEFAULT_PORT}`;

/** What the app needs of a WebSocket; the browser's and `ws`'s both fit. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'error', listener: () => void): void;
  addEventListener(type: 'close', listener: (event: { code: number }) => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}
export type CreateWebSocket = (url: string) => WebSocketLike;

/** The bridge's codes, plus the client's own: not running, gone, too slow, or talking nonsense. */
export type ReaderBridgeErrorCode =
  | BridgeErrorCode
  | 'ERR_BRIDGE_NOT_RUNNING'
  | 'ERR_BRIDGE_CLOSED'
  | 'ERR_BRIDGE_TIMEOUT'
  | 'ERR_BRIDGE_PROTOCOL';

export class ReaderBridgeError extends Error {
  override readonly name = 'ReaderBridgeError';
  readonly code: ReaderBridgeErrorCode;
  constructor(code: ReaderBridgeErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

export function isReaderBridgeError(e: unknown): e is ReaderBridgeError {
  return e instanceof ReaderBridgeError;
}

export interface OpenReaderBridgeOptions {
  readonly url?: string;
  /** Default: the browser's WebSocket. */
  readonly createWebSocket?: CreateWebSocket;
  /** How long to wait for the bridge to answer (opening, each request). Default 5000 ms. */
  readonly timeoutMs?: number;
}

export interface ConnectedReader {
  readonly reader: string;
  readonly atr: Uint8Array;
  readonly maxResponseLength: number;
}

type Answer<T extends BridgeMessage['type']> = Extract<BridgeMessage, { type: T }>;
type WithoutId<M> = M extends unknown ? Omit<M, 'id'> : never;

interface Pending {
  readonly expect: BridgeMessage['type'];
  readonly resolve: (m: BridgeMessage) => void;
  readonly reject: (e: ReaderBridgeError) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

function browserWebSocket(url: string): WebSocketLike {
  const Ctor = (globalThis as { WebSocket?: new (url: string) => WebSocketLike }).WebSocket;
  if (!Ctor) throw new ReaderBridgeError('ERR_BRIDGE_NOT_RUNNING', 'this browser has no WebSocket');
  return new Ctor(url);
}

export class ReaderBridgeClient {
  #socket: WebSocketLike;
  #timeoutMs: number;
  #nextId = 1;
  #pending = new Map<number, Pending>();
  #listeners = new Set<(event: ReaderEventKind, reader: string) => void>();
  #closedWith: ReaderBridgeError | undefined;
  /** Rejects with the reason once the connection is gone (never resolves). */
  #closed: Promise<never>;
  #rejectClosed: (e: ReaderBridgeError) => void = () => {};

  private constructor(socket: WebSocketLike, timeoutMs: number) {
    this.#socket = socket;
    this.#timeoutMs = timeoutMs;
    this.#closed = new Promise<never>((_, reject) => {
      this.#rejectClosed = reject;
    });
    this.#closed.catch(() => {
      // Observed through #closedWith and the races that include it.
    });
    socket.addEventListener('message', (event) => this.#onMessage(event.data));
    socket.addEventListener('close', (event) => {
      this.#fail(
        event.code === 1009
          ? new ReaderBridgeError('ERR_TOO_LARGE', 'the bridge refused a message as too large')
          : new ReaderBridgeError('ERR_BRIDGE_CLOSED', 'the reader bridge closed the connection'),
      );
    });
  }

  /** Connects and says hello. Errors: ERR_BRIDGE_NOT_RUNNING, ERR_BUSY, ERR_PROTOCOL_VERSION, ERR_BRIDGE_TIMEOUT. */
  static async open(options: OpenReaderBridgeOptions = {}): Promise<ReaderBridgeClient> {
    const timeoutMs = options.timeoutMs ?? 5000;
    const socket = (options.createWebSocket ?? browserWebSocket)(options.url ?? READER_BRIDGE_URL);
    // Listen before the socket opens: the bridge's first frame (e.g. "busy") may arrive with the handshake.
    const client = new ReaderBridgeClient(socket, timeoutMs);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.close();
        reject(new ReaderBridgeError('ERR_BRIDGE_TIMEOUT', 'the reader bridge did not answer'));
      }, timeoutMs);
      const notRunning = () => {
        clearTimeout(timer);
        // A refused Origin and a bridge that is not running look alike to a page (no status is exposed).
        reject(new ReaderBridgeError('ERR_BRIDGE_NOT_RUNNING', 'cannot reach the reader bridge'));
      };
      socket.addEventListener('error', notRunning);
      socket.addEventListener('close', notRunning);
      socket.addEventListener('open', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    try {
      await client.#request({ type: 'hello', protocol: BRIDGE_PROTOCOL_VERSION }, 'hello');
    } catch (e) {
      client.close();
      throw e;
    }
    return client;
  }

  /** Reader plugged in or out, card put on or taken off. Returns the unsubscribe function. */
  onReaderEvent(listener: (event: ReaderEventKind, reader: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async listReaders(): Promise<readonly ReaderSummary[]> {
    return (await this.#request({ type: 'list-readers' }, 'readers')).readers;
  }

  /**
   * Resolves once a card lies on a reader (at once if one does). Errors: ERR_NO_READER when no reader is
   * connected, ERR_NO_CARD after `timeoutMs`, ERR_BRIDGE_CLOSED.
   */
  async waitForCard(options: { timeoutMs: number; onWaiting?: () => void }): Promise<void> {
    let unsubscribe = () => {};
    const inserted = new Promise<void>((resolve) => {
      unsubscribe = this.onReaderEvent((event) => {
        if (event === 'card-inserted') resolve();
      });
    });
    try {
      const readers = await this.listReaders();
      if (readers.length === 0) throw new ReaderBridgeError('ERR_NO_READER', 'no card reader is connected');
      if (readers.some((r) => r.cardPresent)) return;
      options.onWaiting?.();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new ReaderBridgeError('ERR_NO_CARD', 'no card was put on the reader')),
          options.timeoutMs,
        );
      });
      try {
        await Promise.race([inserted, timedOut, this.#closed]);
      } finally {
        clearTimeout(timer);
      }
    } finally {
      unsubscribe();
    }
  }

  /** Connects to the card on the first reader with one (or the named one). Errors: ERR_NO_READER, ERR_NO_CARD. */
  async connect(reader?: string): Promise<ConnectedReader> {
    const m = await this.#request(
      { type: 'connect', ...(reader !== undefined ? { reader } : {}) },
      'connected',
    );
    return { reader: m.reader, atr: m.atr, maxResponseLength: m.maxResponseLength };
  }

  async transmit(apdu: Uint8Array): Promise<Uint8Array> {
    return (await this.#request({ type: 'transmit', apdu }, 'response')).apdu;
  }

  async disconnect(): Promise<void> {
    await this.#request({ type: 'disconnect' }, 'disconnected');
  }

  close(): void {
    this.#fail(new ReaderBridgeError('ERR_BRIDGE_CLOSED', 'closed by the app'));
    this.#socket.close(1000);
  }

  #request<T extends BridgeMessage['type']>(
    message: WithoutId<ClientMessage>,
    expect: T,
  ): Promise<Answer<T>> {
    if (this.#closedWith) return Promise.reject(this.#closedWith);
    const id = this.#nextId++;
    return new Promise<Answer<T>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(
          new ReaderBridgeError('ERR_BRIDGE_TIMEOUT', `the reader bridge did not answer ${message.type}`),
        );
      }, this.#timeoutMs);
      this.#pending.set(id, { expect, resolve: (m) => resolve(m as Answer<T>), reject, timer });
      this.#socket.send(encodeClientMessage({ ...message, id } as ClientMessage));
    });
  }

  #onMessage(data: unknown): void {
    if (typeof data !== 'string') {
      this.#protocolError('a binary frame');
      return;
    }
    const decoded = decodeBridgeMessage(data);
    if (!decoded.ok) {
      this.#protocolError(decoded.error.message);
      return;
    }
    const m = decoded.value;
    if (m.type === 'reader-event') {
      for (const l of this.#listeners) l(m.event, m.reader);
      return;
    }
    if (m.id === null) {
      // Not an answer to a request: the bridge refuses the whole connection (busy) or a frame.
      if (m.type === 'error') this.#fail(new ReaderBridgeError(m.code, m.message));
      return;
    }
    const pending = this.#pending.get(m.id);
    if (!pending) return;
    this.#pending.delete(m.id);
    clearTimeout(pending.timer);
    if (m.type === 'error') pending.reject(new ReaderBridgeError(m.code, m.message));
    else if (m.type !== pending.expect) pending.reject(new ReaderBridgeError('ERR_BRIDGE_PROTOCOL', m.type));
    else pending.resolve(m);
  }

  #protocolError(what: string): void {
    this.#fail(new ReaderBridgeError('ERR_BRIDGE_PROTOCOL', `the reader bridge sent ${what}`));
    this.#socket.close(1002);
  }

  #fail(error: ReaderBridgeError): void {
    this.#closedWith ??= error;
    this.#rejectClosed(this.#closedWith);
    for (const [id, p] of this.#pending) {
      clearTimeout(p.timer);
      p.reject(this.#closedWith);
      this.#pending.delete(id);
    }
  }
}

/**
 * The bridge as an mrtd CardTransport. A failure of the link to the card becomes MrtdError ERR_TRANSPORT,
 * which the reader resumes after; a removed card becomes ERR_NO_CARD, which ends the read at once. Other
 * failures (the bridge gone, too slow) stay ReaderBridgeErrors; mrtd wraps them as ERR_TRANSPORT with the
 * ReaderBridgeError as `cause` (readerProblemText finds it there).
 */
export class ReaderBridgeTransport implements CardTransport {
  readonly maxResponseLength: number;
  #client: ReaderBridgeClient;

  constructor(client: ReaderBridgeClient, connected: ConnectedReader) {
    this.#client = client;
    this.maxResponseLength = connected.maxResponseLength;
  }

  async transmit(command: Uint8Array): Promise<Uint8Array> {
    try {
      return await this.#client.transmit(command);
    } catch (e) {
      if (isReaderBridgeError(e) && e.code === 'ERR_TRANSPORT')
        throw new MrtdError('ERR_TRANSPORT', e.message, { cause: e });
      if (isReaderBridgeError(e) && e.code === 'ERR_CARD_REMOVED')
        throw new MrtdError('ERR_NO_CARD', e.message, { cause: e });
      throw e;
    }
  }

  async close(): Promise<void> {
    await this.#client.disconnect().catch(() => {
      // Closing after a failure: the bridge releases the card when the connection ends anyway.
    });
  }
}
