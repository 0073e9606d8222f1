import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TEST_DATABASES } from '../../test/helpers/test-databases.ts';
import type { SecretBox } from '../crypto/secret-box.ts';
import type { Store } from '../store/store.ts';
import { importTokens } from './import-tokens.ts';
import { encodePskc } from './pskc-encode.ts';
import {
  FIGURE6_PSK,
  fixture,
  isCode,
  openTestStore,
  T0,
  TEST_0001_SECRET,
  TEST_0002_SECRET,
} from './test-support.ts';
import { openTokenSecret } from './token-code.ts';

const TOTP = 'urn:ietf:params:xml:ns:keyprov:pskc:totp';

for (const database of TEST_DATABASES) {
  describe(`tokens import on ${database.name}`, { skip: database.skip }, () => {
    let store: Store;
    let secretBox: SecretBox;
    let close: () => Promise<void>;
    const run = (xml: string, options: { psk?: Uint8Array; model?: 'display' | 'reader' } = {}) =>
      importTokens(
        { store, secretBox },
        {
          xml,
          model: options.model ?? 'display',
          actor: 'operator:test',
          now: T0,
          ...(options.psk ? { psk: options.psk } : {}),
        },
      );
    const serials = async () => (await store.tokens.list()).map((t) => t.serial);

    before(async () => {
      ({ store, secretBox, close } = await openTestStore(database));
    });
    after(async () => close?.());

    it('refuses the RFC 6030 examples, which are all HOTP, with ERR_TOKEN_NOT_TOTP and imports nothing', async () => {
      for (const f of ['rfc6030-figure2.pskcxml', 'rfc6030-figure3.pskcxml', 'rfc6030-figure10.pskcxml']) {
        await assert.rejects(run(fixture(f)), isCode('ERR_TOKEN_NOT_TOTP'));
      }
      // Figure 6 is decrypted and MAC-checked first; then refused for being HOTP.
      await assert.rejects(
        run(fixture('rfc6030-figure6.pskcxml'), { psk: FIGURE6_PSK }),
        isCode('ERR_TOKEN_NOT_TOTP'),
      );
      await assert.rejects(run(fixture('rfc6030-figure6.pskcxml')), isCode('ERR_PSKC_KEY_REQUIRED'));
      assert.deepEqual(await serials(), []);
    });

    it('refuses a tampered encrypted container by its MAC, importing nothing', async () => {
      const xml = fixture('tillid-totp-encrypted.pskcxml');
      // The second device's ciphertext altered: the first device must not be imported either.
      const tampered = xml.replace('AxQlNkdYaXqLnK2+z+DxAtyBHkBiBpmm', 'AxQlNkdYaXqLnK2+z+DxAtyBHkBiBpmn');
      assert.notEqual(tampered, xml);
      await assert.rejects(run(tampered, { psk: FIGURE6_PSK }), isCode('ERR_PSKC_MAC_INVALID'));
      const wrongKey = new Uint8Array(FIGURE6_PSK).fill(1, 0, 1);
      await assert.rejects(
        run(xml, { psk: wrongKey }),
        (e) => isCode('ERR_PSKC_MAC_INVALID')(e) || isCode('ERR_PSKC_DECRYPT')(e),
      );
      assert.deepEqual(await serials(), []);
    });

    it('imports a plain TOTP container, sealing secrets, with one audit event', async () => {
      const r = await run(fixture('tillid-totp-plain.pskcxml'));
      assert.deepEqual(r, { imported: ['TEST-0001', 'TEST-0002'], unchanged: [] });
      const t = await store.tokens.get('TEST-0001');
      assert.equal(t?.status, 'in-stock');
      assert.equal(t?.model, 'display');
      assert.equal(t?.digits, 6);
      assert.equal(t?.periodSeconds, 30);
      assert.equal(t?.manufacturer, 'Tillid test');
      assert.deepEqual(t && openTokenSecret(secretBox, t), TEST_0001_SECRET);
      // Never in clear: neither as hex, base64 nor ASCII anywhere in the row.
      const raw = JSON.stringify(await store.db.selectFrom('tokens').selectAll().execute());
      for (const s of [TEST_0001_SECRET, TEST_0002_SECRET]) {
        for (const form of [
          Buffer.from(s).toString('hex'),
          Buffer.from(s).toString('base64'),
          Buffer.from(s).toString('latin1'),
        ]) {
          assert.ok(!raw.includes(form), `secret visible as ${form}`);
        }
      }
      const events = await store.audit.list();
      assert.equal(events.at(-1)?.type, 'tokens.imported');
      assert.deepEqual(events.at(-1)?.data, {
        model: 'display',
        imported: 2,
        unchanged: 0,
        container: 'tillid-test-plain',
      });
    });

    it('is idempotent for known serials with the same secret', async () => {
      assert.deepEqual(await run(fixture('tillid-totp-plain.pskcxml')), {
        imported: [],
        unchanged: ['TEST-0001', 'TEST-0002'],
      });
    });

    it('imports an encrypted container with its pre-shared key, as code readers', async () => {
      const r = await run(fixture('tillid-totp-encrypted.pskcxml'), { psk: FIGURE6_PSK, model: 'reader' });
      assert.deepEqual(r.imported, ['TEST-1001', 'TEST-1002']);
      const t = await store.tokens.get('TEST-1002');
      assert.equal(t?.model, 'reader');
      assert.deepEqual(t && openTokenSecret(secretBox, t), TEST_0002_SECRET);
    });

    it('refuses a known serial with another secret, and leaves the new devices of that file out too', async () => {
      const xml = encodePskc({
        version: '1.0',
        keys: [
          {
            position: 1,
            id: 'a',
            algorithm: TOTP,
            serialNo: 'NEW-0001',
            secret: { kind: 'plain', value: new Uint8Array(20).fill(1) },
          },
          {
            position: 2,
            id: 'b',
            algorithm: TOTP,
            serialNo: 'test-0001',
            secret: { kind: 'plain', value: new Uint8Array(20).fill(2) },
          },
        ],
      });
      await assert.rejects(run(xml), isCode('ERR_TOKEN_SERIAL_CONFLICT'));
      assert.equal(await store.tokens.get('NEW-0001'), undefined);
      // The same secret under another model is a conflict too.
      await assert.rejects(
        run(fixture('tillid-totp-plain.pskcxml'), { model: 'reader' }),
        isCode('ERR_TOKEN_SERIAL_CONFLICT'),
      );
    });

    it('names what is wrong: duplicate serials, missing serials, other digit counts, short secrets', async () => {
      const key = (over: object) => ({
        position: 1,
        id: 'k',
        algorithm: TOTP,
        serialNo: 'X-1',
        secret: { kind: 'plain' as const, value: new Uint8Array(20) },
        ...over,
      });
      const one = (over: object) => encodePskc({ version: '1.0', keys: [key(over)] });
      await assert.rejects(
        run(encodePskc({ version: '1.0', keys: [key({}), key({ position: 2, id: 'k2', serialNo: 'x-1' })] })),
        (e) => isCode('ERR_PSKC_INVALID')(e) && /X-1 occurs twice/.test((e as Error).message),
      );
      const { serialNo: _s, ...noSerial } = key({});
      await assert.rejects(
        run(encodePskc({ version: '1.0', keys: [noSerial] })),
        (e) => isCode('ERR_PSKC_INVALID')(e) && /no DeviceInfo\/SerialNo/.test((e as Error).message),
      );
      await assert.rejects(
        run(one({ responseFormat: { length: 8, encoding: 'DECIMAL' } })),
        isCode('ERR_PSKC_UNSUPPORTED'),
      );
      await assert.rejects(run(one({ timeInterval: 60 })), isCode('ERR_PSKC_UNSUPPORTED'));
      await assert.rejects(
        run(one({ secret: { kind: 'plain', value: new Uint8Array(10) } })),
        isCode('ERR_PSKC_UNSUPPORTED'),
      );
      await assert.rejects(run('<KeyContainer'), isCode('ERR_PSKC_INVALID'));
      assert.equal(await store.tokens.get('X-1'), undefined);
    });
  });
}
