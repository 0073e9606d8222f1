// Keyboard rows and alphabets whose neighbouring keys make the "sequences" passwords may not be
// built from (qwertyui, asdfghjk, abc12345), shared by the password rules and its strength estimate.

/** Danish keyboard rows, digits, both alphabets' order, and the shifted digit rows (DK and US). */
const SEQUENCES: readonly string[] = [
  'qwertyuiopå',
  'asdfghjklæø',
  'zxcvbnm',
  '1234567890',
  'abcdefghijklmnopqrstuvwxyzæøå',
  '!"#¤%&/()=',
  '!@#$%^&*()',
];

/** For every character, the characters next to it in some sequence. */
const NEIGHBOURS: ReadonlyMap<string, ReadonlySet<string>> = (() => {
  const map = new Map<string, Set<string>>();
  for (const seq of SEQUENCES) {
    const chars = [...seq];
    for (let i = 0; i < chars.length; i++) {
      const set = map.get(chars[i]!) ?? new Set<string>();
      if (i > 0) set.add(chars[i - 1]!);
      if (i + 1 < chars.length) set.add(chars[i + 1]!);
      map.set(chars[i]!, set);
    }
  }
  return map;
})();

/** Whether `b` is next to `a` (either direction) in a keyboard row or alphabet; case-insensitive. */
export function isSequenceStep(a: string, b: string): boolean {
  return NEIGHBOURS.get(a.toLowerCase())?.has(b.toLowerCase()) ?? false;
}

/**
 * The lengths of the maximal runs the text splits into, where a run continues while each character
 * is a sequence step from the one before ('abc12345' → [3, 5]).
 */
export function sequenceRuns(chars: readonly string[]): number[] {
  const runs: number[] = [];
  let len = 0;
  for (let i = 0; i < chars.length; i++) {
    if (i > 0 && isSequenceStep(chars[i - 1]!, chars[i]!)) len++;
    else {
      if (len > 0) runs.push(len);
      len = 1;
    }
  }
  if (len > 0) runs.push(len);
  return runs;
}

/**
 * The longest stretch made only of runs of 3 or more characters: 'qwertyui' → 8, 'abc12345' → 8
 * (3 + 5), 'abcdefg1' → 7 (the lone '1' breaks it).
 */
export function longestSequenceStretch(chars: readonly string[]): number {
  let best = 0;
  let current = 0;
  for (const run of sequenceRuns(chars)) {
    current = run >= 3 ? current + run : 0;
    best = Math.max(best, current);
  }
  return best;
}
