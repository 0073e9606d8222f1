// A small deterministic mutator for the fuzz script and the fuzz property test: random bytes, or a seed
// input with a few byte-level mutations (flips, boundary values, cuts, insertions, duplications).

export type Rng = () => number;

/** mulberry32: a 32-bit seeded PRNG, good enough to drive mutations reproducibly. */
export function makeRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const int = (rng: Rng, n: number): number => Math.floor(rng() * n);
const INTERESTING = [0x00, 0x01, 0x1f, 0x20, 0x3c, 0x7f, 0x80, 0x81, 0x82, 0x83, 0x84, 0xff];

function randomBytes(rng: Rng, max: number): Uint8Array {
  const out = new Uint8Array(int(rng, max + 1));
  for (let i = 0; i < out.length; i++) out[i] = int(rng, 256);
  return out;
}

function mutateOnce(rng: Rng, input: Uint8Array, alphabet?: readonly number[]): Uint8Array {
  const n = input.length;
  const pick = (): number =>
    alphabet && rng() < 0.7
      ? (alphabet[int(rng, alphabet.length)] ?? 0)
      : rng() < 0.5
        ? (INTERESTING[int(rng, INTERESTING.length)] ?? 0)
        : int(rng, 256);
  switch (int(rng, 6)) {
    case 0: {
      if (n === 0) return input;
      const out = input.slice();
      const i = int(rng, n);
      out[i] = (out[i] ?? 0) ^ (1 << int(rng, 8));
      return out;
    }
    case 1: {
      if (n === 0) return input;
      const out = input.slice();
      out[int(rng, n)] = pick();
      return out;
    }
    case 2:
      return input.slice(0, int(rng, n + 1));
    case 3: {
      const at = int(rng, n + 1);
      const extra = Uint8Array.from({ length: 1 + int(rng, 8) }, pick);
      const out = new Uint8Array(n + extra.length);
      out.set(input.subarray(0, at));
      out.set(extra, at);
      out.set(input.subarray(at), at + extra.length);
      return out;
    }
    case 4: {
      if (n === 0) return input;
      const from = int(rng, n);
      const len = 1 + int(rng, Math.min(32, n - from));
      const at = int(rng, n + 1);
      const chunk = input.slice(from, from + len);
      const out = new Uint8Array(n + chunk.length);
      out.set(input.subarray(0, at));
      out.set(chunk, at);
      out.set(input.subarray(at), at + chunk.length);
      return out;
    }
    default: {
      if (n < 2) return input;
      const out = input.slice();
      out.copyWithin(int(rng, n), int(rng, n), int(rng, n));
      return out;
    }
  }
}

/** One fuzz case: 15% random bytes, otherwise a seed with one to four mutations. */
export function nextCase(rng: Rng, seeds: readonly Uint8Array[], alphabet?: readonly number[]): Uint8Array {
  if (seeds.length === 0 || rng() < 0.15) return randomBytes(rng, 96);
  let input = seeds[int(rng, seeds.length)] ?? new Uint8Array(0);
  const rounds = 1 + int(rng, 4);
  for (let i = 0; i < rounds; i++) input = mutateOnce(rng, input, alphabet);
  return input;
}
