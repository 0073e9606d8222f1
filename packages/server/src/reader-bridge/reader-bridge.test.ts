// The bridge's WebSocket side against a fake reader backend (the PC/SC path is tested end to end in
// apps/app/src/chip/read-bridge-chip.test.ts): origin and host checks, one client at a time, size limits,
// typed errors, card events, and that no APDU reaches the log.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MrtdError } from '@tillid/mrtd';
import {
  type BridgeMessage,
  bytesToHex,
  decodeBridgeMessage,
  MAX_MESSAGE_BYTES,
} from '@tillid/mrtd/bridge-protocol';
import { WebSocket } from 'ws';
import type { ConnectedCard, ReaderBackend, ReaderEvent } from './reader-backend.ts';
import {
  type BridgeLogEntry,
  CLOSE_BUSY,
  type RunningReaderBridge,
  startReaderBridge,
} from './reader-bridge.ts';

const ORIGIN = 'http://localhost:8080';
const SECRET_RESPONSE = Uint8Array.of(0x87, 0x11, 0x01, 0xde, 0xad, 0xbe, 0xef, 0x90, 0x00);

class FakeBackend implements ReaderBackend {
  cards = new Map<string, boolean>([
    ['ACS ACR1252 PICC 00', true],
    ['Other Reader 01', false],
  ]);
  listeners = new Set<(e: ReaderEvent) => void>();
  /** Makes the next transmit fail as pcsclite does when the card has gone. */
  failNextTransmit: MrtdError | undefined;
  /** Reports the card removed right after the failing transmit (as pcscd does a moment later). */
  removeOnFailure = false;
  closedCards = 0;

  readers() {
    return [...this.cards].map(([name, cardPresent]) => ({ name, cardPresent }));
  }
  subscribe(l: (e: ReaderEvent) => void) {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
  emit(e: ReaderEvent) {
    for (const l of this.listeners) l(e);
  }
  async connect(reader: string): Promise<ConnectedCard> {
    return {
      readerName: reader,
      atr: Uint8Array.of(0x3b, 0x80, 0x80, 0x01, 0x01),
      maxResponseLength: 65536,
      transmit: async () => {
        const failure = this.failNextTransmit;
        this.failNextTransmit = undefined;
        if (failure && this.removeOnFailure)
          queueMicrotask(() => this.emit({ kind: 'card-removed', reader }));
        if (failure) throw failure;
        return SECRET_RESPONSE;
      },
      close: async () => {
        this.closedCards++;
      },
    };
  }
  async close() {}
}

/** A client that queues what the bridge says. */
class Client {
  readonly ws: WebSocket;
  #inbox: BridgeMessage[] = [];
  #waiters: ((m: BridgeMessage) => void)[] = [];
  readonly closed: Promise<number>;

