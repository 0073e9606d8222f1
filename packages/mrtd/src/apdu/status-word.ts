// Status words (ISO/IEC 7816-4 §5.6) the eMRTD protocols meet, as named constants and a typed error.
import { MrtdError } from '../errors.ts';

export const SW = {
  OK: 0x9000,
  END_OF_FILE_WARNING: 0x6282,
  WRONG_LENGTH: 0x6700,
  SECURITY_STATUS_NOT_SATISFIED: 0x6982,
  AUTH_METHOD_BLOCKED: 0x6983,
  REFERENCE_DATA_NOT_USABLE: 0x6984,
  CONDITIONS_NOT_SATISFIED: 0x6985,
  SM_DATA_OBJECTS_MISSING: 0x6987,
  SM_DATA_OBJECTS_INCORRECT: 0x6988,
  WRONG_DATA: 0x6a80,
  FUNCTION_NOT_SUPPORTED: 0x6a81,
  FILE_NOT_FOUND: 0x6a82,
  INCORRECT_P1P2: 0x6a86,
  REFERENCED_DATA_NOT_FOUND: 0x6a88,
  WRONG_P1P2: 0x6b00,
  INS_NOT_SUPPORTED: 0x6d00,
  CLA_NOT_SUPPORTED: 0x6e00,
  UNKNOWN: 0x6f00,
} as const;

export type StatusWordName = keyof typeof SW;

const NAMES = new Map<number, StatusWordName>(
  (Object.entries(SW) as [StatusWordName, number][]).map(([k, v]) => [v, k]),
);

export function statusWordName(sw: number): string {
  const name = NAMES.get(sw);
  if (name) return name;
  if ((sw & 0xff00) === 0x6100) return 'BYTES_REMAINING';
  if ((sw & 0xff00) === 0x6c00) return 'WRONG_LE';
  if ((sw & 0xfff0) === 0x63c0) return 'COUNTER';
  return 'UNKNOWN';
}

export function isSuccess(sw: number): boolean {
  return sw === SW.OK || (sw & 0xff00) === 0x6100;
}

/** Throws ERR_CARD_STATUS (with the SW in details) unless `sw` is 9000. */
export function requireOk(sw: number, what: string): void {
  if (sw === SW.OK) return;
  throw new MrtdError(
    'ERR_CARD_STATUS',
    `${what}: card answered ${sw.toString(16).padStart(4, '0').toUpperCase()} (${statusWordName(sw)})`,
    { details: { sw } },
  );
}
