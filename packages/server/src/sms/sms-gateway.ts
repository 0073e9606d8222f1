// The SMS port and its two adapters' factory: the development outbox, and SMPP 3.4 for production.
import type { SmsOutboxRepository } from '../store/sms-outbox-repository.ts';
import { SmppGateway } from './smpp-gateway.ts';

export interface SmsMessage {
  /** E.164, e.g. +4512345678 */
  readonly to: string;
  readonly text: string;
}

export interface SmsGateway {
  readonly kind: 'outbox' | 'smpp';
  send(message: SmsMessage): Promise<{ messageId: string }>;
  close(): Promise<void>;
}

/** Development only (production refuses it at start): messages are stored, never sent. */
export class OutboxGateway implements SmsGateway {
  readonly kind = 'outbox' as const;
  readonly #outbox: SmsOutboxRepository;
  readonly #now: () => number;

  constructor(outbox: SmsOutboxRepository, now: () => number) {
    this.#outbox = outbox;
    this.#now = now;
  }

  async send(message: SmsMessage): Promise<{ messageId: string }> {
    const stored = await this.#outbox.add(message, this.#now());
    return { messageId: stored.id };
  }

  async close(): Promise<void> {}
}

export function createSmsGateway(
  setting: string,
  deps: { outbox: SmsOutboxRepository; now: () => number },
): SmsGateway {
  if (setting === 'outbox') return new OutboxGateway(deps.outbox, deps.now);
  return new SmppGateway({ url: setting });
}
