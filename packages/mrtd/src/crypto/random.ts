// The random source protocols draw nonces and keys from; injectable so tests can replay spec traces.
import { randomBytes } from '@noble/hashes/utils.js';

export type RandomSource = (length: number) => Uint8Array;

export const secureRandom: RandomSource = (length) => randomBytes(length);
