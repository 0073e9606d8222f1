import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { TEST_DATABASES, useTestStore } from '../../test/helpers/test-databases.ts';
import { SecretBox } from '../crypto/secret-box.ts';
import { isServerError } from '../errors.ts';
import type { Store } from '../store/store.ts';
import {
  enrollIdentity,
  type IdentityDeps,
  type IdentityPii,
  isUserIdAvailable,
  openPii,
} from './identity-service.ts';

const pii = (over: Partial<IdentityPii> = {}): IdentityPii => ({
  person: {
    surname: 'ERIKSSON',
    givenNames: 'ANNA MARIA',
    birthDate: '1974-08-12',
    nationality: 'UTO',
    sex: 'F',
  },
  document: { type: 'passport', country: 'UTO', number: 'L898902C3', expiry: '2031-04-15' },
  cpr: '1208741234',
  ...over,
});

for (const database of TEST_DATABASES) {
  describe(`identities on ${database.name}`, { skip: database.skip }, () => {
    const t = useTestStore(database);
    let store: Store;
    let deps: IdentityDeps;
    before(() => {
      store = t.store;
      deps = {
        store,
        secretBox: new SecretBox(new Uint8Array(randomBytes(32))),
        hmacKey: new Uint8Array(randomBytes(32)),
      };
    });

    const enroll = (p: IdentityPii, userId: string) =>
      store.db.transaction().execute((trx) =>
        enrollIdentity(
          deps,
          {
            pii: p,
            userIdCanonical: userId,
            assurance: 'substantial',
            evidence: { pa: 'ok' },
            assistedBy: 'app:helper',
          },
          1000,
          trx,
        ),
      );

    it('creates an identity with sealed PII and an audit event', async () => {
      const r = await enroll(pii(), 'anna maria');
      assert.equal(r.reactivated, false);
      const row = await store.identities.get(r.id);
      assert.ok(row);
      assert.doesNotMatch(JSON.stringify(row), /ERIKSSON|1208741234|L898902C3|anna maria/);
      assert.equal(openPii(deps.secretBox, r.id, row.piiSealed).person.surname, 'ERIKSSON');
      const events = await store.audit.list({ subject: `identity:${r.id}` });
      assert.deepEqual(
        events.map((e) => [e.type, e.actor]),
        [['identity.created', 'app:helper']],
      );
      assert.equal(await isUserIdAvailable(deps, 'anna maria'), false);
      assert.equal(await isUserIdAvailable(deps, 'anna maria', r.id), true);
    });

    it('re-activates instead of creating a second identity for the same CPR or the same document', async () => {
      const first = await enroll(
        pii({
          cpr: '0101904321',
          document: { type: 'passport', country: 'UTO', number: 'X1', expiry: '2030-01-01' },
        }),
        'jens one',
      );
      const sameCpr = await enroll(
        pii({
          cpr: '0101904321',
          document: { type: 'id-card', country: 'UTO', number: 'X2', expiry: '2032-01-01' },
        }),
        'jens two',
      );
      assert.deepEqual(sameCpr, { id: first.id, reactivated: true });
      const sameDoc = await enroll(
        pii({
          cpr: undefined,
          pcodeId: 'p1',
          document: { type: 'id-card', country: 'uto', number: 'x2', expiry: '2032-01-01' },
        }),
        'jens three',
      );
      assert.deepEqual(sameDoc, { id: first.id, reactivated: true });
      assert.equal(await isUserIdAvailable(deps, 'jens one'), true, 'the old user-ID is released');
    });

    it('refuses a user-ID someone else holds, leaving nothing behind', async () => {
      await assert.rejects(
        enroll(
          pii({
            cpr: '2902004563',
            document: { type: 'passport', country: 'UTO', number: 'Z9', expiry: '2030-01-01' },
          }),
          'anna maria',
        ),
        (e) => isServerError(e) && e.code === 'ERR_USER_ID_TAKEN',
      );
      const count = await store.db
        .selectFrom('identities')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 2);
    });
  });
}
