// A whole passport read by the app's code through the real local reader bridge and the real PC/SC stack:
// the virtual chip serves Debian's vsmartcard vpcd driver inside pcscd (as packages/mrtd's pcsc-vpcd test
// does), `tillid reader`'s bridge runs in this process on PC/SC, and the app's reader-bridge.ts talks to
// it with `ws`. The evidence is then verified like the server does. Skipped (visibly) without pcscd/vpcd.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import {
  checkPcscdRunning,
  connectVpcd,
  createTestPki,
  createVirtualChip,
  type LdsFileName,
  MrtdError,
  parseMrz,
  type TestCredential,
  type TestDocument,
  TrustStore,
  type VirtualChip,
  type VpcdConnection,
  verifyDocument,
} from '@tillid/mrtd/node';
import { WebSocket } from 'ws';
import { failureCodes, makeDocument } from '../../../../packages/mrtd/test/e2e/document-variants.ts';
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

const PCSCD = ['/usr/sbin/pcscd', '/usr/bin/pcscd'].find((p) => existsSync(p));
const VPCD_DRIVER = '/usr/lib/pcsc/drivers/serial/libifdvpcd.so';
const VPCD_PORT = 35963;
const READER = 'Virtual PCD 00 00';
const ORIGIN = 'http://localhost:8080';
const AA_CHALLENGE = '1122334455667788';

const missing =
  PCSCD === undefined
    ? 'pcscd is not installed'
    : !existsSync(VPCD_DRIVER)
      ? 'vsmartcard-vpcd is not installed'
      : undefined;
if (missing)
  process.stdout.write(
    `# SKIP reader bridge end-to-end test: ${missing} (apt-get install pcscd vsmartcard-vpcd)\n`,
  );

async function waitForPcscd(): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await checkPcscdRunning(undefined, 500);
      return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** One card stays in vpcd's first reader; each test swaps the chip behind it (as the mrtd e2e test does). */
class SwappableCard {
  chip: VirtualChip | undefined;
  handle(apdu: Uint8Array): Uint8Array {
    return this.chip?.handle(apdu) ?? Uint8Array.of(0x6f, 0x00);
  }
  reset(): void {
    this.chip?.reset();
  }
}

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
  let pcscd: ChildProcess | undefined;
  let csca: TestCredential;
  let connection: VpcdConnection | undefined;
  let backend: ReaderBackend | undefined;
  let bridge: RunningReaderBridge | undefined;
  const card = new SwappableCard();
  const logs: BridgeLogEntry[] = [];

  before(async () => {
    csca = createTestPki().csca;
    try {
      await checkPcscdRunning(undefined, 500);
    } catch {
      // Only one pcscd per machine: start ours only when none answers.
      pcscd = spawn(PCSCD ?? 'pcscd', ['--foreground'], { stdio: 'ignore' });
      await waitForPcscd();
    }
    connection = await connectVpcd({ card, port: VPCD_PORT });
    const opened = await openPcscBackend({ readerFilter: 'Virtual PCD' });
    backend = opened;
    // The card appears once pcscd has polled vpcd; wait for the event rather than for time.
    if (!opened.readers().some((r) => r.name === READER && r.cardPresent)) {
      await new Promise<void>((resolve) => {
        const stop = opened.subscribe((e) => {
          if (e.kind === 'card-inserted' && e.reader === READER) {
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
    await connection?.close();
    if (pcscd && pcscd.exitCode === null) {
      const exited = new Promise((resolve) => pcscd?.once('exit', resolve));
      pcscd.kill('SIGTERM');
      await exited;
    }
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
        readers.some((r) => r.name === READER && r.cardPresent),
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
        if (++apdus === 12) void connection?.close();
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
