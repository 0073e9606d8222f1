import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { EXPECTED_FAILURE, makeDocument, readAndVerify } from '../../test/e2e/document-variants.ts';
import { createTestPki, type TestCredential } from '../pki/test-pki.ts';
import { MemoryTransport } from '../transport/memory-transport.ts';
import { createVirtualChip } from './create-virtual-chip.ts';
import { TEST_DOCUMENT_DEFECTS } from './test-document.ts';

let csca: TestCredential;
before(() => {
  csca = createTestPki().csca;
});

describe('test documents on the in-memory chip', () => {
  for (const [pace, aa] of [
    [false, 'rsa'],
    [true, 'ec'],
  ] as const) {
    it(`a ${pace ? 'PACE' : 'BAC'} document with ${aa} AA reads and verifies`, async () => {
      const doc = await makeDocument(csca, { pace, aa });
      const outcome = await readAndVerify(doc, new MemoryTransport(createVirtualChip(doc)));
      assert.deepEqual(outcome.failures, []);
      assert.equal(outcome.report?.ok, true);
      assert.equal(outcome.read?.protocol, pace ? 'PACE' : 'BAC');
      assert.equal(outcome.report?.activeAuthentication.status, 'passed');
    });
  }

  for (const defect of TEST_DOCUMENT_DEFECTS) {
    it(`rejects ${defect} with ${EXPECTED_FAILURE[defect]}`, async () => {
      const doc = await makeDocument(csca, { pace: true, defect });
      const outcome = await readAndVerify(doc, new MemoryTransport(createVirtualChip(doc)));
      assert.ok(outcome.report === undefined || outcome.report.ok === false);
      assert.deepEqual(outcome.failures, [EXPECTED_FAILURE[defect]]);
    });
  }
});
