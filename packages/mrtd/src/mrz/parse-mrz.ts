// Parses and validates a TD1, TD2 or TD3 machine readable zone: layout, character set, every check
// digit and the composite check digit (ICAO 9303-3 §4.9, 9303-4 §4.2.2, 9303-5 §4.2.2, 9303-6 §4.2.2).
import { MrtdError } from '../errors.ts';
import { checkDigit } from './check-digit.ts';
import type { Mrz, MrzFormat, MrzSex } from './mrz.ts';

/** Longer input cannot be an MRZ; refusing it early keeps hostile input cheap. */
const MAX_INPUT_LENGTH = 1000;

interface Where {
  readonly field: string;
  /** 1-based line number. */
  readonly line: number;
  /** 1-based character position within the line. */
  readonly position: number;
}

function fieldError(message: string, where: Where, extra?: Record<string, unknown>): MrtdError {
  return new MrtdError(
    'ERR_MRZ_FIELD',
    `${where.field} (line ${where.line}, position ${where.position}): ${message}`,
    {
      details: { ...where, ...extra },
    },
  );
}

function splitLines(text: string | readonly string[]): string[] {
  let raw: string[];
  if (typeof text === 'string') {
    if (text.length > MAX_INPUT_LENGTH)
      throw new MrtdError('ERR_MRZ_FORMAT', 'input is too long to be an MRZ');
    raw = text.split(/\r\n|\r|\n/);
  } else if (Array.isArray(text)) {
    if (text.length > 10) throw new MrtdError('ERR_MRZ_FORMAT', 'too many lines for an MRZ');
    raw = [];
    for (const t of text) {
      if (typeof t !== 'string') throw new MrtdError('ERR_MRZ_FORMAT', 'MRZ lines must be strings');
      if (t.length > MAX_INPUT_LENGTH) throw new MrtdError('ERR_MRZ_FORMAT', 'line is too long for an MRZ');
      raw.push(...t.split(/\r\n|\r|\n/));
    }
  } else {
    throw new MrtdError('ERR_MRZ_FORMAT', 'MRZ must be a string or an array of lines');
  }
  const lines = raw.map((l) => l.trim()).filter((l) => l.length > 0);
  // The chip's DG1 (and some scanners) hold the lines concatenated without separators.
  if (lines.length === 1) {
    const only = lines[0] ?? '';
    for (const { lines: n, length } of [
      { lines: 3, length: 30 },
      { lines: 2, length: 36 },
      { lines: 2, length: 44 },
    ]) {
      if (only.length === n * length) {
        return Array.from({ length: n }, (_, i) => only.slice(i * length, (i + 1) * length));
      }
    }
  }
  return lines;
}

function detectFormat(lines: readonly string[]): MrzFormat {
  const lengths = lines.map((l) => l.length);
  if (lines.length === 3 && lengths.every((n) => n === 30)) return 'TD1';
  if (lines.length === 2 && lengths.every((n) => n === 36)) return 'TD2';
  if (lines.length === 2 && lengths.every((n) => n === 44)) return 'TD3';
  throw new MrtdError(
    'ERR_MRZ_FORMAT',
    `expected 3 lines of 30 (TD1), 2 of 36 (TD2) or 2 of 44 (TD3) characters, got ${lines.length} line(s) of ${lengths.join('/')}`,
    { details: { lineLengths: lengths } },
  );
}

function checkCharset(lines: readonly string[]): void {
  for (let l = 0; l < lines.length; l++) {
    const line = lines[l] ?? '';
    for (let i = 0; i < line.length; i++) {
      const c = line.charCodeAt(i);
      const ok = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || c === 0x3c;
      if (!ok) {
        throw new MrtdError(
          'ERR_MRZ_CHARSET',
          `line ${l + 1}, position ${i + 1}: ${JSON.stringify(line[i])} is not an MRZ character (A-Z, 0-9, <)`,
          { details: { line: l + 1, position: i + 1, character: line[i] } },
        );
      }
    }
  }
}

