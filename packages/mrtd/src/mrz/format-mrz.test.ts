import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { MrtdError } from '../errors.ts';
import { formatMrz } from './format-mrz.ts';
import type { MrzFields, MrzFormat } from './mrz.ts';
import { parseMrz } from './parse-mrz.ts';
import { transliterateMrzName } from './transliterate-mrz-name.ts';

const ANNA = {
  documentCode: 'P',
  issuingState: 'UTO',
  documentNumber: 'L898902C3',
  dateOfBirth: '740812',
  sex: 'F',
  dateOfExpiry: '120415',
  nationality: 'UTO',
  surname: 'ERIKSSON',
  givenNames: 'ANNA MARIA',
} as const;

describe('formatMrz', () => {
  it('generates the ICAO TD3 specimen', () => {
    assert.deepEqual(formatMrz({ ...ANNA, format: 'TD3', optionalData1: 'ZE184226B' }), [
      'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<',
      'L898902C36UTO7408122F1204159ZE184226B<<<<<10',
    ]);
  });

  it('generates the ICAO TD1 and TD2 specimens', () => {
    const id = { ...ANNA, documentCode: 'I', documentNumber: 'D23145890', optionalData1: '' };
    assert.deepEqual(formatMrz({ ...id, format: 'TD1' }), [
      'I<UTOD231458907<<<<<<<<<<<<<<<',
      '7408122F1204159UTO<<<<<<<<<<<6',
      'ERIKSSON<<ANNA<MARIA<<<<<<<<<<',
    ]);
    assert.deepEqual(formatMrz({ ...id, format: 'TD2' }), [
      'I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<',
      'D231458907UTO7408122F1204159<<<<<<<6',
    ]);
  });

  it('generates the ICAO TD1 specimen with a long document number', () => {
    assert.deepEqual(
      formatMrz({
        format: 'TD1',
        documentCode: 'I',
        issuingState: 'UTO',
        documentNumber: 'D23145890734',
        dateOfBirth: '340712',
        sex: 'M',
        dateOfExpiry: '950712',
        nationality: 'UTO',
        surname: 'STEVENSON',
        givenNames: 'PETER JOHN',
        optionalData1: '',
      }),
      ['I<UTOD23145890<7349<<<<<<<<<<<', '3407127M9507122UTO<<<<<<<<<<<2', 'STEVENSON<<PETER<JOHN<<<<<<<<<'],
    );
  });

  it('rejects what no MRZ can hold', () => {
    const td3 = { ...ANNA, format: 'TD3' as const, optionalData1: '' };
    assert.throws(() => formatMrz({ ...td3, documentNumber: 'D23145890734' }), MrtdError);
    assert.throws(() => formatMrz({ ...td3, surname: 'Eriksson' }), MrtdError);
    assert.throws(() => formatMrz({ ...td3, dateOfBirth: '7408' }), MrtdError);
    assert.throws(() => formatMrz({ ...td3, optionalData1: 'X'.repeat(15) }), MrtdError);
    assert.throws(() => formatMrz({ ...td3, format: 'TD2', documentNumber: 'D23145890734567' }), MrtdError);
  });

  it('round-trips with parseMrz (property)', () => {
    const word = fc.string({
      unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('')),
      minLength: 1,
      maxLength: 6,
    });
    const words = (max: number) => fc.array(word, { minLength: 1, maxLength: max }).map((w) => w.join(' '));
    const alnum = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.split(''));
    const optChar = fc.constantFrom(...'ABZ059<'.split(''));
    const optional = (max: number) =>
      fc.string({ unit: optChar, maxLength: max }).map((s) => s.replace(/<+$/, ''));
    const date = fc.string({ unit: fc.constantFrom(...'0123456789'.split('')), minLength: 6, maxLength: 6 });
    const state = fc.string({ unit: fc.constantFrom(...'ABCDUTOZ'.split('')), minLength: 1, maxLength: 3 });
    const fields = fc
      .record({
        format: fc.constantFrom<MrzFormat>('TD1', 'TD2', 'TD3'),
        documentCode: fc.constantFrom('P', 'I', 'ID', 'AC', 'PD'),
        issuingState: state,
        nationality: state,
        shortNumber: fc.string({ unit: alnum, minLength: 1, maxLength: 9 }),
        longTail: fc.string({ unit: alnum, minLength: 1, maxLength: 3 }),
        useLong: fc.boolean(),
        dateOfBirth: date,
        dateOfExpiry: date,
        sex: fc.constantFrom('M', 'F', 'X') as fc.Arbitrary<'M' | 'F' | 'X'>,
        surname: words(2),
        givenNames: fc.oneof(fc.constant(''), words(2)),
        optionalData1: optional(7),
        optionalData2: optional(11),
      })
      .map((r): MrzFields => {
        const long = r.useLong && r.format !== 'TD3' && r.shortNumber.length === 9;
        const documentNumber = long ? r.shortNumber + r.longTail : r.shortNumber;
        const opt1 = long
          ? r.optionalData1.slice(0, r.format === 'TD2' ? 5 - r.longTail.length : 7)
          : r.optionalData1;
        return {
          format: r.format,
          documentCode: r.documentCode,
          issuingState: r.issuingState,
          nationality: r.nationality,
          documentNumber,
          dateOfBirth: r.dateOfBirth,
          dateOfExpiry: r.dateOfExpiry,
          sex: r.sex,
          surname: r.surname,
          givenNames: r.givenNames,
          optionalData1: opt1.replace(/<+$/, ''),
          ...(r.format === 'TD1' ? { optionalData2: r.optionalData2 } : {}),
        };
      });
    fc.assert(
      fc.property(fields, (f) => {
        const lines = formatMrz(f);
        const { lines: parsedLines, ...parsed } = parseMrz(lines);
        assert.deepEqual(parsed, f);
        assert.deepEqual(parsedLines, lines);
      }),
      { numRuns: 500 },
    );
  });
});

describe('transliterateMrzName (ICAO 9303-3 §6)', () => {
  it('applies the recommended transliterations', () => {
    assert.equal(transliterateMrzName('Søren Kierkegaard'), 'SOEREN KIERKEGAARD');
    assert.equal(transliterateMrzName('Ærø-Ålborg'), 'AEROE AALBORG');
    assert.equal(transliterateMrzName("O'Brien"), 'OBRIEN');
    assert.equal(transliterateMrzName('Müller-Lüdenscheidt'), 'MUELLER LUEDENSCHEIDT');
    assert.equal(transliterateMrzName('José  Ñúñez'), 'JOSE NUNEZ');
    assert.equal(transliterateMrzName('Straße'), 'STRASSE');
  });

  it('rejects characters it cannot transliterate', () => {
    assert.throws(() => transliterateMrzName('Иван'), MrtdError);
    assert.throws(() => transliterateMrzName('A1'), MrtdError);
  });
});
