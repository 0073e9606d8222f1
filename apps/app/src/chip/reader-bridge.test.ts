// The app's bridge client against the real bridge with a fake reader backend (a virtual chip in memory; the
// PC/SC path is read-bridge-chip.test.ts): waiting for a passport, no reader, no card, a busy bridge, and
// the text each failure is shown with.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  createTestDocument,
  createTestPki,
  createVirtualChip,
  MemoryTransport,
  parseMrz,
  type TestDocument,
} from '@tillid/mrtd/node';
import { WebSocket } from 'ws';
import type {
  ConnectedCard,
  ReaderBackend,
  ReaderEvent,
} from '../../../../packages/server/src/reader-bridge/reader-backend.ts';
import {
  type RunningReaderBridge,
  startReaderBridge,
} from '../../../../packages/server/src/reader-bridge/reader-bridge.ts';
import { readChipThroughBridge, readerProblemText } from './read-bridge-chip.ts';
import { type CreateWebSocket, ReaderBridgeClient } from './reader-bridge.ts';

const ORIGIN = 'http://localhost:8080';
const READER = 'ACS ACR1252 1S CL Reader PICC 0';
const ws: CreateWebSocket = (url) => new WebSocket(url, { origin: ORIGIN });

class MemoryBackend implements ReaderBackend {
  readerPresent = true;
  doc: TestDocument | undefined;
  #listeners = new Set<(e: ReaderEvent) => void>();
  readers() {
    return this.readerPresent ? [{ name: READER, cardPresent: this.doc !== undefined }] : [];
  }
  subscribe(l: (e: ReaderEvent) => void) {
    this.#listeners.add(l);
    return () => this.#listeners.delete(l);
  }
  insert(doc: TestDocument) {
    this.doc = doc;
    for (const l of this.#listeners) l({ kind: 'card-inserted', reader: READER });
  }
  async connect(reader: string): Promise<ConnectedCard> {
    if (!this.doc) throw new Error('no card');
    const transport = new MemoryTransport(createVirtualChip(this.doc));
    return {
      readerName: reader,
      atr: Uint8Array.of(0x3b, 0x80, 0x80, 0x01, 0x01),
      maxResponseLength: 65536,
      transmit: (c) => transport.transmit(c),
      close: async () => {},
    };
  }
  async close() {}
}

describe('the app’s reader bridge client', () => {
  const backend = new MemoryBackend();
  let bridge: RunningReaderBridge;
  let doc: TestDocument;

  before(async () => {
    doc = await createTestDocument({ csca: createTestPki().csca, aa: 'ec' });
    bridge = await startReaderBridge({ backend, allowedOrigins: [ORIGIN], port: 0 });
  });
  after(() => bridge.close());

  const read = (options: { cardWaitMs?: number; onWaitingForCard?: () => void; signal?: AbortSignal } = {}) =>
    readChipThroughBridge({
      mrz: parseMrz(doc.chip.mrz),
      aaChallenge: '0011223344556677',
      onProgress: () => {},
      url: bridge.url,
      createWebSocket: ws,
      ...options,
    });

  it('says there is no reader', async () => {
    backend.readerPresent = false;
    const e = await read().catch((x: unknown) => x);
    assert.equal(readerProblemText(e), 'reader.error.noReader');
    backend.readerPresent = true;
  });

  it('says there is no passport when none is put on the reader in time', async () => {
    const e = await read({ cardWaitMs: 1 }).catch((x: unknown) => x);
    assert.equal(readerProblemText(e), 'reader.error.noCard');
  });

  it('stops waiting when cancelled', async () => {
    const controller = new AbortController();
    const e = await read({ signal: controller.signal, onWaitingForCard: () => controller.abort() }).catch(
      (x: unknown) => x,
    );
    assert.equal((e as { code?: string }).code, 'ERR_BRIDGE_CLOSED');
  });

  it('waits for the passport, then reads it', async () => {
    const result = await read({ onWaitingForCard: () => backend.insert(doc) });
    assert.equal(result.protocol, 'BAC');
    assert.ok(result.evidence.files.SOD && result.evidence.aaResponse);
  });

  it('says another page is using the bridge', async () => {
    const first = await ReaderBridgeClient.open({ url: bridge.url, createWebSocket: ws });
    try {
      const e = await read().catch((x: unknown) => x);
      assert.equal(readerProblemText(e), 'reader.error.busy');
    } finally {
      first.close();
    }
  });

  it('leaves chip failures (wrong MRZ keys) to the chip screen', async () => {
    // Let the bridge finish with the previous client (its card is released before the next connects).
    const wrong = await readChipThroughBridge({
      mrz: { documentNumber: 'X0000000', dateOfBirth: '010101', dateOfExpiry: '300101' },
      aaChallenge: '0011223344556677',
      onProgress: () => {},
      url: bridge.url,
      createWebSocket: ws,
    }).catch((x: unknown) => x);
    assert.equal(readerProblemText(wrong), undefined);
  });
});
