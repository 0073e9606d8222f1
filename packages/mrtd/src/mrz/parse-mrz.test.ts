import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { MrtdError } from '../errors.ts';
import { parseMrz } from './parse-mrz.ts';

// ICAO 9303-4 Appendix A (TD3 specimen), 9303-5 Appendix A (TD1, also with a long document number),
// 9303-6 Appendix A (TD2).
const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
const TD1 = [
  'I<UTOD231458907<<<<<<<<<<<<<<<',
  '7408122F1204159UTO<<<<<<<<<<<6',
  'ERIKSSON<<ANNA<MARIA<<<<<<<<<<',
];
const TD1_LONG = [
  'I<UTOD23145890<7349<<<<<<<<<<<',
  '3407127M9507122UTO<<<<<<<<<<<2',
  'STEVENSON<<PETER<JOHN<<<<<<<<<',
];
const TD2 = ['I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<', 'D231458907UTO7408122F1204159<<<<<<<6'];

function code(c: string, details?: Record<string, unknown>) {
  return (e: unknown): boolean => {
    if (!(e instanceof MrtdError) || e.code !== c) return false;
    for (const [k, v] of Object.entries(details ?? {})) if (e.details?.[k] !== v) return false;
    return true;
  };
}

function replaceAt(line: string, position: number, ch: string): string {
  return line.slice(0, position - 1) + ch + line.slice(position);
}

