// An in-memory card transport: hands command APDUs straight to a card object (the virtual chip),
// so the reader and the protocols run end to end without hardware.
import type { CardTransport } from '../apdu/apdu.ts';
import { MrtdError } from '../errors.ts';

/** What a card emulator offers: one response APDU (data ‖ SW) per command APDU, and a power cycle. */
export interface ApduCard {
  handle(command: Uint8Array): Uint8Array | Promise<Uint8Array>;
  /** Power cycle: drops any session state, as when a card leaves and re-enters the field. */
  reset?(): void;
}

export interface MemoryTransportOptions {
  /** Largest Ne the simulated reader carries; 65536 (extended length) unless said otherwise. */
  readonly maxResponseLength?: number;
}

export class MemoryTransport implements CardTransport {
  readonly maxResponseLength: number;
  #card: ApduCard;
  #closed = false;

  constructor(card: ApduCard, options: MemoryTransportOptions = {}) {
    this.#card = card;
    this.maxResponseLength = options.maxResponseLength ?? 65536;
  }

  async transmit(command: Uint8Array): Promise<Uint8Array> {
    if (this.#closed) throw new MrtdError('ERR_TRANSPORT', 'transport is closed');
    // Copy both ways so neither side can alias the other's buffers.
    const response = await this.#card.handle(command.slice());
    return response.slice();
  }

  async close(): Promise<void> {
    this.#closed = true;
  }
}
