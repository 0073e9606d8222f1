// The answer of a chip-side protocol step (BAC, PACE, CA) to the virtual chip that routes commands.
import type { ResponseApdu } from '../apdu/apdu.ts';
import type { SmSession } from './secure-messaging.ts';

export interface ChipProtocolResult {
  readonly response: ResponseApdu;
  /**
   * Present when the step established a new secure messaging session. The response itself still
   * goes out under the previous session (or in plain, for BAC and PACE); the new one applies after.
   */
  readonly session?: SmSession;
}
