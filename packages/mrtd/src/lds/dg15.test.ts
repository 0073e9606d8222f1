import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fromHex } from '../bytes.ts';
import { MrtdError } from '../errors.ts';
import { decodeDg15, encodeDg15 } from './dg15.ts';

const vectors = JSON.parse(
  readFileSync(new URL('../../test/fixtures/vectors/icao9303-11.json', import.meta.url), 'utf8'),
) as { entries: { id: string; dg15?: string }[] };

describe('DG15 (ICAO 9303-10 §4.7.15)', () => {
  it('decodes the real RSA-1792 DG15 and re-encodes it byte for byte', () => {
    const bytes = fromHex(vectors.entries.find((e) => e.id === 'gmrtd-activeauth-rsa1792')?.dg15 ?? '');
    const dg15 = decodeDg15(bytes);
    assert.equal(dg15.algorithm, '1.2.840.113549.1.1.1');
    assert.equal(dg15.subjectPublicKeyInfo.length, bytes.length - 4);
    assert.deepEqual(encodeDg15(dg15), bytes);
  });

  it('rejects content that is not a SubjectPublicKeyInfo', () => {
    assert.throws(() => decodeDg15(fromHex('6F03020101')), MrtdError);
    assert.throws(() => decodeDg15(fromHex('6F0430020500')), MrtdError);
    assert.throws(() => decodeDg15(fromHex('6F00')), MrtdError);
  });
});
