import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { verifyActiveAuthentication } from '../aa/verify-active-authentication.ts';
import { createTestDocument } from '../chip/create-test-document.ts';
import { createVirtualChip } from '../chip/create-virtual-chip.ts';
import type { TestDocument } from '../chip/test-document.ts';
import { MrtdError } from '../errors.ts';
import { MemoryTransport } from '../transport/memory-transport.ts';
import { type ReadProgress, readDocument } from './read-document.ts';

let paceDoc: TestDocument;
let bacDoc: TestDocument;
const challenge = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);

before(async () => {
  paceDoc = await createTestDocument({ pace: true, aa: 'ec' });
  bacDoc = await createTestDocument({ aa: 'rsa', ca: false });
});

describe('readDocument on the virtual chip', () => {
  it('reads a PACE document, runs CA and AA, and reports progress', async () => {
    const chip = createVirtualChip(paceDoc);
    const events: ReadProgress[] = [];
    const result = await readDocument({
      transport: new MemoryTransport(chip),
      password: { kind: 'mrz', mrzInformation: paceDoc.chip.mrzInformation },
      activeAuthenticationChallenge: challenge,
      onProgress: (p) => events.push(p),
    });
    assert.equal(result.protocol, 'PACE');
    assert.equal(result.chipAuthentication, 'performed');
    for (const [name, data] of paceDoc.files) assert.deepEqual(result.files.get(name), data, name);
    assert.deepEqual(result.missingFiles, []);
    const aa = verifyActiveAuthentication({
      challenge,
      response: result.activeAuthenticationResponse ?? new Uint8Array(0),
      dg15: paceDoc.files.get('DG15') ?? new Uint8Array(0),
      dg14: paceDoc.files.get('DG14'),
    });
    assert.equal(aa.ok, true);
    const last = events.at(-1);
    assert.ok(last !== undefined && last.totalRead === last.totalExpected);
    // CardAccess 1 + PACE 5 + SELECT 1 + COM, SOD 2 + DG1, DG2, DG11, DG12, DG14, DG15 6 + CA 2 + AA 1.
    assert.equal(result.apduCount, 18);
  });

  it('reads with the CAN over PACE', async () => {
    const result = await readDocument({
      transport: new MemoryTransport(createVirtualChip(paceDoc)),
      password: { kind: 'can', can: paceDoc.chip.can },
    });
    assert.equal(result.protocol, 'PACE');
  });

  it('falls back to BAC without EF.CardAccess, with RSA AA', async () => {
    const result = await readDocument({
      transport: new MemoryTransport(createVirtualChip(bacDoc)),
      password: { kind: 'mrz', mrzInformation: bacDoc.chip.mrzInformation },
      activeAuthenticationChallenge: challenge,
    });
    assert.equal(result.protocol, 'BAC');
    assert.equal(result.chipAuthentication, 'not_offered');
    const aa = verifyActiveAuthentication({
      challenge,
      response: result.activeAuthenticationResponse ?? new Uint8Array(0),
      dg15: bacDoc.files.get('DG15') ?? new Uint8Array(0),
    });
    assert.equal(aa.ok, true);
  });

  it('reads with short APDUs from a chip without extended length', async () => {
    const chip = createVirtualChip(paceDoc, { extendedLength: false, maxResponseLength: 256 });
    const result = await readDocument({
      transport: new MemoryTransport(chip, { maxResponseLength: 256 }),
      password: { kind: 'mrz', mrzInformation: paceDoc.chip.mrzInformation },
    });
    for (const [name, data] of paceDoc.files) assert.deepEqual(result.files.get(name), data, name);
  });

  it('falls back to short APDUs when the chip refuses extended length behind an extended-length reader', async () => {
    const chip = createVirtualChip(paceDoc, { extendedLength: false, maxResponseLength: 256 });
    const result = await readDocument({
      transport: new MemoryTransport(chip),
      password: { kind: 'mrz', mrzInformation: paceDoc.chip.mrzInformation },
    });
    assert.equal(result.resumes, 1);
    for (const [name, data] of paceDoc.files) assert.deepEqual(result.files.get(name), data, name);
  });

  it('rejects a wrong password with a typed error', async () => {
    await assert.rejects(
      readDocument({
        transport: new MemoryTransport(createVirtualChip(bacDoc)),
        password: { kind: 'mrz', mrzInformation: 'X00000000<0900101000101' },
      }),
      (e: unknown) => e instanceof MrtdError && e.code === 'ERR_BAC_FAILED',
    );
  });

  it('resumes after the card drops out mid-read, keeping finished files', async () => {
    const chip = createVirtualChip(paceDoc, { maxResponseLength: 1024 });
    const inner = new MemoryTransport(chip);
    let n = 0;
    const flaky = {
      maxResponseLength: 65536,
      async transmit(command: Uint8Array) {
        n++;
        if (n === 14) {
          chip.reset(); // the card left the field and came back
          throw new MrtdError('ERR_TRANSPORT', 'tag lost');
        }
        return inner.transmit(command);
      },
    };
    const result = await readDocument({
      transport: flaky,
      password: { kind: 'mrz', mrzInformation: paceDoc.chip.mrzInformation },
    });
    assert.equal(result.resumes, 1);
    for (const [name, data] of paceDoc.files) assert.deepEqual(result.files.get(name), data, name);
  });
});
