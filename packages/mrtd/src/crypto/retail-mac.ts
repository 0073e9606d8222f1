// ISO/IEC 9797-1 MAC algorithm 3 ("retail MAC") with DES, as ICAO 9303-11 §9.8.6.1 uses for BAC and 3DES SM.
import { MrtdError } from '../errors.ts';
import { DesCipher } from './des.ts';

/** A retail MAC key (Ka ‖ Kb, 16 bytes) with both DES schedules computed once. */
export class RetailMac {
  readonly #ka: DesCipher;
  readonly #kb: DesCipher;

  constructor(key: Uint8Array) {
    if (key.length !== 16) throw new MrtdError('ERR_USAGE', 'a retail MAC key has 16 bytes');
    this.#ka = new DesCipher(key.subarray(0, 8));
    this.#kb = new DesCipher(key.subarray(8, 16));
  }

  /** MAC over already padded data (padding method 2 is the caller's step, as the spec writes it). */
  mac(padded: Uint8Array): Uint8Array {
    if (padded.length === 0 || padded.length % 8 !== 0) {
      throw new MrtdError('ERR_USAGE', 'retail MAC input must be whole 8-byte blocks');
    }
    const h = new Uint8Array(8);
    for (let o = 0; o < padded.length; o += 8) {
      for (let j = 0; j < 8; j++) h[j] = (h[j] ?? 0) ^ (padded[o + j] ?? 0);
      this.#ka.processBlock(false, h, 0, h, 0);
    }
    // Output transformation 3: decrypt with Kb, encrypt with Ka.
    this.#kb.processBlock(true, h, 0, h, 0);
    this.#ka.processBlock(false, h, 0, h, 0);
    return h;
  }
}

export function retailMac(key: Uint8Array, padded: Uint8Array): Uint8Array {
  return new RetailMac(key).mac(padded);
}
