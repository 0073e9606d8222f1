// Counts the APDU round trips that reach the card, below secure messaging.
import type { CardTransport } from '../apdu/apdu.ts';
import { MrtdError } from '../errors.ts';

export class CountingTransport implements CardTransport {
  readonly #inner: CardTransport;
  #count = 0;

  constructor(inner: CardTransport) {
    this.#inner = inner;
  }

  get count(): number {
    return this.#count;
  }

  get maxResponseLength(): number | undefined {
    return this.#inner.maxResponseLength;
  }

  async transmit(command: Uint8Array): Promise<Uint8Array> {
    this.#count++;
    let response: unknown;
    try {
      response = await this.#inner.transmit(command);
    } catch (e) {
      if (e instanceof MrtdError) throw e;
      throw new MrtdError('ERR_TRANSPORT', 'the card transport failed', { cause: e });
    }
    // A transport is outside our control: make sure what comes back is bytes.
    if (!(response instanceof Uint8Array))
      throw new MrtdError('ERR_TRANSPORT', 'the transport returned no bytes');
    return response;
  }
}
