// The parsed machine readable zone of a TD1, TD2 or TD3 document (ICAO 9303 parts 4, 5 and 6).

export type MrzFormat = 'TD1' | 'TD2' | 'TD3';

/** ICAO 9303-4 §4.2.2: F, M or '<' (unspecified), which this library reports as 'X'. */
export type MrzSex = 'M' | 'F' | 'X';

/** Characters per line and number of lines of each format (ICAO 9303-4 §4.2, 9303-5 §4.2, 9303-6 §4.2). */
export const MRZ_SHAPE: Readonly<Record<MrzFormat, { lines: number; length: number }>> = {
  TD1: { lines: 3, length: 30 },
  TD2: { lines: 2, length: 36 },
  TD3: { lines: 2, length: 44 },
};

/** The fields of an MRZ with the fillers removed; what `formatMrz` takes and `parseMrz` returns. */
export interface MrzFields {
  readonly format: MrzFormat;
  /** 'P', 'I', 'ID', 'AC', ... (trailing filler removed). */
  readonly documentCode: string;
  /** Three-letter code of the issuing state or organisation, fillers removed ('D' for Germany). */
  readonly issuingState: string;
  /** The whole document number, also when longer than nine characters (TD1 and TD2 only). */
  readonly documentNumber: string;
  /** YYMMDD; unknown parts are '<' (ICAO 9303-3 §4.8). */
  readonly dateOfBirth: string;
  readonly sex: MrzSex;
  /** YYMMDD. */
  readonly dateOfExpiry: string;
  readonly nationality: string;
  /** Primary identifier; '<' inside it read as a space. */
  readonly surname: string;
  /** Secondary identifier, names separated by single spaces; '' when absent. */
  readonly givenNames: string;
  /**
   * TD3: the personal number field (positions 29-42 of line 2). TD2: positions 29-35 of line 2.
   * TD1: positions 16-30 of line 1 after any document number overflow. Trailing fillers removed.
   */
  readonly optionalData1: string;
  /** TD1 only: positions 19-29 of line 2, trailing fillers removed. */
  readonly optionalData2?: string;
}

export interface Mrz extends MrzFields {
  /** The MRZ lines as read (trimmed). */
  readonly lines: readonly string[];
}
