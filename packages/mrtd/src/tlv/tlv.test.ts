import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { concatBytes, fromHex } from '../bytes.ts';
import { MrtdError } from '../errors.ts';
import {
  childrenOf,
  decodeTlv,
  decodeTlvSequence,
  encodeConstructed,
  encodeLength,
  encodeTag,
  encodeTlv,
  expectTlv,
  requireTlv,
} from './tlv.ts';

const isCode = (code: string) => (e: unknown) => e instanceof MrtdError && e.code === code;

/** Tags the decoder reads back as themselves: one, two or three bytes (ISO/IEC 8825-1 §8.1.2). */
const tagArb = fc.oneof(
  fc.integer({ min: 0x01, max: 0xfe }).filter((b) => (b & 0x1f) !== 0x1f),
  fc
    .tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0x1f, max: 0x7f }))
    .map(([cls, n]) => ((cls << 5) | 0x1f) * 256 + n),
  fc
    .tuple(
      fc.integer({ min: 0, max: 6 }),
      fc.integer({ min: 0x81, max: 0xff }),
      fc.integer({ min: 0, max: 0x7f }),
    )
    .map(([cls, a, b]) => ((cls << 5) | 0x1f) * 65536 + a * 256 + b),
);

describe('BER-TLV (ISO/IEC 7816-4 §5.2, ICAO 9303-10 §4.7)', () => {
  it('decodes one- and two-byte tags with short and long lengths', () => {
    const t = decodeTlv(fromHex('5F1F03414243'));
    assert.equal(t.tag, 0x5f1f);
    assert.equal(t.constructed, false);
    assert.deepEqual(t.value, fromHex('414243'));
    assert.equal(t.headerLength, 3);
    const long = concatBytes(fromHex('7582012C'), new Uint8Array(300));
    assert.equal(decodeTlv(long).value.length, 300);
    assert.equal(decodeTlv(long).constructed, true);
  });

  it('walks constructed values', () => {
    const dg1 = encodeConstructed(0x61, [encodeTlv(0x5f1f, fromHex('41'))]);
    const [child] = childrenOf(decodeTlv(dg1));
    assert.equal(child?.tag, 0x5f1f);
    assert.deepEqual(requireTlv(childrenOf(expectTlv(dg1, 0x61, 'DG1')), 0x5f1f, 'MRZ').value, fromHex('41'));
  });

  it('encodes lengths in their shortest form (ISO/IEC 8825-1 §8.1.3)', () => {
    assert.deepEqual(encodeLength(0x7f), fromHex('7F'));
    assert.deepEqual(encodeLength(0x80), fromHex('8180'));
    assert.deepEqual(encodeLength(0x100), fromHex('820100'));
    assert.deepEqual(encodeLength(0x10000), fromHex('83010000'));
    assert.throws(() => encodeLength(-1), isCode('ERR_TLV_LENGTH'));
  });

  it('refuses tags that would decode as another tag', () => {
    assert.deepEqual(encodeTag(0x7f61), fromHex('7F61'));
    assert.deepEqual(encodeTag(0x5f8101), fromHex('5F8101'));
    for (const bad of [0, 0x1f, 0x5f, 0x7f, 0xff, 0x6180, 0x5f81, 0x5f0101, 0x1234, -1, 0.5]) {
      assert.throws(() => encodeTag(bad), isCode('ERR_TLV_TAG'), String(bad));
    }
  });

  it('reports truncation, bad lengths and bad tags with typed errors', () => {
    assert.throws(() => decodeTlv(new Uint8Array(0)), isCode('ERR_TLV_TRUNCATED'));
    assert.throws(() => decodeTlv(fromHex('5F')), isCode('ERR_TLV_TRUNCATED'));
    assert.throws(() => decodeTlv(fromHex('6103AA')), isCode('ERR_TLV_TRUNCATED'));
    assert.throws(() => decodeTlv(fromHex('6180')), isCode('ERR_TLV_LENGTH'));
    assert.throws(() => decodeTlv(fromHex('6185FFFFFFFFFF')), isCode('ERR_TLV_LENGTH'));
    assert.throws(() => decodeTlv(fromHex('5F8181810100')), isCode('ERR_TLV_TAG'));
    assert.throws(() => decodeTlv(fromHex('0000')), isCode('ERR_TLV_TAG'));
    assert.throws(() => expectTlv(fromHex('610100FF'), 0x61, 'x'), isCode('ERR_TLV_UNEXPECTED'));
    assert.throws(() => expectTlv(fromHex('6100'), 0x62, 'x'), isCode('ERR_TLV_UNEXPECTED'));
    assert.throws(() => childrenOf(decodeTlv(fromHex('5F1F00'))), isCode('ERR_TLV_UNEXPECTED'));
  });

  it('round-trips tag, length and value (property)', () => {
    fc.assert(
      fc.property(tagArb, fc.uint8Array({ maxLength: 300 }), (tag, value) => {
        const t = decodeTlv(encodeTlv(tag, value));
        assert.equal(t.tag, tag);
        assert.deepEqual(t.value, value);
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips nested sequences (property)', () => {
    const leaf = fc.tuple(tagArb, fc.uint8Array({ maxLength: 20 })).map(([tag, v]) => encodeTlv(tag, v));
    fc.assert(
      fc.property(fc.array(leaf, { maxLength: 8 }), (leaves) => {
        const outer = encodeConstructed(0x7f61, leaves);
        const children = childrenOf(expectTlv(outer, 0x7f61, 'outer'));
        assert.deepEqual(
          children.map((c) => c.raw),
          leaves,
        );
        assert.deepEqual(decodeTlvSequence(concatBytes(...leaves)).length, leaves.length);
      }),
      { numRuns: 300 },
    );
  });

  it('throws only MrtdError on arbitrary bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          for (const t of decodeTlvSequence(bytes)) if (t.constructed) childrenOf(t);
        } catch (e) {
          if (!(e instanceof MrtdError)) throw e;
        }
      }),
      { numRuns: 1000 },
    );
  });
});
