// End to end through the real PC/SC stack: the virtual chip serves over TCP to Debian's vsmartcard vpcd
// driver inside pcscd, and the reader talks to it with @pokusew/pcsclite, with BAC and with PACE; every
// negative variant is rejected with its own code. Skipped (visibly) where pcscd or vpcd is not installed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createVirtualChip } from '../../src/chip/create-virtual-chip.ts';
import type { TestDocument } from '../../src/chip/test-document.ts';
import { TEST_DOCUMENT_DEFECTS } from '../../src/chip/test-document.ts';
import { createTestPki, type TestCredential } from '../../src/pki/test-pki.ts';
import { openPcscTransport } from '../../src/transport/pcsc-transport.ts';
import { EXPECTED_FAILURE, makeDocument, type Outcome, readAndVerify } from './document-variants.ts';
import { insertVpcdCard, PCSC_VPCD_MISSING, SwappableCard, VPCD_READER } from './pcscd-vpcd.ts';

const missing = PCSC_VPCD_MISSING;
if (missing)
  process.stdout.write(
    `# SKIP pcsc-vpcd end-to-end test: ${missing} (apt-get install pcscd vsmartcard-vpcd)\n`,
  );

let csca: TestCredential;
const card = new SwappableCard();
let vpcd: Awaited<ReturnType<typeof insertVpcdCard>> | undefined;

async function throughPcsc(doc: TestDocument): Promise<Outcome> {
  card.chip = createVirtualChip(doc);
  const transport = await openPcscTransport({ reader: VPCD_READER, timeoutMs: 10_000 });
  try {
    return await readAndVerify(doc, transport);
  } finally {
    await transport.close();
  }
}

describe('PC/SC end to end through pcscd + vpcd', { skip: missing }, () => {
  before(async () => {
    csca = createTestPki().csca;
    vpcd = await insertVpcdCard(card);
  });

  after(async () => {
    await vpcd?.remove();
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
