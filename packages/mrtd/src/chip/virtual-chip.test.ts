import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeResponseApdu, encodeCommandApdu } from '../apdu/apdu.ts';
import { BacChipProtocol } from '../bac/bac-chip-protocol.ts';
import { performBac } from '../bac/perform-bac.ts';
import { CountingTransport } from '../reader/counting-transport.ts';
import { EMRTD_AID } from '../reader/emrtd-aid.ts';
import { type FileReaderContext, readFile, sendCommand } from '../reader/read-file.ts';
import { SecureMessagingTransport } from '../sm/secure-transport.ts';
import { encodeTlv } from '../tlv/tlv.ts';
import { MemoryTransport } from '../transport/memory-transport.ts';
import type { ChipEf } from './chip-file-system.ts';
import { VirtualChip, type VirtualChipOptions } from './virtual-chip.ts';

const MRZ_INFO = 'L898902C<369080619406236';

function filler(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + seed) & 0xff;
  return out;
}

const cardAccess = encodeTlv(0x31, filler(20, 1));
const dg1 = encodeTlv(0x61, filler(88, 2));
const dg2 = encodeTlv(0x75, filler(40000, 3)); // beyond offset 32767: needs odd INS B1

const FILES: ChipEf[] = [
  { name: 'CardAccess', fid: 0x011c, sfi: 0x1c, df: 'MF', data: cardAccess, protected: false },
  { name: 'DG1', fid: 0x0101, sfi: 0x01, df: 'eMRTD', data: dg1, protected: true },
  { name: 'DG2', fid: 0x0102, sfi: 0x02, df: 'eMRTD', data: dg2, protected: true },
];

function chip(extra: Partial<VirtualChipOptions> = {}): VirtualChip {
  return new VirtualChip({
    files: FILES,
    bac: () => new BacChipProtocol({ mrzInformation: MRZ_INFO }),
    ...extra,
  });
}

async function bacContext(c: VirtualChip, maxResponseLength = 65536) {
  const raw = new CountingTransport(new MemoryTransport(c, { maxResponseLength }));
  const select = await sendCommand(raw, { cla: 0, ins: 0xa4, p1: 4, p2: 0x0c, data: EMRTD_AID });
  assert.equal(select.sw, 0x9000);
  const session = await performBac(raw, MRZ_INFO);
  const sm = new SecureMessagingTransport(raw, session);
  const ctx: FileReaderContext = {
    transport: sm,
    maxChunk: sm.maxResponseLength,
    shortChunk: 0xdf,
    currentFile: undefined,
    sfiSupported: true,
  };
  return { raw, ctx };
}

const fresh = () => ({ data: new Uint8Array(0), total: undefined });

describe('VirtualChip + readFile', () => {
  it('reads EF.CardAccess without access control, but no data group', async () => {
    const c = chip();
    const raw = new MemoryTransport(c);
    const ctx: FileReaderContext = {
      transport: raw,
      maxChunk: 65536,
      shortChunk: 256,
      currentFile: undefined,
      sfiSupported: true,
    };
    assert.deepEqual(await readFile(ctx, FILES[0] as ChipEf, fresh()), cardAccess);
    await sendCommand(raw, { cla: 0, ins: 0xa4, p1: 4, p2: 0x0c, data: EMRTD_AID });
    await assert.rejects(readFile(ctx, FILES[1] as ChipEf, fresh()), { code: 'ERR_CARD_STATUS' });
  });

  it('reads DG1 and a 40 KB DG2 after BAC in one READ BINARY each (extended length)', async () => {
    const c = chip();
    const { raw, ctx } = await bacContext(c);
    const before = raw.count;
    assert.deepEqual(await readFile(ctx, FILES[1] as ChipEf, fresh()), dg1);
    assert.deepEqual(await readFile(ctx, FILES[2] as ChipEf, fresh()), dg2);
    assert.equal(raw.count - before, 2);
  });

  it('reads in chunks with odd INS B1 beyond offset 32767 when the chip buffer is small', async () => {
    const c = chip({ maxResponseLength: 1024 });
    const { raw, ctx } = await bacContext(c);
    const before = raw.count;
    const progress: number[] = [];
    const data = await readFile(ctx, FILES[2] as ChipEf, fresh(), (p) => progress.push(p.data.length));
    assert.deepEqual(data, dg2);
    const perChunk = progress[0] ?? 0;
    assert.ok(perChunk > 900 && perChunk <= 1024, `chunk ${perChunk}`);
    assert.equal(raw.count - before, Math.ceil(dg2.length / perChunk));
  });

  it('falls back to short APDUs when the chip refuses extended length', async () => {
    const c = chip({ extendedLength: false });
    const { ctx } = await bacContext(c, 256);
    assert.deepEqual(await readFile(ctx, FILES[1] as ChipEf, fresh()), dg1);
  });

  it('answers a plain READ BINARY for a data group with 6982 and ends secure messaging', async () => {
    const c = chip();
    const { raw } = await bacContext(c);
    assert.equal(c.access, 'BAC');
    const r = decodeResponseApdu(
      await raw.transmit(encodeCommandApdu({ cla: 0, ins: 0xb0, p1: 0x81, p2: 0, ne: 256 })),
    );
    assert.equal(r.sw, 0x6982);
    assert.equal(c.access, 'none');
  });

  it('resumes a partial read from its offset', async () => {
    const c = chip({ maxResponseLength: 1024 });
    const { ctx } = await bacContext(c);
    const partial = { data: dg2.slice(0, 33000), total: dg2.length };
    assert.deepEqual(await readFile(ctx, FILES[2] as ChipEf, partial), dg2);
  });
});
