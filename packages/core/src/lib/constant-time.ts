// Constant-time string comparison in plain JS, so rule modules stay usable in browsers (no node:crypto).

/**
 * Compares two strings without an early exit on the first differing character. The running time
 * depends only on the longer length, never on where the strings differ.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const length = Math.max(a.length, b.length);
  let diff = a.length ^ b.length;
  for (let i = 0; i < length; i++) {
    // charCodeAt past the end is NaN; `| 0` makes it 0 so the loop stays branch-free.
    diff |= (a.charCodeAt(i) | 0) ^ (b.charCodeAt(i) | 0);
  }
  return diff === 0;
}
