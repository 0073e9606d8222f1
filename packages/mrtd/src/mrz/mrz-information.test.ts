import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { MrtdError } from '../errors.ts';
import { formatMrz } from './format-mrz.ts';
import { mrzInformation } from './mrz-information.ts';
import { parseMrz } from './parse-mrz.ts';

interface VectorMrz {
  documentNumber: string;
  dateOfBirth: string;
  dateOfExpiry: string;
  mrzInformation: string;
}
const vectors = JSON.parse(
  readFileSync(new URL('../../test/fixtures/vectors/icao9303-11.json', import.meta.url), 'utf8'),
) as { entries: { id: string; mrz?: VectorMrz }[] };

function vector(id: string): VectorMrz {
  const mrz = vectors.entries.find((e) => e.id === id)?.mrz;
  assert.ok(mrz, id);
  return mrz;
}

describe('mrzInformation (ICAO 9303-11 §4.3.2)', () => {
  it('reproduces the BAC worked example of Appendix D from a parsed MRZ', () => {
    const v = vector('icao9303-11-appendixD-bac');
    const lines = formatMrz({
      format: 'TD3',
      documentCode: 'P',
      issuingState: 'UTO',
      documentNumber: v.documentNumber,
      dateOfBirth: v.dateOfBirth,
      sex: 'F',
      dateOfExpiry: v.dateOfExpiry,
      nationality: 'UTO',
      surname: 'ERIKSSON',
      givenNames: 'ANNA MARIA',
      optionalData1: '',
    });
    assert.equal(mrzInformation(parseMrz(lines)), v.mrzInformation);
    assert.equal(v.mrzInformation, 'L898902C<369080619406236');
  });

  it('reproduces the PACE worked example of Appendix G.1', () => {
    const v = vector('icao9303-11-appendixG1-pace-ecdh-gm');
    assert.equal(mrzInformation(v), v.mrzInformation);
  });

  it('uses the whole long TD1 document number with its check digit', () => {
    const m = parseMrz([
      'I<UTOD23145890<7349<<<<<<<<<<<',
      '3407127M9507122UTO<<<<<<<<<<<2',
      'STEVENSON<<PETER<JOHN<<<<<<<<<',
    ]);
    assert.equal(mrzInformation(m), 'D23145890734934071279507122');
  });

  it('rejects fields that are not MRZ characters', () => {
    assert.throws(
      () => mrzInformation({ documentNumber: 'l898', dateOfBirth: '690806', dateOfExpiry: '940623' }),
      MrtdError,
    );
    assert.throws(
      () => mrzInformation({ documentNumber: 'L898', dateOfBirth: '69086', dateOfExpiry: '940623' }),
      MrtdError,
    );
    assert.throws(
      () => mrzInformation({ documentNumber: '', dateOfBirth: '690806', dateOfExpiry: '940623' }),
      MrtdError,
    );
  });
});
