import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { TEST_DATABASES, useTestStore } from '../../test/helpers/test-databases.ts';
import { SecretBox } from '../crypto/secret-box.ts';
import type { Store } from '../store/store.ts';
import {
  checkPcode,
  issuePcode,
  markPcodeUsed,
  type PcodeDeps,
  recordPcodeMismatch,
} from './pcode-service.ts';

const DAY = 24 * 60 * 60 * 1000;
const person = {
  name: 'Anna Maria Eriksson',
  birthDate: '1974-08-12',
  documentNumber: 'l898902c3',
  nationality: 'UTO',
};

for (const database of TEST_DATABASES) {
  describe(`P-codes on ${database.name}`, { skip: database.skip }, () => {
    const t = useTestStore(database);
    let store: Store;
    let now = Date.UTC(2026, 10, 25);
    let deps: PcodeDeps;

    before(() => {
      store = t.store;
      deps = {
        store,
        secretBox: new SecretBox(new Uint8Array(randomBytes(32))),
        hmacKey: new Uint8Array(randomBytes(32)),
        now: () => now,
      };
    });

    it('issues an 8-digit code valid 60 days, storing neither the code nor the person in clear', async () => {
      const issued = await issuePcode(deps, { person, issuedBy: 'operator:citizen-service' });
      assert.match(issued.code, /^\d{8}$/);
      assert.equal(issued.expiresAt - now, 60 * DAY);
      const row = await store.pcodes.get(issued.id);
      assert.ok(row);
      assert.doesNotMatch(JSON.stringify(row), new RegExp(`${issued.code}|Eriksson|L898902C3`));
      const events = await store.audit.list({ subject: `pcode:${issued.id}` });
      assert.deepEqual(
        events.map((e) => [e.type, e.actor]),
        [['pcode.issued', 'operator:citizen-service']],
      );
      const check = await checkPcode(deps, `${issued.code.slice(0, 4)} ${issued.code.slice(4)}`);
      assert.ok(check.ok);
      assert.deepEqual(check.person, { ...person, documentNumber: 'L898902C3' });
    });

    it('answers wrong, malformed, expired, exhausted and used codes with their own codes', async () => {
      assert.deepEqual(await checkPcode(deps, '12'), {
        ok: false,
        error: { code: 'ERR_PCODE_FORMAT', messageId: 'error.pcode.format' },
      });
      const wrong = await checkPcode(deps, '00000000');
      assert.equal(!wrong.ok && wrong.error.code, 'ERR_PCODE_WRONG');

      const a = await issuePcode(deps, { person, issuedBy: 'op' });
      assert.deepEqual(await recordPcodeMismatch(deps, a.id), { attemptsLeft: 2 });
      assert.deepEqual(await recordPcodeMismatch(deps, a.id), { attemptsLeft: 1 });
      assert.deepEqual(await recordPcodeMismatch(deps, a.id), { attemptsLeft: 0 });
      const exhausted = await checkPcode(deps, a.code);
      assert.equal(!exhausted.ok && exhausted.error.code, 'ERR_PCODE_EXHAUSTED');

      const b = await issuePcode(deps, { person, issuedBy: 'op' });
      const ok = await checkPcode(deps, b.code);
      assert.ok(ok.ok);
      await markPcodeUsed(deps, b.id, ok.version);
      const used = await checkPcode(deps, b.code);
      assert.equal(!used.ok && used.error.code, 'ERR_PCODE_USED');

      const c = await issuePcode(deps, { person, issuedBy: 'op' });
      now += 60 * DAY;
      const expired = await checkPcode(deps, c.code);
      assert.equal(!expired.ok && expired.error.code, 'ERR_PCODE_EXPIRED');
    });
  });
}
