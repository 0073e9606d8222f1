// MRZ OCR evaluation on synthetic TD1/TD3 documents in OCR-B shot "by a camera" at three
// difficulty levels. Counts check-digit-valid reads, correct access-key fields and exact MRZs.

import { isVisionError, type MrzReader } from '../src/index.ts';
import { prng } from '../test/synth/face-variants.ts';
import { cameraShot, DEFAULT_CAMERA, randomMrz, renderDocument } from '../test/synth/mrz-render.ts';

export const MRZ_LEVELS = [
  { name: 'easy', perspective: 0.03, blurSigma: 0.6, noiseSigma: 3 },
  { name: 'typical', perspective: 0.06, blurSigma: 1.0, noiseSigma: 6 },
  { name: 'hard', perspective: 0.09, blurSigma: 1.6, noiseSigma: 10 },
] as const;

export interface MrzEvalRow {
  level: string;
  format: 'TD1' | 'TD3';
  frames: number;
  /** every check digit valid (else ERR_MRZ_NOT_FOUND) */
  read: number;
  /** document number, birth and expiry dates equal the truth (the BAC/PACE key) */
  keyCorrect: number;
  /** all lines equal the truth, names included */
  exact: number;
  /** check digits valid but a key field wrong: must stay 0 */
  wrongKey: number;
  ms: number[];
}

function keyOf(format: 'TD1' | 'TD3', lines: readonly string[]): string {
  if (format === 'TD3')
    return `${lines[1]!.slice(0, 10)}${lines[1]!.slice(13, 20)}${lines[1]!.slice(21, 28)}`;
  return `${lines[0]!.slice(5, 15)}${lines[1]!.slice(0, 7)}${lines[1]!.slice(8, 15)}`;
}

export async function evaluateMrz(reader: MrzReader, perCell: number): Promise<MrzEvalRow[]> {
  const rows: MrzEvalRow[] = [];
  let seed = 1000;
  for (const level of MRZ_LEVELS) {
    for (const format of ['TD3', 'TD1'] as const) {
      const row: MrzEvalRow = {
        level: level.name,
        format,
        frames: 0,
        read: 0,
        keyCorrect: 0,
        exact: 0,
        wrongKey: 0,
        ms: [],
      };
      for (let i = 0; i < perCell; i++) {
        seed++;
        const truth = randomMrz(format, prng(seed));
        const frame = await cameraShot(await renderDocument(truth), { ...DEFAULT_CAMERA, ...level, seed });
        row.frames++;
        const t0 = performance.now();
        try {
          const r = await reader.read(frame);
          row.ms.push(performance.now() - t0);
          row.read++;
          if (keyOf(format, r.lines) === keyOf(format, truth.lines)) row.keyCorrect++;
          else row.wrongKey++;
          if (r.lines.join('\n') === truth.lines.join('\n')) row.exact++;
        } catch (e) {
          row.ms.push(performance.now() - t0);
          if (!isVisionError(e, 'ERR_MRZ_NOT_FOUND')) throw e;
        }
      }
      rows.push(row);
    }
  }
  return rows;
}