/** Compares a check digit character with the digit computed over `value`. */
function verifyCheckDigit(value: string, digit: string, where: Where): void {
  if (!/^[0-9]$/.test(digit)) {
    throw new MrtdError(
      'ERR_MRZ_CHECK_DIGIT',
      `${where.field} (line ${where.line}, position ${where.position}): check digit ${JSON.stringify(digit)} is not a digit`,
      { details: { ...where, found: digit } },
    );
  }
  const expected = checkDigit(value);
  if (Number(digit) !== expected) {
    throw new MrtdError(
      'ERR_MRZ_CHECK_DIGIT',
      `${where.field} (line ${where.line}, position ${where.position}): check digit is ${digit}, expected ${expected}`,
      { details: { ...where, expected, found: Number(digit) } },
    );
  }
}

const stripFillers = (s: string): string => s.replace(/<+$/, '');

function parseDocumentCode(s: string, where: Where): string {
  if (!/^[A-Z][A-Z<]$/.test(s)) throw fieldError(`${JSON.stringify(s)} is not a document code`, where);
  // ICAO 9303-7: visas (MRV-A/MRV-B) have no composite check digit and another layout.
  if (s[0] === 'V') throw new MrtdError('ERR_MRZ_FORMAT', 'visa MRZs (MRV-A/MRV-B) are not supported');
  return stripFillers(s);
}

function parseStateCode(s: string, where: Where): string {
  // ICAO 9303-3 §5: three letters, or fewer padded with fillers ('D<<').
  if (!/^[A-Z]{1,3}<*$/.test(s)) throw fieldError(`${JSON.stringify(s)} is not a state code`, where);
  return stripFillers(s);
}

function parseDate(s: string, where: Where): string {
  // ICAO 9303-3 §4.8: YYMMDD; unknown parts are fillers.
  if (!/^[0-9<]{6}$/.test(s)) throw fieldError(`${JSON.stringify(s)} is not a YYMMDD date`, where);
  return s;
}

function parseSex(s: string, where: Where): MrzSex {
  if (s === 'M' || s === 'F') return s;
  if (s === '<' || s === 'X') return 'X';
  throw fieldError(`${JSON.stringify(s)} is not M, F or <`, where);
}

function parseName(s: string, where: Where): { surname: string; givenNames: string } {
  // ICAO 9303-4 §4.2.2: primary identifier, '<<', secondary identifier; single '<' separates name parts.
  const trimmed = stripFillers(s);
  const sep = trimmed.indexOf('<<');
  const primary = sep < 0 ? trimmed : trimmed.slice(0, sep);
  const secondary = sep < 0 ? '' : trimmed.slice(sep + 2);
  const words = (x: string): string =>
    x
      .split('<')
      .filter((w) => w.length > 0)
      .join(' ');
  if (/[0-9]/.test(trimmed)) throw fieldError('names cannot contain digits', where);
  return { surname: words(primary), givenNames: words(secondary) };
}

/**
 * The document number with its check digit. When the check digit position holds a filler and the nine
 * positions are full, the number continues in the optional data field, followed by its check digit and
 * a filler (ICAO 9303-5 §4.2.4 note j; 9303-6 §4.2.4 likewise for TD2).
 */
function parseDocumentNumber(
  principal: string,
  digit: string,
  optional: string,
  at: { line: number; start: number; digit: number; optionalStart: number },
): { documentNumber: string; optionalData: string } {
  const where: Where = { field: 'documentNumber', line: at.line, position: at.start };
  if (!/^[A-Z0-9<]{9}$/.test(principal) || principal[0] === '<') {
    throw fieldError(`${JSON.stringify(principal)} is not a document number`, where);
  }
  if (digit === '<' && !principal.includes('<')) {
    const end = optional.indexOf('<');
    if (end < 2) {
      throw fieldError('a document number overflow must be followed by its check digit and a filler', {
        ...where,
        position: at.optionalStart,
      });
    }
    const documentNumber = principal + optional.slice(0, end - 1);
    verifyCheckDigit(documentNumber, optional[end - 1] ?? '', {
      field: 'documentNumber',
      line: at.line,
      position: at.optionalStart + end - 1,
    });
    return { documentNumber, optionalData: stripFillers(optional.slice(end + 1)) };
  }
  verifyCheckDigit(principal, digit, { field: 'documentNumber', line: at.line, position: at.digit });
  return { documentNumber: stripFillers(principal), optionalData: stripFillers(optional) };
}

