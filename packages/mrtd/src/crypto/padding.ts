// ISO/IEC 9797-1 padding method 2 (ICAO 9303-11 §9.8.6): append 0x80, then zeros to a block boundary.
import { MrtdError } from '../errors.ts';

export function pad(data: Uint8Array, blockSize: number): Uint8Array {
  const out = new Uint8Array((Math.floor(data.length / blockSize) + 1) * blockSize);
  out.set(data);
  out[data.length] = 0x80;
  return out;
}

/** Removes method-2 padding; throws ERR_SM_PADDING when the trailer is not 0x80 followed by zeros. */
export function unpad(data: Uint8Array, blockSize?: number): Uint8Array {
  let i = data.length - 1;
  while (i >= 0 && data[i] === 0x00) i--;
  if (i < 0 || data[i] !== 0x80 || (blockSize !== undefined && data.length - i > blockSize)) {
    throw new MrtdError('ERR_SM_PADDING', 'data does not end in ISO/IEC 9797-1 method 2 padding');
  }
  return data.slice(0, i);
}
