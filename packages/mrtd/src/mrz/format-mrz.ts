// Generates the MRZ lines of a TD1, TD2 or TD3 document from its fields, with every check digit
// (ICAO 9303-4 §4.2.2, 9303-5 §4.2.2, 9303-6 §4.2.2).
import { MrtdError } from '../errors.ts';
import { checkDigit } from './check-digit.ts';
import type { MrzFields } from './mrz.ts';

function bad(field: string, message: string): MrtdError {
  return new MrtdError('ERR_MRZ_FIELD', `${field}: ${message}`, { details: { field } });
}

function pad(s: string, length: number): string {
  return s.padEnd(length, '<');
}

function requireMatch(field: string, value: unknown, pattern: RegExp, what: string): string {
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw bad(field, `${JSON.stringify(value)} is not ${what}`);
  }
  return value;
}

function nameField(surname: string, givenNames: string, length: number): string {
  const words = (s: string): string => s.trim().split(/\s+/).filter(Boolean).join('<');
  const primary = words(surname);
  const secondary = words(givenNames);
  const joined = secondary.length > 0 ? `${primary}<<${secondary}` : primary;
  if (!/^[A-Z<]*$/.test(joined)) {
    throw new MrtdError('ERR_MRZ_CHARSET', 'names must be A-Z only (see transliterateMrzName)', {
      details: { field: 'name' },
    });
  }
  if (primary.length === 0 && secondary.length === 0) throw bad('name', 'surname and given names are empty');
  // ICAO 9303-3 §4.6: names that do not fit are truncated.
  return pad(joined.slice(0, length), length);
}

function documentNumberParts(
  documentNumber: string,
  optionalData: string,
  optionalLength: number,
  allowLong: boolean,
): { principal: string; digit: string; optional: string } {
  if (documentNumber.length <= 9) {
    const principal = pad(documentNumber, 9);
    return { principal, digit: String(checkDigit(principal)), optional: optionalData };
  }
  if (!allowLong) throw bad('documentNumber', 'longer than 9 characters, which only TD1 and TD2 allow');
  // The reader finds the end of the overflow at the first filler, so a long number cannot contain one.
  if (!/^[A-Z0-9]+$/.test(documentNumber))
    throw bad('documentNumber', 'a long document number cannot hold fillers');
  // ICAO 9303-5 §4.2.4 note j: nine characters, a filler for the check digit, the rest, its check digit, '<'.
  const overflow = `${documentNumber.slice(9)}${checkDigit(documentNumber)}<${optionalData}`;
  if (overflow.length > optionalLength) {
    throw bad('documentNumber', 'too long to fit with the optional data');
  }
  return { principal: documentNumber.slice(0, 9), digit: '<', optional: overflow };
}

/**
 * The MRZ lines for `fields`. Names are upper-case A-Z words separated by spaces; call
 * `transliterateMrzName` first for names with other letters. Throws ERR_MRZ_FIELD / ERR_MRZ_CHARSET.
 */
export function formatMrz(fields: MrzFields): string[] {
  const format = fields.format;
  if (format !== 'TD1' && format !== 'TD2' && format !== 'TD3')
    throw bad('format', 'must be TD1, TD2 or TD3');
  const documentCode = pad(
    requireMatch('documentCode', fields.documentCode, /^[A-Z][A-Z<]?$/, 'a document code'),
    2,
  );
  if (documentCode.startsWith('V')) throw bad('documentCode', 'visas are not supported');
  const state = /^[A-Z]{1,3}$/;
  const issuingState = pad(requireMatch('issuingState', fields.issuingState, state, 'a state code'), 3);
  const nationality = pad(requireMatch('nationality', fields.nationality, state, 'a state code'), 3);
  const documentNumber = requireMatch(
    'documentNumber',
    fields.documentNumber,
    /^[A-Z0-9][A-Z0-9<]{0,20}$/,
    'a document number',
  ).replace(/<+$/, '');
  const date = /^[0-9<]{6}$/;
  const dateOfBirth = requireMatch('dateOfBirth', fields.dateOfBirth, date, 'a YYMMDD date');
  const dateOfExpiry = requireMatch('dateOfExpiry', fields.dateOfExpiry, date, 'a YYMMDD date');
  const sex = { M: 'M', F: 'F', X: '<' }[requireMatch('sex', fields.sex, /^[MFX]$/, 'M, F or X')] ?? '<';
  const opt = /^[A-Z0-9<]*$/;
  const optionalData1 = requireMatch('optionalData1', fields.optionalData1 ?? '', opt, 'MRZ characters');
  const optionalData2 = requireMatch('optionalData2', fields.optionalData2 ?? '', opt, 'MRZ characters');
  const cd = (s: string): string => String(checkDigit(s));

  if (format === 'TD3') {
    if (optionalData1.length > 14) throw bad('optionalData1', 'longer than 14 characters');
    if (optionalData2.length > 0) throw bad('optionalData2', 'TD3 has no second optional data field');
    const doc = documentNumberParts(documentNumber, '', 0, false);
    const personal = pad(optionalData1, 14);
    // ICAO 9303-4 §4.2.2 note: an unused personal number field takes '<' as its check digit.
    const personalDigit = /^<+$/.test(personal) ? '<' : cd(personal);
    const head = `${doc.principal}${doc.digit}${nationality}${dateOfBirth}${cd(dateOfBirth)}`;
    const tail = `${dateOfExpiry}${cd(dateOfExpiry)}${personal}${personalDigit}`;
    const composite = cd(head.slice(0, 10) + head.slice(13) + tail);
    return [
      `${documentCode}${issuingState}${nameField(fields.surname, fields.givenNames, 39)}`,
      `${head}${sex}${tail}${composite}`,
    ];
  }
  if (format === 'TD2') {
    if (optionalData2.length > 0) throw bad('optionalData2', 'TD2 has no second optional data field');
    const doc = documentNumberParts(documentNumber, optionalData1, 7, true);
    if (doc.optional.length > 7) throw bad('optionalData1', 'longer than 7 characters');
    const head = `${doc.principal}${doc.digit}${nationality}${dateOfBirth}${cd(dateOfBirth)}`;
    const tail = `${dateOfExpiry}${cd(dateOfExpiry)}${pad(doc.optional, 7)}`;
    const composite = cd(head.slice(0, 10) + head.slice(13) + tail);
    return [
      `${documentCode}${issuingState}${nameField(fields.surname, fields.givenNames, 31)}`,
      `${head}${sex}${tail}${composite}`,
    ];
  }
  const doc = documentNumberParts(documentNumber, optionalData1, 15, true);
  if (doc.optional.length > 15) throw bad('optionalData1', 'longer than 15 characters');
  if (optionalData2.length > 11) throw bad('optionalData2', 'longer than 11 characters');
  const line1 = `${documentCode}${issuingState}${doc.principal}${doc.digit}${pad(doc.optional, 15)}`;
  const line2Head = `${dateOfBirth}${cd(dateOfBirth)}${sex}${dateOfExpiry}${cd(dateOfExpiry)}${nationality}`;
  const opt2 = pad(optionalData2, 11);
  // ICAO 9303-5 §4.2.2: line 1 positions 6-30, line 2 positions 1-7, 9-15, 19-29.
  const composite = cd(line1.slice(5) + line2Head.slice(0, 7) + line2Head.slice(8, 15) + opt2);
  return [line1, `${line2Head}${opt2}${composite}`, nameField(fields.surname, fields.givenNames, 30)];
}
