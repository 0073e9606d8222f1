// Serves a card emulator to Debian's vsmartcard-vpcd driver over TCP, so pcscd sees it as a card in
// the reader "Virtual PCD 00 00" (port 35963) or "00 01" (35964). Node only.
// Framing (vsmartcard vpcd): 2-byte big-endian length + payload; a 1-byte payload is a control code
// (0 power off, 1 power on, 2 reset: no reply; 4 get ATR: reply with the ATR); otherwise the payload
// is a command APDU and the reply is the response APDU.
import { Socket } from 'node:net';
import { concatBytes } from '../bytes.ts';
import { MrtdError } from '../errors.ts';
import type { ApduCard } from './memory-transport.ts';

export const VPCD_DEFAULT_PORT = 35963;

/** ATR of a contactless ISO 14443-4 card as PC/SC part 3 builds it, with no historical bytes (T=1). */
export const DEFAULT_CONTACTLESS_ATR = Uint8Array.of(0x3b, 0x80, 0x80, 0x01, 0x01);

const CONTROL = { POWER_OFF: 0, POWER_ON: 1, RESET: 2, GET_ATR: 4 } as const;

export interface ConnectVpcdOptions {
  readonly card: ApduCard;
  readonly host?: string;
  readonly port?: number;
  readonly atr?: Uint8Array;
  /** Give up connecting after this long (vpcd listens only while pcscd has loaded the driver). */
  readonly connectTimeoutMs?: number;
}

export interface VpcdConnection {
  /** APDUs handled so far. */
  readonly apduCount: number;
  /** Resolves when the connection has ended (either side). */
  readonly ended: Promise<void>;
  close(): Promise<void>;
}

export async function connectVpcd(options: ConnectVpcdOptions): Promise<VpcdConnection> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? VPCD_DEFAULT_PORT;
  const atr = options.atr ?? DEFAULT_CONTACTLESS_ATR;
  const socket = new Socket();
  // vpcd writes length and payload in two segments; without NODELAY a delayed ACK costs ~40 ms per reply.
  socket.setNoDelay(true);

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new MrtdError('ERR_TRANSPORT', `vpcd at ${host}:${port} did not accept a connection in time`));
    }, options.connectTimeoutMs ?? 5000);
    socket.once('error', (cause) => {
      clearTimeout(timer);
      reject(
        new MrtdError('ERR_TRANSPORT', `cannot connect to vpcd at ${host}:${port} (is pcscd running?)`, {
          cause,
          details: { host, port },
        }),
      );
    });
    socket.connect(port, host, () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve();
    });
  });

  let apduCount = 0;
  let pending: Uint8Array = new Uint8Array(0);
  // Frames are handled one at a time, in order, even when the card answers asynchronously.
  let queue: Promise<void> = Promise.resolve();

  const send = (payload: Uint8Array): void => {
    const frame = new Uint8Array(2 + payload.length);
    frame[0] = payload.length >>> 8;
    frame[1] = payload.length & 0xff;
    frame.set(payload, 2);
    socket.write(frame);
  };

  const handleFrame = async (payload: Uint8Array): Promise<void> => {
    if (payload.length === 1) {
      switch (payload[0]) {
        case CONTROL.POWER_OFF:
        case CONTROL.POWER_ON:
        case CONTROL.RESET:
          options.card.reset?.();
          return;
        case CONTROL.GET_ATR:
          send(atr);
          return;
        default:
          return;
      }
    }
    apduCount++;
    let response: Uint8Array;
    try {
      response = await options.card.handle(payload);
    } catch {
      response = Uint8Array.of(0x6f, 0x00); // ISO/IEC 7816-4: no precise diagnosis
    }
    if (!socket.destroyed) send(response);
  };

  socket.on('data', (chunk: Buffer) => {
    pending = concatBytes(pending, new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    for (;;) {
      if (pending.length < 2) break;
      const length = ((pending[0] ?? 0) << 8) | (pending[1] ?? 0);
      if (pending.length < 2 + length) break;
      const payload = pending.slice(2, 2 + length);
      pending = pending.slice(2 + length);
      if (length === 0) continue;
      queue = queue.then(() => handleFrame(payload));
    }
  });

  const ended = new Promise<void>((resolve) => {
    socket.once('close', () => resolve());
  });
  socket.on('error', () => {
    // A reset by the peer ends the connection; 'close' follows and resolves `ended`.
  });

  return {
    get apduCount() {
      return apduCount;
    },
    ended,
    async close() {
      socket.end();
      socket.destroy();
      await ended;
    },
  };
}
