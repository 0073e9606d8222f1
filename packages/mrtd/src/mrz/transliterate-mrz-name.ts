// Turns a name as written (any case, Latin letters with diacritics) into MRZ name characters
// following the recommended transliterations of ICAO 9303-3 §6.
import { MrtdError } from '../errors.ts';

// ICAO 9303-3 §6 Table: letters that do not reduce to a plain letter by dropping the diacritic.
const SPECIAL: Readonly<Record<string, string>> = {
  Æ: 'AE',
  Ø: 'OE',
  Å: 'AA',
  Ä: 'AE',
  Ö: 'OE',
  Ü: 'UE',
  ß: 'SS',
  Þ: 'TH',
  Ð: 'D',
  Đ: 'D',
  Ł: 'L',
  Œ: 'OE',
  Ĳ: 'IJ',
  Ħ: 'H',
  Ŋ: 'N',
  Ŧ: 'T',
  ı: 'I',
};

/**
 * Upper-cases `name`, applies the ICAO 9303-3 §6 transliterations (Å→AA, Æ→AE, Ø→OE, Ü→UE, ß→SS, ...),
 * drops other diacritics, turns hyphens and spaces into single spaces and removes apostrophes and
 * periods (ICAO 9303-3 §4.6). Throws ERR_MRZ_CHARSET when a character has no transliteration.
 */
export function transliterateMrzName(name: string): string {
  let out = '';
  for (const ch of name.toUpperCase()) {
    const special = SPECIAL[ch];
    if (special !== undefined) {
      out += special;
      continue;
    }
    if (ch === "'" || ch === '’' || ch === '.' || ch === ',') continue;
    if (ch === '-' || /\s/.test(ch)) {
      out += ' ';
      continue;
    }
    const base = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    if (!/^[A-Z]+$/.test(base)) {
      throw new MrtdError('ERR_MRZ_CHARSET', `no MRZ transliteration for ${JSON.stringify(ch)}`, {
        details: { character: ch },
      });
    }
    out += base;
  }
  return out.trim().split(/\s+/).filter(Boolean).join(' ');
}
