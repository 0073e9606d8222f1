import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { checkMrz, findMrz, normaliseMrzLine } from './mrz-text.ts';

// ICAO Doc 9303-4 Appendix A specimen (TD3) and 9303-5 Appendix A specimen (TD1).
const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
const TD1 = [
  'I<UTOD231458907<<<<<<<<<<<<<<<',
  '7408122F1204159UTO<<<<<<<<<<<6',
  'ERIKSSON<<ANNA<MARIA<<<<<<<<<<',
];

test('accepts the ICAO specimens with every check digit valid; UTO is kept as a soft-invalid raw field', () => {
  const td3 = checkMrz(TD3, [0.9, 0.9]);
  assert.equal(td3?.format, 'TD3');
  assert.equal(td3?.fields['documentNumber'], 'L898902C3');
  assert.equal(td3?.fields['issuingState'], 'UTO');
  assert.ok(td3?.softInvalid.includes('issuingState'));
  const td1 = checkMrz(TD1, [0.9, 0.9, 0.9]);
  assert.equal(td1?.format, 'TD1');
  assert.equal(td1?.fields['birthDate'], '740812');
});

test('rejects a wrong check digit', () => {
  assert.equal(checkMrz([TD3[0]!, TD3[1]!.replace('7408122', '7408123')], [1, 1]), undefined);
});

test('autocorrects O/0 confusions in numeric fields and lowers the confidence', () => {
  const r = checkMrz([TD3[0]!, TD3[1]!.replace('7408122', '74O8122')], [1, 1]);
  assert.equal(r?.autocorrected, 1);
  assert.equal(r?.lines[1], TD3[1]);
  assert.ok(r!.confidence < 1);
});

test('findMrz picks the MRZ out of other OCR lines, joins split rows and restores dropped fillers', () => {
  const lines = [
    { text: 'PASSPORT UTOPIA', confidence: 0.99, box: { x0: 10, y0: 10, x1: 300, y1: 40 } },
    {
      text: 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<',
      confidence: 0.9,
      box: { x0: 20, y0: 500, x1: 900, y1: 540 },
    },
    { text: 'L898902C36UTO7408122F', confidence: 0.95, box: { x0: 20, y0: 560, x1: 480, y1: 600 } },
    { text: '1204159ZE184226B<<<<<10', confidence: 0.93, box: { x0: 500, y0: 562, x1: 960, y1: 601 } },
  ];
  const r = findMrz(lines);
  assert.deepEqual(r?.lines, TD3);
});

test('normaliseMrzLine keeps only MRZ characters', () => {
  assert.equal(normaliseMrzLine('p<uto eriksson«anna‹'), 'P<UTOERIKSSON<<ANNA<');
  fc.assert(
    fc.property(fc.string({ maxLength: 80 }), (s) => {
      assert.match(normaliseMrzLine(s), /^[A-Z0-9<]*$/);
    }),
    { numRuns: 500 },
  );
});

test('findMrz never throws on arbitrary OCR output', () => {
  const line = fc.record({
    text: fc.string({ maxLength: 60 }),
    confidence: fc.double({ min: 0, max: 1, noNaN: true }),
  });
  fc.assert(
    fc.property(fc.array(line, { maxLength: 6 }), (lines) => {
      findMrz(lines);
    }),
    { numRuns: 300 },
  );
});

test('fitLength stretches or shrinks a filler run so check digits can pick the right reading', () => {
  const line = TD3[1]!.replace('B<<<<<10', 'B<<<10');
  const r = findMrz([
    { text: TD3[0]!, confidence: 0.9 },
    { text: line, confidence: 0.9 },
  ]);
  assert.deepEqual(r?.lines, TD3);
});
