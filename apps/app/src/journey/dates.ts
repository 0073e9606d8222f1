// Dates between the form's ISO date inputs and the MRZ's YYMMDD (ICAO 9303-3 §4.6).

/** 2031-04-15 → 310415; anything else → '' (the form then says the field is missing). */
export function toYymmdd(isoDate: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(isoDate)
    ? `${isoDate.slice(2, 4)}${isoDate.slice(5, 7)}${isoDate.slice(8, 10)}`
    : '';
}
