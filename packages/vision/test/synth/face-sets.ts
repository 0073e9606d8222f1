// The face images available offline here, split into the tuning set (used to choose the
// threshold in scripts/eval.ts) and the held-out set (used by the tests). See test/fixtures/README.md.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

export interface FaceSource {
  identity: string;
  file: string;
}

/** Tuning set: tiles from human's screenshot-facedetect.jpg (5 people, judged distinct by eye). */
export const TUNING_FACES: readonly FaceSource[] = [
  { identity: 'human-author', file: 'facedetect-1.png' },
  { identity: 'woman-a', file: 'facedetect-2.png' },
  { identity: 'woman-b', file: 'facedetect-3.png' },
  { identity: 'woman-c', file: 'facedetect-4.png' },
  { identity: 'woman-d', file: 'facedetect-5.png' },
];

/** Held out from tuning: the ICAO 39794-5 sample portrait (JP2) and human's FaceID webcam frame. */
export const HELD_OUT = {
  portraitJp2: 'icao-39794-5-ap-face.jp2',
  /** the same man as facedetect-1, different session (webcam) */
  webcam: 'faceid-webcam.png',
} as const;

export function fixture(name: string): Buffer {
  return readFileSync(path.join(FIXTURES, name));
}