  constructor(url: string, headers: { origin?: string; host?: string } = { origin: ORIGIN }) {
    this.ws = new WebSocket(url, {
      ...(headers.origin !== undefined ? { origin: headers.origin } : {}),
      ...(headers.host !== undefined ? { headers: { host: headers.host } } : {}),
    });
    this.ws.on('message', (data) => {
      const d = decodeBridgeMessage(data.toString());
      assert.ok(d.ok, data.toString());
      const waiter = this.#waiters.shift();
      if (waiter) waiter(d.value);
      else this.#inbox.push(d.value);
    });
    this.closed = new Promise((resolve) => this.ws.once('close', (code) => resolve(code)));
    this.ws.on('error', () => {});
  }
  opened(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
  }
  next(): Promise<BridgeMessage> {
    const m = this.#inbox.shift();
    if (m) return Promise.resolve(m);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
  async ask(message: Record<string, unknown>): Promise<BridgeMessage> {
    this.ws.send(JSON.stringify(message));
    for (;;) {
      const m = await this.next();
      if (m.type !== 'reader-event') return m;
    }
  }
}

/** Resolves with the HTTP status of a refused handshake. */
function refusedStatus(url: string, headers: { origin?: string; host?: string }): Promise<number> {
  const c = new Client(url, headers);
  return c.opened().then(
    async () => {
      c.ws.close();
      await c.closed;
      return 101;
    },
    (e: Error) => Number(e.message.slice(5)),
  );
}

describe('reader bridge (WebSocket side)', () => {
  let bridge: RunningReaderBridge;
  const backend = new FakeBackend();
  const logs: BridgeLogEntry[] = [];

  before(async () => {
    bridge = await startReaderBridge({
      backend,
      allowedOrigins: [ORIGIN, 'https://tillid.example/app/'],
      port: 0,
      removalGraceMs: 50,
      log: (e) => logs.push(e),
    });
  });
  after(() => bridge.close());

  it('listens on loopback only', () => {
    assert.match(bridge.url, /^ws:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual(bridge.allowedOrigins, [ORIGIN, 'https://tillid.example']);
  });

  it('refuses pages from other origins, without an origin, and for other host names (403)', async () => {
    assert.equal(await refusedStatus(bridge.url, { origin: 'https://evil.example' }), 403);
    assert.equal(await refusedStatus(bridge.url, { origin: 'http://localhost:8081' }), 403);
    assert.equal(await refusedStatus(bridge.url, {}), 403);
    assert.equal(
      await refusedStatus(bridge.url, { origin: ORIGIN, host: `rebind.example:${bridge.port}` }),
      403,
    );
    assert.equal(await refusedStatus(bridge.url, { origin: 'https://tillid.example' }), 101);
    assert.ok(
      logs.some(
        (l) => l.code === 'READER_BRIDGE_REFUSED_ORIGIN' && l.details?.origin === 'https://evil.example',
      ),
    );
    assert.ok(logs.some((l) => l.code === 'READER_BRIDGE_REFUSED_HOST'));
  });

  it('serves hello, readers, connect, transmit and disconnect, and logs no APDU', async () => {
    const c = new Client(bridge.url);
    await c.opened();
    assert.deepEqual(await c.ask({ type: 'list-readers', id: 1 }), {
      type: 'error',
      id: 1,
      code: 'ERR_HELLO_REQUIRED',
      message: 'send hello first',
    });
    assert.equal((await c.ask({ type: 'hello', id: 2, protocol: 99 })).type, 'error');
    assert.deepEqual(await c.ask({ type: 'hello', id: 3, protocol: 1 }), {
      type: 'hello',
      id: 3,
      protocol: 1,
      bridge: 'tillid-reader',
      version: '0.1.0',
    });
    const readers = await c.ask({ type: 'list-readers', id: 4 });
    assert.deepEqual(readers.type === 'readers' && readers.readers.map((r) => r.cardPresent), [true, false]);
    assert.deepEqual(await c.ask({ type: 'transmit', id: 5, apdu: '00a4040c' }), {
      type: 'error',
      id: 5,
      code: 'ERR_NOT_CONNECTED',
      message: 'connect to a card first',
    });
    const noCard = await c.ask({ type: 'connect', id: 6, reader: 'other' });
    assert.equal(noCard.type === 'error' && noCard.code, 'ERR_NO_CARD');
    const noReader = await c.ask({ type: 'connect', id: 7, reader: 'nonexistent' });
    assert.equal(noReader.type === 'error' && noReader.code, 'ERR_NO_READER');
    const connected = await c.ask({ type: 'connect', id: 8 });
    assert.equal(connected.type === 'connected' && connected.reader, 'ACS ACR1252 PICC 00');
    const command = '0cb0000000000e970200008e08a1b2c3d4e5f60718';
    assert.deepEqual(await c.ask({ type: 'transmit', id: 9, apdu: command }), {
      type: 'response',
      id: 9,
      apdu: SECRET_RESPONSE,
    });
    assert.deepEqual(await c.ask({ type: 'disconnect', id: 10 }), { type: 'disconnected', id: 10 });
    c.ws.close();
    await c.closed;
    const logged = JSON.stringify(logs);
    assert.ok(!logged.includes(command) && !logged.includes(bytesToHex(SECRET_RESPONSE)), logged);
    assert.ok(logs.some((l) => l.code === 'READER_BRIDGE_CARD_CONNECTED'));
  });

  it('answers an unknown message type and a malformed message with typed errors', async () => {
    const c = new Client(bridge.url);
    await c.opened();
    assert.deepEqual(await c.ask({ type: 'format-disk', id: 11 }), {
      type: 'error',
      id: 11,
      code: 'ERR_UNKNOWN_TYPE',
      message: 'unknown message type "format-disk"',
    });
    c.ws.send('{"type":"transmit"');
    const bad = await c.next();
    assert.equal(bad.type === 'error' && bad.code, 'ERR_BAD_MESSAGE');
    c.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    const binary = await c.next();
    assert.equal(binary.type === 'error' && binary.code, 'ERR_BAD_MESSAGE');
    c.ws.close();
    await c.closed;
  });

  it('closes the connection on an oversize message (1009) and releases the card', async () => {
    const c = new Client(bridge.url);
    await c.opened();
    await c.ask({ type: 'hello', id: 1, protocol: 1 });
    await c.ask({ type: 'connect', id: 2 });
    const closedBefore = backend.closedCards;
    c.ws.send(`{"type":"transmit","id":3,"apdu":"${'00'.repeat(MAX_MESSAGE_BYTES)}"}`);
    assert.equal(await c.closed, 1009);
    // The session ends asynchronously; a new client can connect once it has.
    const next = new Client(bridge.url);
    await next.opened();
    assert.equal((await next.ask({ type: 'hello', id: 1, protocol: 1 })).type, 'hello');
    assert.equal(backend.closedCards, closedBefore + 1);
    next.ws.close();
    await next.closed;
  });

  it('serves one client at a time', async () => {
    const first = new Client(bridge.url);
    await first.opened();
    assert.equal((await first.ask({ type: 'hello', id: 1, protocol: 1 })).type, 'hello');
    const second = new Client(bridge.url);
    await second.opened();
    const refusal = await second.next();
    assert.equal(refusal.type === 'error' && refusal.code, 'ERR_BUSY');
    assert.equal(await second.closed, CLOSE_BUSY);
    first.ws.close();
    await first.closed;
  });

  it('forwards card events and names a card taken away mid-read', async () => {
    const c = new Client(bridge.url);
    await c.opened();
    await c.ask({ type: 'hello', id: 1, protocol: 1 });
    await c.ask({ type: 'connect', id: 2 });
    backend.emit({ kind: 'card-removed', reader: 'ACS ACR1252 PICC 00' });
    assert.deepEqual(await c.next(), {
      type: 'reader-event',
      event: 'card-removed',
      reader: 'ACS ACR1252 PICC 00',
    });
    const removed = await c.ask({ type: 'transmit', id: 3, apdu: '00b0000000' });
    assert.equal(removed.type === 'error' && removed.code, 'ERR_CARD_REMOVED');
    // Before the monitor notices, pcsclite reports "no card" on transmit: the same answer.
    await c.ask({ type: 'connect', id: 4 });
    backend.failNextTransmit = new MrtdError('ERR_NO_CARD', 'SCardTransmit failed: Card was removed');
    const gone = await c.ask({ type: 'transmit', id: 5, apdu: '00b0000000' });
    assert.equal(gone.type === 'error' && gone.code, 'ERR_CARD_REMOVED');
    // A broken link, and pcscd reports the card gone shortly after: told as a removed card.
    await c.ask({ type: 'connect', id: 6 });
    backend.failNextTransmit = new MrtdError('ERR_TRANSPORT', 'SCardTransmit failed: Transaction failed');
    backend.removeOnFailure = true;
    const pulled = await c.ask({ type: 'transmit', id: 7, apdu: '00b0000000' });
    assert.equal(pulled.type === 'error' && pulled.code, 'ERR_CARD_REMOVED');
    backend.removeOnFailure = false;
    // A broken link with the card still there: a transport error (the app's reader resumes).
    await c.ask({ type: 'connect', id: 8 });
    backend.failNextTransmit = new MrtdError('ERR_TRANSPORT', 'SCardTransmit failed: Transaction failed');
    const broken = await c.ask({ type: 'transmit', id: 9, apdu: '00b0000000' });
    assert.equal(broken.type === 'error' && broken.code, 'ERR_TRANSPORT');
    c.ws.close();
    await c.closed;
  });
});
