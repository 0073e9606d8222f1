// Issuing countries offered on the country screen: ICAO 9303-3 codes (3 letters; Germany is "D") with
// their ISO 3166-1 alpha-2 code, so Intl.DisplayNames can name them in the person's language. The server's
// country policy decides what is accepted; this list only helps choosing.
import type { Locale } from '../i18n.ts';

const ICAO_TO_ALPHA2: Readonly<Record<string, string>> = {
  AFG: 'AF',
  ALB: 'AL',
  ARE: 'AE',
  ARG: 'AR',
  AUS: 'AU',
  AUT: 'AT',
  BEL: 'BE',
  BGD: 'BD',
  BGR: 'BG',
  BIH: 'BA',
  BRA: 'BR',
  CAN: 'CA',
  CHE: 'CH',
  CHL: 'CL',
  CHN: 'CN',
  COL: 'CO',
  CYP: 'CY',
  CZE: 'CZ',
  D: 'DE',
  DNK: 'DK',
  EGY: 'EG',
  ERI: 'ER',
  ESP: 'ES',
  EST: 'EE',
  ETH: 'ET',
  FIN: 'FI',
  FRA: 'FR',
  FRO: 'FO',
  GBR: 'GB',
  GHA: 'GH',
  GRC: 'GR',
  GRL: 'GL',
  HRV: 'HR',
  HUN: 'HU',
  IDN: 'ID',
  IND: 'IN',
  IRL: 'IE',
  IRN: 'IR',
  IRQ: 'IQ',
  ISL: 'IS',
  ISR: 'IL',
  ITA: 'IT',
  JPN: 'JP',
  KEN: 'KE',
  KOR: 'KR',
  LBN: 'LB',
  LIE: 'LI',
  LKA: 'LK',
  LTU: 'LT',
  LUX: 'LU',
  LVA: 'LV',
  MAR: 'MA',
  MEX: 'MX',
  MKD: 'MK',
  MLT: 'MT',
  NGA: 'NG',
  NLD: 'NL',
  NOR: 'NO',
  NPL: 'NP',
  NZL: 'NZ',
  PAK: 'PK',
  PHL: 'PH',
  POL: 'PL',
  PRT: 'PT',
  ROU: 'RO',
  RUS: 'RU',
  SOM: 'SO',
  SRB: 'RS',
  SVK: 'SK',
  SVN: 'SI',
  SWE: 'SE',
  SYR: 'SY',
  THA: 'TH',
  TUN: 'TN',
  TUR: 'TR',
  UKR: 'UA',
  USA: 'US',
  VNM: 'VN',
  ZAF: 'ZA',
};

/** The test country of development documents (ICAO's own example issuer). */
export const TEST_COUNTRY = 'UTO';

export interface CountryOption {
  readonly code: string;
  readonly name: string;
}

export function countryOptions(locale: Locale): CountryOption[] {
  // Greenlandic names are rarely in the browser's data: fall back to Danish, then English.
  let names: Intl.DisplayNames | undefined;
  try {
    names = new Intl.DisplayNames([locale, 'da', 'en'], { type: 'region', fallback: 'code' });
  } catch {
    names = undefined;
  }
  const collator = new Intl.Collator(locale === 'kl' ? ['kl', 'da'] : locale);
  return Object.entries(ICAO_TO_ALPHA2)
    .map(([code, alpha2]) => ({ code, name: names?.of(alpha2) ?? code }))
    .sort((a, b) => collator.compare(a.name, b.name));
}