function verifyComposite(value: string, digit: string, line: number, position: number): void {
  verifyCheckDigit(value, digit, { field: 'composite', line, position });
}

/**
 * The fields TD2 and TD3 place alike (ICAO 9303-4 and 9303-5 §4.2.2): line 1 up to the end of the name,
 * line 2 positions 11-27. The date check digits at 20 and 28 are verified by verifyTd2Td3Dates.
 */
function parseTd2Td3Fields(l1: string, l2: string, nameEnd: number) {
  const documentCode = parseDocumentCode(l1.slice(0, 2), { field: 'documentCode', line: 1, position: 1 });
  const issuingState = parseStateCode(l1.slice(2, 5), { field: 'issuingState', line: 1, position: 3 });
  const name = parseName(l1.slice(5, nameEnd), { field: 'name', line: 1, position: 6 });
  const nationality = parseStateCode(l2.slice(10, 13), { field: 'nationality', line: 2, position: 11 });
  const dateOfBirth = parseDate(l2.slice(13, 19), { field: 'dateOfBirth', line: 2, position: 14 });
  const sex = parseSex(l2.slice(20, 21), { field: 'sex', line: 2, position: 21 });
  const dateOfExpiry = parseDate(l2.slice(21, 27), { field: 'dateOfExpiry', line: 2, position: 22 });
  return { documentCode, issuingState, name, nationality, dateOfBirth, sex, dateOfExpiry };
}

function verifyTd2Td3Dates(l2: string, f: { dateOfBirth: string; dateOfExpiry: string }): void {
  verifyCheckDigit(f.dateOfBirth, l2.slice(19, 20), { field: 'dateOfBirth', line: 2, position: 20 });
  verifyCheckDigit(f.dateOfExpiry, l2.slice(27, 28), { field: 'dateOfExpiry', line: 2, position: 28 });
}

function parseTd3(lines: readonly string[]): Mrz {
  const l1 = lines[0] ?? '';
  const l2 = lines[1] ?? '';
  const f = parseTd2Td3Fields(l1, l2, 44);
  // ICAO 9303-4 §4.2.2: TD3 has no document number overflow.
  const principal = l2.slice(0, 9);
  if (!/^[A-Z0-9][A-Z0-9<]{8}$/.test(principal)) {
    throw fieldError(`${JSON.stringify(principal)} is not a document number`, {
      field: 'documentNumber',
      line: 2,
      position: 1,
    });
  }
  verifyCheckDigit(principal, l2.slice(9, 10), { field: 'documentNumber', line: 2, position: 10 });
  verifyTd2Td3Dates(l2, f);
  const personal = l2.slice(28, 42);
  const personalDigit = l2.slice(42, 43);
  // ICAO 9303-4 §4.2.2 note: an unused personal number field may carry '<' or 0 as its check digit.
  if (!(/^<+$/.test(personal) && (personalDigit === '<' || personalDigit === '0'))) {
    verifyCheckDigit(personal, personalDigit, { field: 'optionalData1', line: 2, position: 43 });
  }
  verifyComposite(l2.slice(0, 10) + l2.slice(13, 20) + l2.slice(21, 43), l2.slice(43, 44), 2, 44);
  return {
    format: 'TD3',
    documentCode: f.documentCode,
    issuingState: f.issuingState,
    documentNumber: stripFillers(principal),
    dateOfBirth: f.dateOfBirth,
    sex: f.sex,
    dateOfExpiry: f.dateOfExpiry,
    nationality: f.nationality,
    ...f.name,
    optionalData1: stripFillers(personal),
    lines: [l1, l2],
  };
}

