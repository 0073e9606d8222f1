// A CardTransport that wraps every command in secure messaging (ICAO 9303-11 §9.8) and unwraps every
// response, so the reader above it speaks plain APDUs. It holds the current immutable session.
import { type CardTransport, decodeCommandApdu, encodeResponseApdu } from '../apdu/apdu.ts';
import { MrtdError } from '../errors.ts';
import {
  maxPlaintextResponseLength,
  protectCommand,
  type SmSession,
  unprotectResponse,
} from './secure-messaging.ts';

export class SecureMessagingTransport implements CardTransport {
  readonly #inner: CardTransport;
  #session: SmSession;
  #broken = false;

  constructor(inner: CardTransport, session: SmSession) {
    this.#inner = inner;
    this.#session = session;
  }

  /** The session after the last exchange (its SSC is the last one used). */
  get session(): SmSession {
    return this.#session;
  }

  /** The raw transport below secure messaging. */
  get inner(): CardTransport {
    return this.#inner;
  }

  /** A transport over the same card with another session (after Chip Authentication, §6.2). */
  withSession(session: SmSession): SecureMessagingTransport {
    return new SecureMessagingTransport(this.#inner, session);
  }

  /** Plain response bytes the reader may ask for, after SM overhead, per the inner transport's limit. */
  get maxResponseLength(): number {
    const inner = this.#inner.maxResponseLength ?? 256;
    return maxPlaintextResponseLength(this.#session.cipher, inner);
  }

  /**
   * Sends one plain command APDU protected. A failed MAC ends the session for good (§9.8.7): the
   * chip has dropped its keys too, so later calls fail at once instead of talking out of step.
   */
  async transmit(command: Uint8Array): Promise<Uint8Array> {
    if (this.#broken) throw new MrtdError('ERR_SM_MAC', 'secure messaging session has ended after an error');
    const { apdu, session } = protectCommand(this.#session, decodeCommandApdu(command));
    const raw = await this.#inner.transmit(apdu);
    try {
      const result = unprotectResponse(session, raw);
      this.#session = result.session;
      // §9.8.7: 6987/6988 without SM means the chip found an SM error and dropped its keys.
      const smError = result.response.sw === 0x6987 || result.response.sw === 0x6988;
      if (!result.authenticated && smError) this.#broken = true;
      return encodeResponseApdu(result.response);
    } catch (e) {
      this.#broken = true;
      throw e;
    }
  }

  async close(): Promise<void> {
    await this.#inner.close?.();
  }
}
