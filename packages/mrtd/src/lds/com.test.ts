import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromHex } from '../bytes.ts';
import { MrtdError } from '../errors.ts';
import { decodeCom, encodeCom } from './com.ts';

describe('EF.COM (ICAO 9303-10 §4.6.1)', () => {
  // ICAO 9303-10 example shape: LDS 1.7, Unicode 4.0.0, DG1, DG2, DG14, DG15.
  const bytes = fromHex('60165F0104303130375F3606303430303030 5C04 61756E6F');

  it('decodes versions and the tag list', () => {
    assert.deepEqual(decodeCom(bytes), {
      ldsVersion: '0107',
      unicodeVersion: '040000',
      dataGroups: [1, 2, 14, 15],
      tags: [0x61, 0x75, 0x6e, 0x6f],
    });
  });

  it('round-trips with its encoder', () => {
    assert.deepEqual(encodeCom({ dataGroups: [1, 2, 14, 15] }), bytes);
    const com = { ldsVersion: '0108', unicodeVersion: '040000', dataGroups: [1, 2, 3, 7, 11, 12, 14, 15] };
    const decoded = decodeCom(encodeCom(com));
    assert.deepEqual(decoded.dataGroups, com.dataGroups);
    assert.equal(decoded.ldsVersion, '0108');
  });

  it('keeps unknown tags out of dataGroups and rejects malformed files', () => {
    assert.deepEqual(decodeCom(fromHex('60135F0104303130375F36063034303030305C0161')).dataGroups, [1]);
    assert.deepEqual(decodeCom(fromHex('60135F0104303130375F36063034303030305C0199')).dataGroups, []);
    assert.throws(() => decodeCom(fromHex('600E5F0104303130375F3606303430303030')), MrtdError);
    assert.throws(() => decodeCom(fromHex('61135F0104303130375F36063034303030305C0161')), MrtdError);
    assert.throws(() => decodeCom(fromHex('60135F01043031303A5F36063034303030305C0161')), MrtdError);
    assert.throws(() => encodeCom({ dataGroups: [17] }), MrtdError);
  });
});
