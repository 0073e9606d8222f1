// The "MRZ information" that seeds the BAC keys and serves as the PACE MRZ password (ICAO 9303-11 §4.3.2, §4.4).
import { MrtdError } from '../errors.ts';
import { checkDigit } from './check-digit.ts';
import type { MrzFields } from './mrz.ts';

export type MrzInformationSource = Pick<MrzFields, 'documentNumber' | 'dateOfBirth' | 'dateOfExpiry'>;

/**
 * ICAO 9303-11 §4.3.2: document number ‖ its check digit ‖ date of birth ‖ check digit ‖ date of expiry ‖
 * check digit. A number shorter than nine characters is padded with '<'; a longer one (TD1/TD2 overflow) is
 * used whole, with the check digit over the whole number (ICAO 9303-5 §4.2.4 note j).
 */
export function mrzInformation(source: MrzInformationSource): string {
  const { documentNumber, dateOfBirth, dateOfExpiry } = source;
  if (
    typeof documentNumber !== 'string' ||
    !/^[A-Z0-9][A-Z0-9<]*$/.test(documentNumber) ||
    documentNumber.length > 22
  ) {
    throw new MrtdError('ERR_MRZ_FIELD', 'documentNumber must be 1-22 MRZ characters (A-Z, 0-9, <)', {
      details: { field: 'documentNumber' },
    });
  }
  for (const [field, value] of [
    ['dateOfBirth', dateOfBirth],
    ['dateOfExpiry', dateOfExpiry],
  ] as const) {
    if (typeof value !== 'string' || !/^[0-9<]{6}$/.test(value)) {
      throw new MrtdError('ERR_MRZ_FIELD', `${field} must be YYMMDD`, { details: { field } });
    }
  }
  const number = documentNumber.padEnd(9, '<');
  return `${number}${checkDigit(number)}${dateOfBirth}${checkDigit(dateOfBirth)}${dateOfExpiry}${checkDigit(dateOfExpiry)}`;
}
