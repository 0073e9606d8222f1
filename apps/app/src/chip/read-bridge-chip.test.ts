// A whole passport read by the app's code through the real local reader bridge and the real PC/SC stack:
// the virtual chip serves Debian's vsmartcard vpcd driver inside pcscd (as packages/mrtd's pcsc-vpcd test
// does), `tillid reader`'s bridge runs in this process on PC/SC, and the app's reader-bridge.ts talks to
// it with `ws`. The evidence is then verified like the server does. Skipped (visibly) without pcscd/vpcd.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  createTestPki,
  createVirtualChip,
  type LdsFileName,
  MrtdError,
  parseMrz,
  type TestCredential,
  type TestDocument,
  TrustStore,
  type VirtualChip,
  verifyDocument,
} from '@tillid/mrtd/node';
import { WebSocket } from 'ws';
import { failureCodes, makeDocument } from '../../../../packages/mrtd/test/e2e/document-variants.ts';
import {
  insertVpcdCard,
  PCSC_VPCD_MISSING,
  SwappableCard,
  VPCD_READER,
} from '../../../../packages/mrtd/test/e2e/pcscd-vpcd.ts';
import { openPcscBackend } from '../../../../packages/server/src/reader-bridge/pcsc-backend.ts';
import type { ReaderBackend } from '../../../../packages/server/src/reader-bridge/reader-backend.ts';
import {
  type BridgeLogEntry,
  type RunningReaderBridge,
  startReaderBridge,
} from '../../../../packages/server/src/reader-bridge/reader-bridge.ts';
import { readChipThroughBridge, readerProblemText } from './read-bridge-chip.ts';
import type { ChipRead } from './read-chip.ts';
import { type CreateWebSocket, ReaderBridgeClient, type ReaderBridgeError } from './reader-bridge.ts';
import { base64ToBytes } from './virtual-passport.ts';

const ORIGIN = 'http://localhost:8080';
const AA_CHALLENGE = '1122334455667788';

const missing = PCSC_VPCD_MISSING;
if (missing)
  process.stdout.write(
    `# SKIP reader bridge end-to-end test: ${missing} (apt-get install pcscd vsmartcard-vpcd)\n`,
  );

const withOrigin =
  (origin: string): CreateWebSocket =>
  (url) =>
    new WebSocket(url, { origin });

function verify(doc: TestDocument, read: ChipRead) {
  const files = new Map<LdsFileName, Uint8Array>();
  for (const [name, b64] of Object.entries(read.evidence.files))
    files.set(name as LdsFileName, base64ToBytes(b64));
  const trustStore = new TrustStore();
  trustStore.addCsca(doc.cscaCertificate);
  const aaResponse = read.evidence.aaResponse;
  return verifyDocument({
    files,
    trustStore,
    now: new Date(),
    ...(aaResponse
      ? {
          activeAuthentication: {
            challenge: Buffer.from(AA_CHALLENGE, 'hex'),
            response: Buffer.from(aaResponse, 'hex'),
          },
        }
      : {}),
  });
}

