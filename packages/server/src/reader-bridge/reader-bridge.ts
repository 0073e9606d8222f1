// The local reader bridge: a WebSocket on 127.0.0.1 through which the app in the browser talks to a PC/SC
// reader (@tillid/mrtd/bridge-protocol, docs/reader-bridge.md). It enforces:
// - loopback only, and a Host header naming the loopback address (no DNS rebinding);
// - an Origin from the allow-list (any web page can open a WebSocket to localhost);
// - one client at a time, hello (protocol version) before anything else, requests answered in order;
// - bounded frames (ws closes with 1009 above the limit) and a bounded queue;
// - typed errors only, and no APDU in any log line (they carry secure-messaging data).
import { MrtdError } from '@tillid/mrtd';
import {
  BRIDGE_DEFAULT_PORT,
  BRIDGE_NAME,
  BRIDGE_PROTOCOL_VERSION,
  type BridgeErrorCode,
  type BridgeMessage,
  type ClientMessage,
  decodeClientMessage,
  encodeBridgeMessage,
  MAX_MESSAGE_BYTES,
} from '@tillid/mrtd/bridge-protocol';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import type { ConnectedCard, ReaderBackend, ReaderEvent } from './reader-backend.ts';

export const READER_BRIDGE_HOST = '127.0.0.1';
/** Close code for a second client while one is served (RFC 6455 §7.4.1 registry: "Try Again Later"). */
export const CLOSE_BUSY = 1013;
const MAX_QUEUED_REQUESTS = 32;
/**
 * After a failed exchange, how long to wait for pcscd to report the card gone (it polls readers a few times
 * a second), so that "the passport was taken away" is told as such rather than as a broken link.
 */
const DEFAULT_REMOVAL_GRACE_MS = 1500;

export type BridgeLogCode =
  | 'READER_BRIDGE_LISTENING'
  | 'READER_BRIDGE_CLIENT_CONNECTED'
  | 'READER_BRIDGE_CLIENT_CLOSED'
  | 'READER_BRIDGE_REFUSED_ORIGIN'
  | 'READER_BRIDGE_REFUSED_HOST'
  | 'READER_BRIDGE_REFUSED_BUSY'
  | 'READER_BRIDGE_BAD_MESSAGE'
  | 'READER_BRIDGE_CARD_CONNECTED'
  | 'READER_BRIDGE_CARD_DISCONNECTED'
  | 'READER_BRIDGE_CARD_ERROR'
  | 'READER_BRIDGE_READER_EVENT';

/** A log line: a registered code and plain facts (reader names, origins, error codes; never APDUs). */
export interface BridgeLogEntry {
  readonly code: BridgeLogCode;
  readonly details?: Readonly<Record<string, string | number | boolean>>;
}

export interface StartReaderBridgeOptions {
  readonly backend: ReaderBackend;
  /** Serialized origins (scheme://host[:port]) whose pages may connect. */
  readonly allowedOrigins: readonly string[];
  /** Default 8765; 0 picks a free port (tests). */
  readonly port?: number;
  readonly maxMessageBytes?: number;
  /** After a failed exchange, how long to wait for a card-removed event (default 1500 ms). */
  readonly removalGraceMs?: number;
  readonly version?: string;
  readonly log?: (entry: BridgeLogEntry) => void;
}

export interface RunningReaderBridge {
  readonly port: number;
  readonly url: string;
  readonly allowedOrigins: readonly string[];
  close(): Promise<void>;
}

/** 'https://Example.org:443/path' → 'https://example.org'; undefined when not an http(s) URL. */
export function normalizeOrigin(value: string): string | undefined {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}

function bridgeCodeOf(e: unknown, connected: boolean): BridgeErrorCode {
  if (!(e instanceof MrtdError)) return 'ERR_INTERNAL';
  switch (e.code) {
    case 'ERR_PCSCD_NOT_RUNNING':
    case 'ERR_NO_READER':
      return e.code;
    case 'ERR_NO_CARD':
      // While connected, "no card" can only mean the card has gone.
      return connected ? 'ERR_CARD_REMOVED' : 'ERR_NO_CARD';
    default:
      return 'ERR_TRANSPORT';
  }
}

class BridgeFailure {
  constructor(
    readonly code: BridgeErrorCode,
    readonly message: string,
  ) {}
}

/** One client's session: its card, its queue, its subscription to reader events. */
class Session {
  #socket: WebSocket;
  #backend: ReaderBackend;
  #options: StartReaderBridgeOptions;
  #hello = false;
  #card: ConnectedCard | undefined;
  #cardRemoved = false;
  #queue: Promise<void> = Promise.resolve();
  #queued = 0;
  #unsubscribe: () => void;
  /** The previous client's card is released before this one may connect. */
  #previousEnded: Promise<void>;
  /** Transmits that failed wait here briefly for pcscd to say the card has gone. */
  #removalWaiters = new Set<() => void>();

