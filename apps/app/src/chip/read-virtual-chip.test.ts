// The virtual passport path after the refactor onto read-chip.ts: a directory made as `tillid passport
// create` makes it, read as the chip screen reads it, gives evidence that verifies.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  createTestDocument,
  createTestPki,
  type LdsFileName,
  parseMrz,
  saveTestDocument,
  TrustStore,
  verifyDocument,
} from '@tillid/mrtd/node';
import { readVirtualChip } from './read-virtual-chip.ts';
import { base64ToBytes, ldsNameOfFile, type VirtualPassport } from './virtual-passport.ts';

describe('readVirtualChip', () => {
  it('reads a PACE test passport from its directory into evidence the server can verify', async () => {
    const doc = await createTestDocument({ csca: createTestPki().csca, pace: true, aa: 'ec' });
    const dir = mkdtempSync(join(tmpdir(), 'tillid-virtual-'));
    saveTestDocument(dir, doc);
    const files = new Map<string, Uint8Array>();
    for (const name of readdirSync(dir)) {
      const lds = ldsNameOfFile(name);
      if (lds) files.set(lds, new Uint8Array(readFileSync(join(dir, name))));
    }
    const passport: VirtualPassport = {
      name: 'anna',
      chipJson: readFileSync(join(dir, 'chip.json'), 'utf8'),
      files,
    };
    const progress: number[] = [];
    const read = await readVirtualChip({
      passport,
      mrz: parseMrz(doc.chip.mrz),
      aaChallenge: '0102030405060708',
      onProgress: (f) => progress.push(f),
    });
    assert.equal(read.protocol, 'PACE');
    assert.equal(progress.at(-1), 1);
    const trustStore = new TrustStore();
    trustStore.addCsca(doc.cscaCertificate);
    const report = verifyDocument({
      files: new Map(
        Object.entries(read.evidence.files).map(([n, b64]) => [n as LdsFileName, base64ToBytes(b64)]),
      ),
      trustStore,
      now: new Date(),
      activeAuthentication: {
        challenge: Buffer.from('0102030405060708', 'hex'),
        response: Buffer.from(read.evidence.aaResponse ?? '', 'hex'),
      },
    });
    assert.equal(report.ok, true);
    assert.equal(report.activeAuthentication.status, 'passed');
  });
});
