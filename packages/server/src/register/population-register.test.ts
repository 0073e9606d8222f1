import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { isServerError } from '../errors.ts';
import { createPopulationRegister, HttpPopulationRegister } from './population-register.ts';

describe('population register', () => {
  it('the demo register finds its fictitious people', async () => {
    const r = createPopulationRegister('demo');
    assert.deepEqual(await r.lookup('1208741234'), {
      cpr: '1208741234',
      givenNames: 'ANNA MARIA',
      surname: 'ERIKSSON',
      birthDate: '1974-08-12',
      sex: 'F',
    });
    assert.equal(await r.lookup('0000000000'), undefined);
  });

  describe('over HTTP', () => {
    let server: Server;
    let base = '';
    const seenAuth: (string | undefined)[] = [];
    before(async () => {
      server = createServer((req, res) => {
        seenAuth.push(req.headers.authorization);
        if (req.url === '/persons/0101904321') {
          res.setHeader('content-type', 'application/json');
          res.end(
            JSON.stringify({
              cpr: '0101904321',
              givenNames: 'JENS',
              surname: 'HANSEN',
              birthDate: '1990-01-01',
              sex: 'M',
            }),
          );
        } else if (req.url === '/persons/1111111111') {
          res.statusCode = 500;
          res.end('oops');
        } else if (req.url === '/persons/2222222222') {
          res.end(JSON.stringify({ cpr: '3333333333' }));
        } else {
          res.statusCode = 404;
          res.end();
        }
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(() => new Promise<void>((r) => server.close(() => r())));

    it('looks a person up with the bearer token; 404 is "not found"', async () => {
      const r = new HttpPopulationRegister({ baseUrl: base, token: 't0k' });
      assert.equal((await r.lookup('0101904321'))?.surname, 'HANSEN');
      assert.equal(await r.lookup('0202020202'), undefined);
      assert.equal(seenAuth[0], 'Bearer t0k');
    });

    it('answers ERR_REGISTER_UNAVAILABLE for errors, wrong documents and silence', async () => {
      const r = new HttpPopulationRegister({ baseUrl: base });
      for (const cpr of ['1111111111', '2222222222']) {
        await assert.rejects(r.lookup(cpr), (e) => isServerError(e) && e.code === 'ERR_REGISTER_UNAVAILABLE');
      }
      const down = new HttpPopulationRegister({ baseUrl: 'http://127.0.0.1:1', timeoutMs: 1000 });
      await assert.rejects(
        down.lookup('0101904321'),
        (e) => isServerError(e) && e.code === 'ERR_REGISTER_UNAVAILABLE',
      );
    });
  });
});
