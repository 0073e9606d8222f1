// The SMPP adapter against a real SMPP 3.4 server (the `smpp` package's server) started inside the test.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import smpp from 'smpp';
import { isServerError } from '../errors.ts';
import { SmppGateway } from './smpp-gateway.ts';

interface ServerPdu {
  system_id?: string;
  password?: string;
  destination_addr?: string;
  short_message?: { message?: string } | string;
  response(fields?: Record<string, unknown>): unknown;
}
interface ServerSession {
  on(event: string, listener: (pdu: ServerPdu) => void): void;
  send(pdu: unknown): void;
  pause(): void;
  resume(): void;
}

describe('SMPP gateway', () => {
  const received: { to: string; text: string }[] = [];
  let server: {
    listen(port: number, host: string, cb: () => void): void;
    close(cb?: () => void): void;
    address(): AddressInfo;
  };
  let port = 0;

  before(async () => {
    server = smpp.createServer((session: ServerSession) => {
      session.on('bind_transceiver', (pdu) => {
        const ok = pdu.system_id === 'tillid' && pdu.password === 's3cret';
        session.send(pdu.response(ok ? {} : { command_status: smpp.ESME_RBINDFAIL }));
      });
      session.on('submit_sm', (pdu) => {
        const sm = pdu.short_message;
        received.push({
          to: String(pdu.destination_addr),
          text: typeof sm === 'string' ? sm : String(sm?.message),
        });
        session.send(pdu.response({ message_id: `m${received.length}` }));
      });
      session.on('enquire_link', (pdu) => session.send(pdu.response()));
      session.on('unbind', (pdu) => session.send(pdu.response()));
    }) as never;
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = server.address().port;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('binds, submits messages (with Danish letters) and unbinds', async () => {
    const gw = new SmppGateway({ url: `smpp://tillid:s3cret@127.0.0.1:${port}` });
    assert.deepEqual(await gw.send({ to: '+4512345678', text: 'Din midlertidige kode er 12345678' }), {
      messageId: 'm1',
    });
    assert.deepEqual(await gw.send({ to: '+4512345678', text: 'Kode: 1234 – æøå ÆØÅ' }), { messageId: 'm2' });
    await gw.close();
    assert.deepEqual(received, [
      { to: '4512345678', text: 'Din midlertidige kode er 12345678' },
      { to: '4512345678', text: 'Kode: 1234 – æøå ÆØÅ' },
    ]);
  });

  it('answers ERR_SMS_GATEWAY when the bind is refused or nobody listens', async () => {
    const wrong = new SmppGateway({ url: `smpp://tillid:wrong@127.0.0.1:${port}` });
    await assert.rejects(
      wrong.send({ to: '+4512345678', text: 'x' }),
      (e) => isServerError(e) && e.code === 'ERR_SMS_GATEWAY',
    );
    await wrong.close();
    const nobody = new SmppGateway({ url: 'smpp://a:b@127.0.0.1:1', timeoutMs: 2000 });
    await assert.rejects(
      nobody.send({ to: '+4512345678', text: 'x' }),
      (e) => isServerError(e) && e.code === 'ERR_SMS_GATEWAY',
    );
    await nobody.close();
  });
});
