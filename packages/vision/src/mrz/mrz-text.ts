// From OCR text lines to a checked MRZ (ICAO Doc 9303-3 §4.9 check digits; layouts in 9303-4
// (TD3), 9303-5 (TD1), 9303-6 (TD2)). Pure functions, so they are tested without the OCR model.

import { type ParseResult, parse } from 'mrz';

export type MrzFormat = 'TD1' | 'TD2' | 'TD3';

export interface OcrLine {
  text: string;
  /** recogniser confidence, 0-1 */
  confidence: number;
  /** [x, y] of the box's top-left and bottom-right, or undefined when the engine has no boxes */
  box?: { x0: number; y0: number; x1: number; y1: number };
}

export interface MrzReading {
  format: MrzFormat;
  /** The MRZ lines as read and corrected; feed these to a strict MRZ parser (e.g. @tillid/mrtd). */
  lines: string[];
  /** Field values; fields mrz rejects for non-check reasons (e.g. test state "UTO") keep their raw text. */
  fields: Record<string, string>;
  /** Mean OCR confidence of the MRZ lines, lowered by 2 % per autocorrected character. */
  confidence: number;
  autocorrected: number;
  /** Fields mrz flags as invalid although every check digit holds (unknown state code, ...). */
  softInvalid: string[];
}

const LAYOUTS: Record<MrzFormat, { lines: number; length: number }> = {
  TD1: { lines: 3, length: 30 },
  TD2: { lines: 2, length: 36 },
  TD3: { lines: 2, length: 44 },
};

/** Upper-cases and maps the recogniser's usual confusions for the OCR-B '<' filler. */
export function normaliseMrzLine(text: string): string {
  return text
    .toUpperCase()
    .replace(/[«≪]/g, '<<')
    .replace(/[‹〈く(（{[]/g, '<')
    .replace(/[×✕]/g, 'X')
    .replace(/\s+/g, '')
    .replace(/[^A-Z0-9<]/g, '');
}

/** Joins OCR boxes that sit on the same text row (a long MRZ line is sometimes split). */
export function joinRows(lines: readonly OcrLine[]): OcrLine[] {
  const withBox = lines.filter((l) => l.box !== undefined);
  if (withBox.length !== lines.length) return [...lines];
  const sorted = [...lines].sort((a, b) => a.box!.y0 + a.box!.y1 - (b.box!.y0 + b.box!.y1));
  const rows: OcrLine[][] = [];
  for (const line of sorted) {
    const row = rows.at(-1);
    const centre = (line.box!.y0 + line.box!.y1) / 2;
    const last = row?.at(-1);
    if (row && last && centre > last.box!.y0 && centre < last.box!.y1) row.push(line);
    else rows.push([line]);
  }
  return rows.map((row) => {
    row.sort((a, b) => a.box!.x0 - b.box!.x0);
    const chars = row.reduce((n, l) => n + l.text.length, 0);
    return {
      text: row.map((l) => l.text).join(''),
      confidence: row.reduce((s, l) => s + l.confidence * l.text.length, 0) / Math.max(1, chars),
      box: {
        x0: Math.min(...row.map((l) => l.box!.x0)),
        y0: Math.min(...row.map((l) => l.box!.y0)),
        x1: Math.max(...row.map((l) => l.box!.x1)),
        y1: Math.max(...row.map((l) => l.box!.y1)),
      },
    };
  });
}

/**
 * Candidate readings of a line at the layout length. OCR miscounts long filler runs and drops or
 * adds trailing fillers, so we pad/trim the end or stretch/shrink one filler run; the check digits
 * then decide which candidate is right.
 */
export function fitLength(line: string, length: number): string[] {
  if (line.length === length) return [line];
  const delta = length - line.length;
  if (Math.abs(delta) > 8) return [];
  const out = new Set<string>();
  if (delta > 0) out.add(line + '<'.repeat(delta));
  for (const run of line.matchAll(/<{2,}/g)) {
    const start = run.index;
    const size = run[0].length;
    if (size + delta < 1) continue;
    out.add(line.slice(0, start) + '<'.repeat(size + delta) + line.slice(start + size));
  }
  return [...out].filter((l) => l.length === length);
}

/** Tries every layout on every run of consecutive candidate lines; returns the best checked MRZ. */
export function findMrz(ocrLines: readonly OcrLine[]): MrzReading | undefined {
  const rows = joinRows(ocrLines)
    .map((l) => ({ ...l, text: normaliseMrzLine(l.text) }))
    .filter((l) => l.text.length >= 20);
  let best: MrzReading | undefined;
  for (const format of ['TD3', 'TD1', 'TD2'] as const) {
    const layout = LAYOUTS[format];
    for (let start = 0; start + layout.lines <= rows.length; start++) {
      const group = rows.slice(start, start + layout.lines);
      const options = group.map((l) => fitLength(l.text, layout.length));
      const confidences = group.map((l) => l.confidence);
      for (const lines of combinations(options)) {
        const reading = checkMrz(lines, confidences);
        if (reading && reading.format === format && (!best || reading.confidence > best.confidence))
          best = reading;
      }
    }
  }
  return best;
}

/** Cartesian product of per-line candidates, capped: each line has only a handful. */
function combinations(options: readonly string[][]): string[][] {
  let out: string[][] = [[]];
  for (const choices of options) {
    out = out.flatMap((prefix) => choices.map((c) => [...prefix, c])).slice(0, 256);
  }
  return out;
}

/** Parses with autocorrect and accepts only if every check digit holds. */
export function checkMrz(lines: readonly string[], confidences: readonly number[]): MrzReading | undefined {
  let result: ParseResult;
  try {
    result = parse(lines, { autocorrect: true });
  } catch {
    return undefined; // mrz throws plain errors for unknown layouts: not an MRZ
  }
  if (result.format !== 'TD1' && result.format !== 'TD2' && result.format !== 'TD3') return undefined;
  const checks = result.details.filter((d) => d.field?.endsWith('CheckDigit'));
  if (checks.length === 0 || checks.some((d) => !d.valid)) return undefined;
  const corrected = correctedLines(lines, result);
  const fields: Record<string, string> = {};
  const softInvalid: string[] = [];
  for (const d of result.details) {
    if (!d.field) continue;
    if (!d.valid) softInvalid.push(d.field);
    const raw = corrected[d.line]?.slice(d.start, d.end) ?? '';
    fields[d.field] = d.valid && d.value !== null ? d.value : raw.replace(/<+$/, '');
  }
  const autocorrected = result.details.reduce((n, d) => n + d.autocorrect.length, 0);
  const mean = confidences.reduce((s, c) => s + c, 0) / Math.max(1, confidences.length);
  return {
    format: result.format,
    lines: corrected,
    fields,
    confidence: Math.max(0, mean * (1 - 0.02 * autocorrected)),
    autocorrected,
    softInvalid,
  };
}

function correctedLines(lines: readonly string[], result: ParseResult): string[] {
  const chars = lines.map((l) => [...l]);
  for (const d of result.details) {
    for (const a of d.autocorrect) {
      const row = chars[a.line];
      if (row && a.column < row.length) row[a.column] = a.corrected;
    }
  }
  return chars.map((c) => c.join(''));
}
