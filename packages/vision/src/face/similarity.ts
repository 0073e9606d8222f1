// Similarity of two face descriptors. human's faceres descriptors are non-negative (ReLU output),
// so cosine similarity lies in [0, 1]; the decision threshold comes from docs/vision-eval.md.

import { VisionError } from '../errors.ts';

export function cosineSimilarity(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length || a.length === 0) {
    throw new VisionError('ERR_USAGE', 'descriptors differ in length', {
      details: { a: a.length, b: b.length },
    });
  }
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  if (na === 0 || nb === 0) return 0;
  return dot / Math.sqrt(na * nb);
}
