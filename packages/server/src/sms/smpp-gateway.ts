// SMPP 3.4 adapter (the `smpp` package): binds as a transceiver on first use, submits each message
// with submit_sm, rebinds after a dropped connection, and answers ERR_SMS_GATEWAY on any failure.
import smpp from 'smpp';
import { ServerError } from '../errors.ts';
import type { SmsGateway, SmsMessage } from './sms-gateway.ts';

interface Pdu {
  command_status: number;
  message_id?: string;
}
interface Session {
  on(event: string, listener: (...args: unknown[]) => void): void;
  once(event: string, listener: (...args: unknown[]) => void): void;
  bind_transceiver(params: Record<string, unknown>, callback: (pdu: Pdu) => void): void;
  submit_sm(params: Record<string, unknown>, callback: (pdu: Pdu) => void): void;
  unbind(callback?: () => void): void;
  close(): void;
  destroy?(): void;
}

export interface SmppGatewayOptions {
  /** smpp://system_id:password@host:port (ssmpp:// for TLS) */
  readonly url: string;
  /** Sender shown on the phone (default "Tillid"). */
  readonly sourceAddress?: string;
  readonly timeoutMs?: number;
}

function fail(message: string, cause?: unknown): ServerError {
  return new ServerError('ERR_SMS_GATEWAY', message, {
    status: 503,
    messageId: 'error.smsUnavailable',
    cause,
  });
}

export class SmppGateway implements SmsGateway {
  readonly kind = 'smpp' as const;
  readonly #options: SmppGatewayOptions;
  #session: Promise<Session> | undefined;

  constructor(options: SmppGatewayOptions) {
    this.#options = options;
  }

  #withTimeout<T>(
    what: string,
    run: (resolve: (v: T) => void, reject: (e: unknown) => void) => void,
  ): Promise<T> {
    const ms = this.#options.timeoutMs ?? 10_000;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(fail(`SMPP ${what} timed out after ${ms} ms`)), ms);
      run(
        (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        (e) => {
          clearTimeout(timer);
          reject(e);
        },
      );
    });
  }

  #connect(): Promise<Session> {
    const url = new URL(this.#options.url);
    const session = this.#withTimeout<Session>('bind', (resolve, reject) => {
      const s = smpp.connect({
        url: this.#options.url,
        auto_enquire_link_period: 30_000,
      }) as unknown as Session;
      s.on('error', (e) => {
        this.#session = undefined;
        reject(fail('SMPP connection failed', e));
      });
      s.on('close', () => {
        this.#session = undefined;
      });
      s.on('connect', () => {
        s.bind_transceiver(
          { system_id: decodeURIComponent(url.username), password: decodeURIComponent(url.password) },
          (pdu) => {
            if (pdu.command_status === 0) resolve(s);
            else {
              s.close();
              reject(fail(`SMPP bind refused (status ${pdu.command_status})`));
            }
          },
        );
      });
    });
    session.catch(() => {
      this.#session = undefined;
    });
    return session;
  }

  async send(message: SmsMessage): Promise<{ messageId: string }> {
    this.#session ??= this.#connect();
    const session = await this.#session;
    return this.#withTimeout('submit_sm', (resolve, reject) => {
      session.submit_sm(
        {
          source_addr: this.#options.sourceAddress ?? 'Tillid',
          source_addr_ton: 5, // alphanumeric
          destination_addr: message.to.replace(/^\+/, ''),
          dest_addr_ton: 1, // international
          dest_addr_npi: 1, // E.164
          short_message: message.text,
        },
        (pdu) => {
          if (pdu.command_status === 0) resolve({ messageId: pdu.message_id ?? '' });
          else reject(fail(`SMPP submit_sm refused (status ${pdu.command_status})`));
        },
      );
    });
  }

  async close(): Promise<void> {
    const pending = this.#session;
    this.#session = undefined;
    if (!pending) return;
    const session = await pending.catch(() => undefined);
    if (!session) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        session.close();
        resolve();
      }, 1000);
      session.unbind(() => {
        clearTimeout(timer);
        session.close();
        resolve();
      });
    });
  }
}
