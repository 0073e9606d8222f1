// End to end through the real PC/SC stack: the virtual chip serves over TCP to Debian's vsmartcard vpcd
// driver inside pcscd, and the reader talks to it with @pokusew/pcsclite, with BAC and with PACE; every
// negative variant is rejected with its own code. Skipped (visibly) where pcscd or vpcd is not installed.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { createVirtualChip } from '../../src/chip/create-virtual-chip.ts';
import type { TestDocument } from '../../src/chip/test-document.ts';
import { TEST_DOCUMENT_DEFECTS } from '../../src/chip/test-document.ts';
import type { VirtualChip } from '../../src/chip/virtual-chip.ts';
import { createTestPki, type TestCredential } from '../../src/pki/test-pki.ts';
import { connectVpcd, type VpcdConnection } from '../../src/transport/connect-vpcd.ts';
import { checkPcscdRunning, openPcscTransport } from '../../src/transport/pcsc-transport.ts';
import { EXPECTED_FAILURE, makeDocument, type Outcome, readAndVerify } from './document-variants.ts';

const PCSCD = ['/usr/sbin/pcscd', '/usr/bin/pcscd'].find((p) => existsSync(p));
const VPCD_DRIVER = '/usr/lib/pcsc/drivers/serial/libifdvpcd.so';
const VPCD_PORT = 35963;
const READER = 'Virtual PCD 00 00';

const missing =
  PCSCD === undefined
    ? 'pcscd is not installed'
    : !existsSync(VPCD_DRIVER)
      ? 'vsmartcard-vpcd is not installed'
      : undefined;
if (missing)
  process.stdout.write(
    `# SKIP pcsc-vpcd end-to-end test: ${missing} (apt-get install pcscd vsmartcard-vpcd)\n`,
  );

let pcscd: ChildProcess | undefined;
let csca: TestCredential;

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

/**
 * One card stays in vpcd's first reader for the whole suite; each test swaps the chip behind it. (Pulling
 * the card and inserting another races pcscd's polling of the reader state.)
 */
class SwappableCard {
  chip: VirtualChip | undefined;
  handle(apdu: Uint8Array): Uint8Array {
    return this.chip?.handle(apdu) ?? Uint8Array.of(0x6f, 0x00);
  }
  reset(): void {
    this.chip?.reset();
  }
}

const card = new SwappableCard();
let connection: VpcdConnection | undefined;

async function throughPcsc(doc: TestDocument): Promise<Outcome> {
  card.chip = createVirtualChip(doc);
  const transport = await openPcscTransport({ reader: READER, timeoutMs: 10_000 });
  try {
    return await readAndVerify(doc, transport);
  } finally {
    await transport.close();
  }
}

describe('PC/SC end to end through pcscd + vpcd', { skip: missing }, () => {
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
  });

  after(async () => {
    await connection?.close();
    if (pcscd && pcscd.exitCode === null) {
      const exited = new Promise((resolve) => pcscd?.once('exit', resolve));
      pcscd.kill('SIGTERM');
      await exited;
    }
  });

  it('reads and verifies a BAC passport (RSA active authentication)', async () => {
    const doc = await makeDocument(csca, { aa: 'rsa' });
    const outcome = await throughPcsc(doc);
    assert.deepEqual(outcome.failures, []);
    assert.equal(outcome.read?.protocol, 'BAC');
    assert.equal(outcome.report?.ok, true);
    assert.equal(outcome.report?.activeAuthentication.status, 'passed');
  });

  it('reads and verifies a PACE passport (chip authentication, ECDSA active authentication)', async () => {
    const doc = await makeDocument(csca, { pace: true, aa: 'ec' });
    const outcome = await throughPcsc(doc);
    assert.deepEqual(outcome.failures, []);
    assert.equal(outcome.read?.protocol, 'PACE');
    assert.equal(outcome.read?.chipAuthentication, 'performed');
    assert.equal(outcome.report?.ok, true);
  });

  for (const defect of TEST_DOCUMENT_DEFECTS) {
    it(`rejects ${defect} with ${EXPECTED_FAILURE[defect]}`, async () => {
      const doc = await makeDocument(csca, { pace: true, defect });
      const outcome = await throughPcsc(doc);
      assert.deepEqual(outcome.failures, [EXPECTED_FAILURE[defect]]);
    });
  }
});