describe('reading a passport through `tillid reader` (pcscd + vpcd)', { skip: missing }, () => {
  let csca: TestCredential;
  let vpcd: Awaited<ReturnType<typeof insertVpcdCard>> | undefined;
  let backend: ReaderBackend | undefined;
  let bridge: RunningReaderBridge | undefined;
  const card = new SwappableCard();
  const logs: BridgeLogEntry[] = [];

  before(async () => {
    csca = createTestPki().csca;
    vpcd = await insertVpcdCard(card);
    const opened = await openPcscBackend({ readerFilter: 'Virtual PCD' });
    backend = opened;
    // The card appears once pcscd has polled vpcd; wait for the event rather than for time.
    if (!opened.readers().some((r) => r.name === VPCD_READER && r.cardPresent)) {
      await new Promise<void>((resolve) => {
        const stop = opened.subscribe((e) => {
          if (e.kind === 'card-inserted' && e.reader === VPCD_READER) {
            stop();
            resolve();
          }
        });
      });
    }
    bridge = await startReaderBridge({
      backend,
      allowedOrigins: [ORIGIN],
      port: 0,
      log: (e) => logs.push(e),
    });
  });

  after(async () => {
    await bridge?.close();
    await backend?.close();
    await vpcd?.remove();
  });

  const read = (doc: TestDocument, origin = ORIGIN) => {
    card.chip = createVirtualChip(doc);
    const progress: number[] = [];
    return readChipThroughBridge({
      mrz: parseMrz(doc.chip.mrz),
      aaChallenge: AA_CHALLENGE,
      onProgress: (f) => progress.push(f),
      url: bridge?.url ?? '',
      createWebSocket: withOrigin(origin),
    }).then((r) => ({ read: r, progress }));
  };

  it('lists the virtual reader with its card', async () => {
    const client = await ReaderBridgeClient.open({
      url: bridge?.url ?? '',
      createWebSocket: withOrigin(ORIGIN),
    });
    try {
      const readers = await client.listReaders();
      assert.ok(
        readers.some((r) => r.name === VPCD_READER && r.cardPresent),
        JSON.stringify(readers),
      );
    } finally {
      client.close();
    }
  });

  it('reads and verifies a PACE passport (chip and active authentication)', async () => {
    const doc = await makeDocument(csca, { pace: true, aa: 'ec' });
    const { read: r, progress } = await read(doc);
    assert.equal(r.protocol, 'PACE');
    assert.equal(r.chipAuthentication, 'performed');
    const report = verify(doc, r);
    assert.deepEqual(failureCodes(report), []);
    assert.equal(report.ok, true);
    assert.equal(report.activeAuthentication.status, 'passed');
    assert.ok(progress.length > 3 && progress.at(-1) === 1);
  });

  it('reads and verifies a BAC passport (RSA active authentication)', async () => {
    const doc = await makeDocument(csca, { aa: 'rsa' });
    const { read: r } = await read(doc);
    assert.equal(r.protocol, 'BAC');
    const report = verify(doc, r);
    assert.equal(report.ok, true);
    assert.equal(report.activeAuthentication.status, 'passed');
  });

  it('says so when the page is not allowed (indistinguishable from a bridge that is not running)', async () => {
    const doc = await makeDocument(csca, { aa: 'ec' });
    await assert.rejects(read(doc, 'https://evil.example'), (e: ReaderBridgeError) => {
      assert.equal(e.code, 'ERR_BRIDGE_NOT_RUNNING');
      return true;
    });
  });

  it('says so when the bridge is not running', async () => {
    const doc = await makeDocument(csca, { aa: 'ec' });
    card.chip = createVirtualChip(doc);
    await assert.rejects(
      readChipThroughBridge({
        mrz: { documentNumber: 'X', dateOfBirth: '000101', dateOfExpiry: '300101' },
        aaChallenge: AA_CHALLENGE,
        onProgress: () => {},
        // A port nothing listens on: the bridge's own port after it has closed would race other tests.
        url: 'ws://127.0.0.1:9',
        createWebSocket: withOrigin(ORIGIN),
      }),
      (e: ReaderBridgeError) => e.code === 'ERR_BRIDGE_NOT_RUNNING',
    );
  });

  // Last: it takes the card away for good.
  it('says the passport was taken away when the card goes mid-read', async () => {
    const doc = await makeDocument(csca, { pace: true, aa: 'ec' });
    const chip = createVirtualChip(doc);
    let apdus = 0;
    // Taking the card off: vpcd's link drops after a few reads, and vpcd reports the reader empty.
    const pulled = {
      handle(apdu: Uint8Array): Uint8Array {
        if (++apdus === 12) void vpcd?.connection.close();
        return chip.handle(apdu);
      },
      reset: () => chip.reset(),
    } as unknown as VirtualChip;
    card.chip = pulled;
    const error = await readChipThroughBridge({
      mrz: parseMrz(doc.chip.mrz),
      aaChallenge: AA_CHALLENGE,
      onProgress: () => {},
      url: bridge?.url ?? '',
      createWebSocket: withOrigin(ORIGIN),
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof MrtdError && error.code === 'ERR_NO_CARD', String(error));
    assert.equal(readerProblemText(error), 'reader.error.cardRemoved');
  });

  it('never logged an APDU', () => {
    const logged = JSON.stringify(logs);
    assert.ok(!/[0-9a-f]{16}/i.test(logged), logged);
    assert.ok(logs.some((l) => l.code === 'READER_BRIDGE_CARD_CONNECTED'));
  });
});