describe('parseMrz', () => {
  it('parses the ICAO TD3 specimen', () => {
    const m = parseMrz(TD3);
    assert.deepEqual(m, {
      format: 'TD3',
      documentCode: 'P',
      issuingState: 'UTO',
      documentNumber: 'L898902C3',
      dateOfBirth: '740812',
      sex: 'F',
      dateOfExpiry: '120415',
      nationality: 'UTO',
      surname: 'ERIKSSON',
      givenNames: 'ANNA MARIA',
      optionalData1: 'ZE184226B',
      lines: TD3,
    });
  });

  it('parses the ICAO TD1 specimen', () => {
    const m = parseMrz(TD1);
    assert.equal(m.format, 'TD1');
    assert.equal(m.documentCode, 'I');
    assert.equal(m.documentNumber, 'D23145890');
    assert.equal(m.dateOfBirth, '740812');
    assert.equal(m.dateOfExpiry, '120415');
    assert.equal(m.sex, 'F');
    assert.equal(m.nationality, 'UTO');
    assert.equal(m.surname, 'ERIKSSON');
    assert.equal(m.givenNames, 'ANNA MARIA');
    assert.equal(m.optionalData1, '');
    assert.equal(m.optionalData2, '');
  });

  it('parses a TD1 document number longer than nine characters (ICAO 9303-5 §4.2.4 note j)', () => {
    const m = parseMrz(TD1_LONG);
    assert.equal(m.documentNumber, 'D23145890734');
    assert.equal(m.optionalData1, '');
    assert.equal(m.surname, 'STEVENSON');
    assert.equal(m.givenNames, 'PETER JOHN');
    assert.equal(m.sex, 'M');
  });

  it('parses the ICAO TD2 specimen', () => {
    const m = parseMrz(TD2);
    assert.equal(m.format, 'TD2');
    assert.equal(m.documentNumber, 'D23145890');
    assert.equal(m.givenNames, 'ANNA MARIA');
  });

  it('accepts one string with newlines, surrounding whitespace, or the DG1 concatenation', () => {
    assert.deepEqual(parseMrz(`  ${TD3[0]}\r\n  ${TD3[1]}  \n`), parseMrz(TD3));
    assert.deepEqual(parseMrz(TD1.join('')), parseMrz(TD1));
    assert.deepEqual(parseMrz(TD2.join('')).lines, TD2);
  });

  it("reads '<' and 'X' in the sex field as 'X'", () => {
    const lines = [TD1[0] ?? '', replaceAt(TD1[1] ?? '', 8, '<'), TD1[2] ?? ''];
    assert.equal(parseMrz(lines).sex, 'X');
  });

  it('accepts an unused TD3 personal number with check digit < or 0', () => {
    const base = 'L898902C36UTO7408122F1204159<<<<<<<<<<<<<<';
    assert.equal(parseMrz([TD3[0] ?? '', `${base}<8`]).optionalData1, '');
    assert.equal(parseMrz([TD3[0] ?? '', `${base}08`]).optionalData1, '');
  });

  it('names the field and position of a wrong check digit', () => {
    const cases: [number, number, string][] = [
      [2, 10, 'documentNumber'],
      [2, 20, 'dateOfBirth'],
      [2, 28, 'dateOfExpiry'],
      [2, 43, 'optionalData1'],
      [2, 44, 'composite'],
    ];
    for (const [line, position, field] of cases) {
      const lines = [...TD3];
      const old = lines[line - 1] ?? '';
      lines[line - 1] = replaceAt(old, position, old[position - 1] === '1' ? '2' : '1');
      assert.throws(() => parseMrz(lines), code('ERR_MRZ_CHECK_DIGIT', { field, line, position }), field);
    }
    const td1 = [...TD1];
    td1[0] = replaceAt(TD1[0] ?? '', 15, '8');
    assert.throws(
      () => parseMrz(td1),
      code('ERR_MRZ_CHECK_DIGIT', { field: 'documentNumber', line: 1, position: 15 }),
    );
    const td1c = [...TD1];
    td1c[1] = replaceAt(TD1[1] ?? '', 30, '5');
    assert.throws(
      () => parseMrz(td1c),
      code('ERR_MRZ_CHECK_DIGIT', { field: 'composite', line: 2, position: 30 }),
    );
    const long = [...TD1_LONG];
    long[0] = replaceAt(TD1_LONG[0] ?? '', 19, '8');
    assert.throws(
      () => parseMrz(long),
      code('ERR_MRZ_CHECK_DIGIT', { field: 'documentNumber', line: 1, position: 19 }),
    );
    const td2 = [...TD2];
    td2[1] = replaceAt(TD2[1] ?? '', 36, '0');
    assert.throws(
      () => parseMrz(td2),
      code('ERR_MRZ_CHECK_DIGIT', { field: 'composite', line: 2, position: 36 }),
    );
  });

  it('rejects a composite check digit that is not a digit', () => {
    assert.throws(
      () => parseMrz([TD3[0] ?? '', replaceAt(TD3[1] ?? '', 44, '<')]),
      code('ERR_MRZ_CHECK_DIGIT'),
    );
  });

  it('rejects lower case and other characters with their line and position', () => {
    assert.throws(
      () => parseMrz([TD3[0]?.toLowerCase() ?? '', TD3[1] ?? '']),
      code('ERR_MRZ_CHARSET', { line: 1, position: 1 }),
    );
    assert.throws(
      () => parseMrz([TD3[0] ?? '', replaceAt(TD3[1] ?? '', 5, ' ')]),
      code('ERR_MRZ_CHARSET', { line: 2, position: 5 }),
    );
  });

  it('rejects wrong shapes, bad fields and visas', () => {
    assert.throws(() => parseMrz(''), code('ERR_MRZ_FORMAT'));
    assert.throws(() => parseMrz([TD3[0] ?? '']), code('ERR_MRZ_FORMAT'));
    assert.throws(() => parseMrz([TD3[0] ?? '', TD2[1] ?? '']), code('ERR_MRZ_FORMAT'));
    assert.throws(() => parseMrz('P'.repeat(5000)), code('ERR_MRZ_FORMAT'));
    assert.throws(
      () => parseMrz([TD3[0] ?? '', replaceAt(TD3[1] ?? '', 21, 'Q')]),
      code('ERR_MRZ_FIELD', { field: 'sex', position: 21 }),
    );
    assert.throws(
      () => parseMrz([TD3[0] ?? '', replaceAt(TD3[1] ?? '', 15, 'A')]),
      code('ERR_MRZ_FIELD', { field: 'dateOfBirth' }),
    );
    assert.throws(
      () => parseMrz([replaceAt(TD3[0] ?? '', 3, '1'), TD3[1] ?? '']),
      code('ERR_MRZ_FIELD', { field: 'issuingState' }),
    );
    assert.throws(() => parseMrz([replaceAt(TD3[0] ?? '', 1, 'V'), TD3[1] ?? '']), code('ERR_MRZ_FORMAT'));
  });

  it('throws only MrtdError on arbitrary input (property)', () => {
    const mrzChar = fc.constantFrom(...'ABCXYZ0123456789<<<<<'.split(''));
    const shaped = fc.oneof(
      fc.array(fc.string({ unit: mrzChar, minLength: 30, maxLength: 30 }), { minLength: 3, maxLength: 3 }),
      fc.array(fc.string({ unit: mrzChar, minLength: 36, maxLength: 36 }), { minLength: 2, maxLength: 2 }),
      fc.array(fc.string({ unit: mrzChar, minLength: 44, maxLength: 44 }), { minLength: 2, maxLength: 2 }),
    );
    const mutated = fc
      .tuple(fc.constantFrom(TD1, TD2, TD3, TD1_LONG), fc.nat(200), fc.string({ minLength: 1, maxLength: 1 }))
      .map(([lines, at, ch]) => {
        const flat = lines.join('\n');
        const i = at % flat.length;
        return flat.slice(0, i) + ch + flat.slice(i + 1);
      });
    fc.assert(
      fc.property(fc.oneof(fc.string(), shaped, mutated), (input) => {
        try {
          parseMrz(input);
        } catch (e) {
          if (!(e instanceof MrtdError)) throw e;
        }
      }),
      { numRuns: 500 },
    );
  });
});
