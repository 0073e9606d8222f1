import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createTestDocument } from './create-test-document.ts';
import { loadTestDocument, saveTestDocument } from './document-directory.ts';
import { loadOrCreateTestCsca } from './test-csca-store.ts';

describe('test document directories', () => {
  it('saves and loads a document (RSA AA, CA, PACE, revoked-DS CRL) and shares the stored CSCA', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tillid-doc-'));
    try {
      const csca = loadOrCreateTestCsca(join(dir, 'pki', 'test-csca.json'));
      const again = loadOrCreateTestCsca(join(dir, 'pki', 'test-csca.json'));
      assert.deepEqual(again.der, csca.der);
      const doc = await createTestDocument({ pace: true, aa: 'rsa', csca, defect: 'revoked-ds' });
      saveTestDocument(join(dir, 'doc'), doc);
      const names = readdirSync(join(dir, 'doc')).sort();
      for (const f of [
        'DG1.bin',
        'DG2.bin',
        'DG14.bin',
        'DG15.bin',
        'EF_COM.bin',
        'EF_SOD.bin',
        'EF_CardAccess.bin',
        'chip.json',
        'csca.der',
        'csca.crl',
      ]) {
        assert.ok(names.includes(f), f);
      }
      const loaded = loadTestDocument(join(dir, 'doc'));
      assert.deepEqual(loaded.files, doc.files);
      assert.deepEqual(loaded.chip, doc.chip);
      assert.deepEqual(loaded.cscaCertificate, csca.der);
      assert.deepEqual(loaded.crl, doc.crl);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a directory without chip.json', () => {
    assert.throws(() => loadTestDocument(tmpdir()), { code: 'ERR_TEST_DOCUMENT' });
  });
});
