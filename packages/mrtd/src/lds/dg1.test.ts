import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ascii, concatBytes } from '../bytes.ts';
import { MrtdError } from '../errors.ts';
import { parseMrz } from '../mrz/parse-mrz.ts';
import { decodeDg1, encodeDg1 } from './dg1.ts';

const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
const TD1 = [
  'I<UTOD23145890<7349<<<<<<<<<<<',
  '3407127M9507122UTO<<<<<<<<<<<2',
  'STEVENSON<<PETER<JOHN<<<<<<<<<',
];

describe('DG1 (ICAO 9303-10 §4.7.1)', () => {
  it('holds the MRZ lines concatenated under 61 / 5F1F', () => {
    const bytes = encodeDg1({ mrz: parseMrz(TD3) });
    assert.deepEqual(bytes.subarray(0, 5), Uint8Array.of(0x61, 0x5b, 0x5f, 0x1f, 0x58));
    assert.equal(ascii(bytes.subarray(5)), TD3.join(''));
  });

  it('round-trips TD3 and TD1 (long document number) with its encoder', () => {
    for (const lines of [TD3, TD1]) {
      const mrz = parseMrz(lines);
      assert.deepEqual(decodeDg1(encodeDg1({ mrz })), { mrz });
    }
  });

  it('rejects a DG1 whose MRZ fails its check digits', () => {
    const bytes = encodeDg1({ mrz: parseMrz(TD3) });
    const bad = bytes.slice();
    bad[bad.length - 1] = 0x39;
    assert.throws(
      () => decodeDg1(bad),
      (e: unknown) => e instanceof MrtdError && e.code === 'ERR_MRZ_CHECK_DIGIT',
    );
    assert.throws(() => decodeDg1(concatBytes(bytes, Uint8Array.of(0))), MrtdError);
    assert.throws(() => decodeDg1(Uint8Array.of(0x61, 0x02, 0x5f, 0x1e)), MrtdError);
  });
});
