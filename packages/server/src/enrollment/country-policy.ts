// Which issuing countries' documents are accepted, and of which types. A passport of any ICAO member is
// accepted when its CSCA is in the trust store; national ID cards only from the EU/EEA (ICAO 9303 TD1 ID
// cards valid as travel documents here) and the test country UTO in development.
export type DocumentType = 'passport' | 'id-card';

const ID_CARD_COUNTRIES = new Set([
  'AUT',
  'BEL',
  'BGR',
  'HRV',
  'CYP',
  'CZE',
  'D',
  'DNK',
  'EST',
  'FIN',
  'FRA',
  'GRC',
  'HUN',
  'ISL',
  'IRL',
  'ITA',
  'LVA',
  'LIE',
  'LTU',
  'LUX',
  'MLT',
  'NLD',
  'NOR',
  'POL',
  'PRT',
  'ROU',
  'SVK',
  'SVN',
  'ESP',
  'SWE',
  'CHE',
]);

/** ICAO 9303-3 §5: three letters (Germany is the single letter D, padded with fillers in the MRZ). */
export function isIcaoCountryCode(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) || code === 'D';
}

export interface CountryPolicy {
  accepts(country: string, type: DocumentType): boolean;
}

export function defaultCountryPolicy(options: { allowTestCountry: boolean }): CountryPolicy {
  return {
    accepts(country, type) {
      if (!isIcaoCountryCode(country)) return false;
      if (country === 'UTO') return options.allowTestCountry;
      return type === 'passport' || ID_CARD_COUNTRIES.has(country);
    },
  };
}