  constructor(socket: WebSocket, options: StartReaderBridgeOptions, previousEnded: Promise<void>) {
    this.#socket = socket;
    this.#previousEnded = previousEnded;
    this.#backend = options.backend;
    this.#options = options;
    this.#unsubscribe = this.#backend.subscribe((event) => this.#onReaderEvent(event));
  }

  send(m: BridgeMessage): void {
    if (this.#socket.readyState === WebSocket.OPEN) this.#socket.send(encodeBridgeMessage(m));
  }

  #log(entry: BridgeLogEntry): void {
    this.#options.log?.(entry);
  }

  #onReaderEvent(event: ReaderEvent): void {
    if (event.kind === 'card-removed' && this.#card?.readerName === event.reader) {
      this.#cardRemoved = true;
      for (const w of this.#removalWaiters) w();
    }
    this.send({ type: 'reader-event', event: event.kind, reader: event.reader });
  }

  receive(data: RawData, isBinary: boolean): void {
    if (isBinary) {
      this.#log({ code: 'READER_BRIDGE_BAD_MESSAGE', details: { reason: 'binary frame' } });
      this.send({ type: 'error', id: null, code: 'ERR_BAD_MESSAGE', message: 'text frames only' });
      return;
    }
    const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : data.toString('utf8');
    const decoded = decodeClientMessage(text);
    if (!decoded.ok) {
      this.#log({ code: 'READER_BRIDGE_BAD_MESSAGE', details: { reason: decoded.error.code } });
      this.send({ type: 'error', ...decoded.error });
      return;
    }
    const request = decoded.value;
    if (this.#queued >= MAX_QUEUED_REQUESTS) {
      this.send({ type: 'error', id: request.id, code: 'ERR_BUSY', message: 'too many requests in flight' });
      return;
    }
    this.#queued++;
    this.#queue = this.#queue
      .then(() => this.#handle(request))
      .catch((e: unknown) => {
        const failure =
          e instanceof BridgeFailure
            ? e
            : new BridgeFailure(bridgeCodeOf(e, this.#card !== undefined), describe(e));
        if (!(e instanceof BridgeFailure))
          this.#log({ code: 'READER_BRIDGE_CARD_ERROR', details: { error: failure.code } });
        this.send({ type: 'error', id: request.id, code: failure.code, message: failure.message });
      })
      .finally(() => {
        this.#queued--;
      });
  }

  async #handle(m: ClientMessage): Promise<void> {
    if (m.type === 'hello') {
      if (m.protocol !== BRIDGE_PROTOCOL_VERSION)
        throw new BridgeFailure(
          'ERR_PROTOCOL_VERSION',
          `this bridge speaks protocol ${BRIDGE_PROTOCOL_VERSION}, not ${m.protocol}`,
        );
      this.#hello = true;
      this.send({
        type: 'hello',
        id: m.id,
        protocol: BRIDGE_PROTOCOL_VERSION,
        bridge: BRIDGE_NAME,
        version: this.#options.version ?? '0.1.0',
      });
      return;
    }
    if (!this.#hello) throw new BridgeFailure('ERR_HELLO_REQUIRED', 'send hello first');
    switch (m.type) {
      case 'list-readers':
        this.send({ type: 'readers', id: m.id, readers: this.#backend.readers() });
        return;
      case 'connect':
        await this.#connect(m.id, m.reader);
        return;
      case 'transmit': {
        const card = this.#card;
        if (!card) throw new BridgeFailure('ERR_NOT_CONNECTED', 'connect to a card first');
        if (this.#cardRemoved) throw new BridgeFailure('ERR_CARD_REMOVED', 'the card was removed');
        let response: Uint8Array;
        try {
          response = await card.transmit(m.apdu);
        } catch (e) {
          if (await this.#removedWithin(this.#options.removalGraceMs ?? DEFAULT_REMOVAL_GRACE_MS))
            throw new BridgeFailure('ERR_CARD_REMOVED', 'the card was removed');
          throw e;
        }
        // ISO/IEC 7816-4 §5.1: every response ends with SW1 SW2. pcscd answers with nothing when the
        // reader's link to the card has just dropped (before its polling notices the card is gone).
        if (response.length < 2) {
          if (await this.#removedWithin(this.#options.removalGraceMs ?? DEFAULT_REMOVAL_GRACE_MS))
            throw new BridgeFailure('ERR_CARD_REMOVED', 'the card was removed');
          throw new BridgeFailure('ERR_TRANSPORT', 'the card gave no status word');
        }
        this.send({ type: 'response', id: m.id, apdu: response });
        return;
      }
      case 'disconnect':
        await this.closeCard();
        this.send({ type: 'disconnected', id: m.id });
        return;
    }
  }

  /** True once the connected card is reported removed, waiting at most `ms` for the report. */
  #removedWithin(ms: number): Promise<boolean> {
    if (this.#cardRemoved) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (removed: boolean) => {
        clearTimeout(timer);
        this.#removalWaiters.delete(onRemoved);
        resolve(removed);
      };
      const onRemoved = () => done(true);
      const timer = setTimeout(() => done(false), ms);
      this.#removalWaiters.add(onRemoved);
    });
  }

  async #connect(id: number, wanted: string | undefined): Promise<void> {
    await this.#previousEnded;
    await this.closeCard();
    const readers = this.#backend.readers();
    const matching = readers.filter(
      (r) => wanted === undefined || r.name.toLowerCase().includes(wanted.toLowerCase()),
    );
    if (matching.length === 0)
      throw new BridgeFailure(
        'ERR_NO_READER',
        readers.length === 0 ? 'no card reader is connected' : 'no reader matches',
      );
    const withCard = matching.find((r) => r.cardPresent);
    if (!withCard) throw new BridgeFailure('ERR_NO_CARD', 'no card on the reader');
    const card = await this.#backend.connect(withCard.name);
    this.#card = card;
    this.#cardRemoved = false;
    this.#log({ code: 'READER_BRIDGE_CARD_CONNECTED', details: { reader: card.readerName } });
    this.send({
      type: 'connected',
      id,
      reader: card.readerName,
      atr: card.atr,
      maxResponseLength: card.maxResponseLength,
    });
  }

  async closeCard(): Promise<void> {
    const card = this.#card;
    if (!card) return;
    this.#card = undefined;
    this.#cardRemoved = false;
    await card.close().catch(() => {
      // The card may already be gone; the handle is released either way.
    });
    this.#log({ code: 'READER_BRIDGE_CARD_DISCONNECTED', details: { reader: card.readerName } });
  }

  /** False once the client has started closing (a new client may then take over). */
  get open(): boolean {
    return this.#socket.readyState === WebSocket.OPEN;
  }

  #ended: Promise<void> | undefined;

  /** Releases the card once the last request is done; the same promise on every call. */
  end(): Promise<void> {
    this.#ended ??= (async () => {
      this.#unsubscribe();
      await this.#queue;
      await this.closeCard();
    })().catch(() => {
      // closeCard swallows card errors and the queue never rejects: nothing is left to report.
    });
    return this.#ended;
  }
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : 'unexpected failure';
}

export async function startReaderBridge(options: StartReaderBridgeOptions): Promise<RunningReaderBridge> {
  const allowed = new Set<string>();
  for (const o of options.allowedOrigins) {
    const origin = normalizeOrigin(o);
    if (origin) allowed.add(origin);
  }
  const log = options.log ?? (() => {});
  let port = options.port ?? BRIDGE_DEFAULT_PORT;

  const server = new WebSocketServer({
    host: READER_BRIDGE_HOST,
    port,
    maxPayload: options.maxMessageBytes ?? MAX_MESSAGE_BYTES,
    // Answer only what the app asks for: no compression (CRIME-style leaks, CPU), no subprotocols.
    perMessageDeflate: false,
    verifyClient: (info, done) => {
      const host = info.req.headers.host ?? '';
      if (host !== `${READER_BRIDGE_HOST}:${port}` && host !== `localhost:${port}`) {
        log({ code: 'READER_BRIDGE_REFUSED_HOST', details: { host: host.slice(0, 100) } });
        done(false, 403, 'Forbidden');
        return;
      }
      const origin = typeof info.origin === 'string' ? info.origin : '';
      if (!allowed.has(origin)) {
        log({ code: 'READER_BRIDGE_REFUSED_ORIGIN', details: { origin: origin.slice(0, 200) } });
        done(false, 403, 'Forbidden');
        return;
      }
      done(true);
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
  server.on('error', () => {
    // After listening, errors belong to single connections and are handled there.
  });
  const address = server.address();
  if (typeof address === 'object' && address !== null) port = address.port;

  let active: Session | undefined;
  let latest: Session | undefined;

  server.on('connection', (socket, request) => {
    socket.on('error', () => {
      // Oversize frames and resets end up here; 'close' follows.
    });
    if (active?.open) {
      log({ code: 'READER_BRIDGE_REFUSED_BUSY' });
      socket.send(
        encodeBridgeMessage({
          type: 'error',
          id: null,
          code: 'ERR_BUSY',
          message: 'another page is using the reader bridge',
        }),
      );
      socket.close(CLOSE_BUSY, 'busy');
      return;
    }
    // A client that is closing may still hold the card: the new one's connect waits for its release.
    const previous = active;
    const session = new Session(socket, options, previous ? previous.end() : Promise.resolve());
    active = session;
    latest = session;
    log({ code: 'READER_BRIDGE_CLIENT_CONNECTED', details: { origin: request.headers.origin ?? '' } });
    socket.on('message', (data, isBinary) => session.receive(data, isBinary));
    socket.once('close', (code) => {
      if (active === session) active = undefined;
      void session.end().then(() => {
        log({ code: 'READER_BRIDGE_CLIENT_CLOSED', details: { closeCode: code } });
      });
    });
  });

  const url = `ws://${READER_BRIDGE_HOST}:${port}`;
  log({ code: 'READER_BRIDGE_LISTENING', details: { url, origins: [...allowed].join(' ') } });

  return {
    port,
    url,
    allowedOrigins: [...allowed],
    async close() {
      for (const client of server.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await latest?.end();
    },
  };
}