function parseTd2(lines: readonly string[]): Mrz {
  const l1 = lines[0] ?? '';
  const l2 = lines[1] ?? '';
  const f = parseTd2Td3Fields(l1, l2, 36);
  const doc = parseDocumentNumber(l2.slice(0, 9), l2.slice(9, 10), l2.slice(28, 35), {
    line: 2,
    start: 1,
    digit: 10,
    optionalStart: 29,
  });
  verifyTd2Td3Dates(l2, f);
  verifyComposite(l2.slice(0, 10) + l2.slice(13, 20) + l2.slice(21, 35), l2.slice(35, 36), 2, 36);
  return {
    format: 'TD2',
    documentCode: f.documentCode,
    issuingState: f.issuingState,
    documentNumber: doc.documentNumber,
    dateOfBirth: f.dateOfBirth,
    sex: f.sex,
    dateOfExpiry: f.dateOfExpiry,
    nationality: f.nationality,
    ...f.name,
    optionalData1: doc.optionalData,
    lines: [l1, l2],
  };
}

function parseTd1(lines: readonly string[]): Mrz {
  const l1 = lines[0] ?? '';
  const l2 = lines[1] ?? '';
  const l3 = lines[2] ?? '';
  const documentCode = parseDocumentCode(l1.slice(0, 2), { field: 'documentCode', line: 1, position: 1 });
  const issuingState = parseStateCode(l1.slice(2, 5), { field: 'issuingState', line: 1, position: 3 });
  const dateOfBirth = parseDate(l2.slice(0, 6), { field: 'dateOfBirth', line: 2, position: 1 });
  const sex = parseSex(l2.slice(7, 8), { field: 'sex', line: 2, position: 8 });
  const dateOfExpiry = parseDate(l2.slice(8, 14), { field: 'dateOfExpiry', line: 2, position: 9 });
  const nationality = parseStateCode(l2.slice(15, 18), { field: 'nationality', line: 2, position: 16 });
  const name = parseName(l3, { field: 'name', line: 3, position: 1 });
  const doc = parseDocumentNumber(l1.slice(5, 14), l1.slice(14, 15), l1.slice(15, 30), {
    line: 1,
    start: 6,
    digit: 15,
    optionalStart: 16,
  });
  verifyCheckDigit(dateOfBirth, l2.slice(6, 7), { field: 'dateOfBirth', line: 2, position: 7 });
  verifyCheckDigit(dateOfExpiry, l2.slice(14, 15), { field: 'dateOfExpiry', line: 2, position: 15 });
  // ICAO 9303-5 §4.2.2: the composite covers line 1 positions 6-30 and line 2 positions 1-7, 9-15, 19-29.
  verifyComposite(
    l1.slice(5, 30) + l2.slice(0, 7) + l2.slice(8, 15) + l2.slice(18, 29),
    l2.slice(29, 30),
    2,
    30,
  );
  return {
    format: 'TD1',
    documentCode,
    issuingState,
    documentNumber: doc.documentNumber,
    dateOfBirth,
    sex,
    dateOfExpiry,
    nationality,
    ...name,
    optionalData1: doc.optionalData,
    optionalData2: stripFillers(l2.slice(18, 29)),
    lines: [l1, l2, l3],
  };
}

/**
 * Parses an MRZ given as lines or as one string (lines separated by newlines, or concatenated as in DG1).
 * Surrounding whitespace is ignored; everything else is strict: upper case only, every check digit must
 * match. Throws MrtdError ERR_MRZ_FORMAT / ERR_MRZ_CHARSET / ERR_MRZ_FIELD / ERR_MRZ_CHECK_DIGIT whose
 * details name the field, the 1-based line and position.
 */
export function parseMrz(text: string | readonly string[]): Mrz {
  const lines = splitLines(text);
  const format = detectFormat(lines);
  checkCharset(lines);
  if (format === 'TD1') return parseTd1(lines);
  if (format === 'TD2') return parseTd2(lines);
  return parseTd3(lines);
}
