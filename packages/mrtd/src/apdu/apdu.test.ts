import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { fromHex } from '../bytes.ts';
import { MrtdError } from '../errors.ts';
import {
  type CommandApdu,
  decodeCommandApdu,
  decodeResponseApdu,
  encodeCommandApdu,
  encodeResponseApdu,
} from './apdu.ts';
import { isSuccess, requireOk, SW, statusWordName } from './status-word.ts';

const isApduError = (e: unknown) => e instanceof MrtdError && e.code === 'ERR_APDU_FORMAT';

describe('command APDUs (ISO/IEC 7816-4 §5.1)', () => {
  it('encodes the eMRTD commands in short form', () => {
    // ICAO 9303-11 Appendix D.3: SELECT EF.COM (unprotected form) and GET CHALLENGE.
    assert.deepEqual(
      encodeCommandApdu({ cla: 0x00, ins: 0xa4, p1: 0x02, p2: 0x0c, data: fromHex('011E') }),
      fromHex('00A4020C02011E'),
    );
    assert.deepEqual(encodeCommandApdu({ cla: 0x00, ins: 0x84, p1: 0, p2: 0, ne: 8 }), fromHex('0084000008'));
    assert.deepEqual(
      encodeCommandApdu({ cla: 0x00, ins: 0xb0, p1: 0, p2: 0, ne: 256 }),
      fromHex('00B0000000'),
    );
    assert.deepEqual(encodeCommandApdu({ cla: 0x00, ins: 0x20, p1: 0, p2: 0 }), fromHex('00200000'));
  });

  it('switches to extended length for long data or Ne above 256', () => {
    assert.deepEqual(
      encodeCommandApdu({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 65536 }),
      fromHex('00B00000000000'),
    );
    assert.deepEqual(
      encodeCommandApdu({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 0x1000 }),
      fromHex('00B00000001000'),
    );
    const data = new Uint8Array(300);
    const apdu = encodeCommandApdu({ cla: 0, ins: 0x86, p1: 0, p2: 0, data, ne: 256 });
    assert.deepEqual(apdu.subarray(4, 7), fromHex('00012C'));
    assert.deepEqual(apdu.subarray(-2), fromHex('0100'));
  });

  it('decodes all seven cases', () => {
    assert.deepEqual(decodeCommandApdu(fromHex('00A4020C')), { cla: 0, ins: 0xa4, p1: 2, p2: 0x0c });
    assert.deepEqual(decodeCommandApdu(fromHex('0084000000')), { cla: 0, ins: 0x84, p1: 0, p2: 0, ne: 256 });
    assert.deepEqual(decodeCommandApdu(fromHex('00A4020C02011E')).data, fromHex('011E'));
    assert.equal(decodeCommandApdu(fromHex('00A4020C02011E00')).ne, 256);
    assert.equal(decodeCommandApdu(fromHex('00B00000000000')).ne, 65536);
    assert.deepEqual(decodeCommandApdu(fromHex('00D60000000002AABB')).data, fromHex('AABB'));
    assert.equal(decodeCommandApdu(fromHex('00D60000000002AABB0000')).ne, 65536);
  });

  it('rejects inconsistent lengths and bad fields', () => {
    for (const hex of [
      '00A402',
      '00A4020C03011E',
      '00A4020C0000',
      '00A4020C000003AABB',
      '00A4020C00000001',
    ]) {
      assert.throws(() => decodeCommandApdu(fromHex(hex)), isApduError, hex);
    }
    assert.throws(() => encodeCommandApdu({ cla: 256, ins: 0, p1: 0, p2: 0 }), isApduError);
    assert.throws(() => encodeCommandApdu({ cla: 0, ins: 0, p1: 0, p2: 0, ne: 65537 }), isApduError);
    assert.throws(
      () => encodeCommandApdu({ cla: 0, ins: 0, p1: 0, p2: 0, data: new Uint8Array(65536) }),
      isApduError,
    );
  });

  it('round-trips with its decoder (property)', () => {
    const command = fc.record({
      cla: fc.integer({ min: 0, max: 255 }),
      ins: fc.integer({ min: 0, max: 255 }),
      p1: fc.integer({ min: 0, max: 255 }),
      p2: fc.integer({ min: 0, max: 255 }),
      data: fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ minLength: 250, maxLength: 260 })),
      ne: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 300 }), fc.integer({ min: 0, max: 65536 })),
    });
    fc.assert(
      fc.property(command, (c: CommandApdu & { data: Uint8Array; ne: number }) => {
        const d = decodeCommandApdu(encodeCommandApdu(c));
        assert.deepEqual(
          { cla: d.cla, ins: d.ins, p1: d.p1, p2: d.p2, data: d.data ?? new Uint8Array(0), ne: d.ne ?? 0 },
          { ...c },
        );
      }),
      { numRuns: 500 },
    );
  });

  it('throws only MrtdError on arbitrary bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        try {
          const c = decodeCommandApdu(bytes);
          assert.deepEqual(decodeCommandApdu(encodeCommandApdu(c)), c);
        } catch (e) {
          if (!(e instanceof MrtdError)) throw e;
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('response APDUs and status words (ISO/IEC 7816-4 §5.1.3, §5.6)', () => {
  it('splits data and SW and round-trips (property)', () => {
    assert.deepEqual(decodeResponseApdu(fromHex('AABB9000')), { data: fromHex('AABB'), sw: 0x9000 });
    assert.throws(() => decodeResponseApdu(fromHex('90')), isApduError);
    assert.throws(() => encodeResponseApdu({ data: new Uint8Array(0), sw: 0x10000 }), isApduError);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.integer({ min: 0, max: 0xffff }), (data, sw) => {
        assert.deepEqual(decodeResponseApdu(encodeResponseApdu({ data, sw })), { data, sw });
      }),
      { numRuns: 300 },
    );
  });

  it('names status words and fails requireOk with the SW in details', () => {
    assert.equal(statusWordName(SW.FILE_NOT_FOUND), 'FILE_NOT_FOUND');
    assert.equal(statusWordName(0x6110), 'BYTES_REMAINING');
    assert.equal(statusWordName(0x6c20), 'WRONG_LE');
    assert.equal(statusWordName(0x63c2), 'COUNTER');
    assert.equal(statusWordName(0x1234), 'UNKNOWN');
    assert.ok(isSuccess(0x9000) && isSuccess(0x6104) && !isSuccess(0x6982));
    requireOk(0x9000, 'x');
    assert.throws(
      () => requireOk(0x6982, 'READ BINARY'),
      (e: unknown) => e instanceof MrtdError && e.code === 'ERR_CARD_STATUS' && e.details?.['sw'] === 0x6982,
    );
  });
});
