import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { describe, it } from 'node:test';
import { connectVpcd, DEFAULT_CONTACTLESS_ATR } from './connect-vpcd.ts';

/** Plays vpcd's side: accepts the card's connection and exchanges frames with it. */
async function fakeVpcd() {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new TypeError('no port');
  const accepted = once(server, 'connection') as Promise<[Socket]>;
  let buffer = Buffer.alloc(0);
  const waiters: (() => void)[] = [];
  const socketPromise = accepted.then(([socket]) => {
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (const w of waiters.splice(0)) w();
    });
    return socket;
  });
  const readFrame = async (): Promise<Buffer> => {
    for (;;) {
      if (buffer.length >= 2) {
        const n = buffer.readUInt16BE(0);
        if (buffer.length >= 2 + n) {
          const frame = buffer.subarray(2, 2 + n);
          buffer = buffer.subarray(2 + n);
          return frame;
        }
      }
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  return { server, port: address.port, socketPromise, readFrame };
}

describe('connectVpcd', () => {
  it('answers ATR requests and APDUs, resets on power control, handles split frames', async () => {
    const vpcd = await fakeVpcd();
    let resets = 0;
    const conn = await connectVpcd({
      port: vpcd.port,
      card: {
        handle: (apdu) => Uint8Array.of(...apdu.subarray(0, 2), 0x90, 0x00),
        reset: () => {
          resets++;
        },
      },
    });
    const socket = await vpcd.socketPromise;
    socket.write(Uint8Array.of(0, 1, 4));
    assert.deepEqual(new Uint8Array(await vpcd.readFrame()), DEFAULT_CONTACTLESS_ATR);
    socket.write(Uint8Array.of(0, 1, 1)); // power on: no reply
    // vpcd writes the length and the payload separately.
    socket.write(Uint8Array.of(0, 5));
    socket.write(Uint8Array.of(0x00, 0xb0, 0x00, 0x00, 0x10));
    assert.deepEqual([...(await vpcd.readFrame())], [0x00, 0xb0, 0x90, 0x00]);
    assert.equal(resets, 1);
    assert.equal(conn.apduCount, 1);
    await conn.close();
    vpcd.server.close();
  });

  it('fails with ERR_TRANSPORT when nothing listens', async () => {
    const vpcd = await fakeVpcd();
    const port = vpcd.port;
    vpcd.server.close();
    await once(vpcd.server, 'close');
    await assert.rejects(connectVpcd({ port, card: { handle: () => Uint8Array.of(0x90, 0) } }), {
      code: 'ERR_TRANSPORT',
    });
  });
});
