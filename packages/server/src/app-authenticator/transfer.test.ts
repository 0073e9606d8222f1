// Journey B and the enrollment hand-over over HTTP on both stores: the first app from a completed enrollment,
// a copy from an activated app, and each limit with its own code (a 4th instance, a QR older than 3 minutes, a
// QR used twice, a locked PIN, a missing proximity proof); list, rename, revoke; notifications and audit.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { TEST_DATABASES } from '../../test/helpers/test-databases.ts';
import { SIGNED } from './device-key.ts';
import { listNotifications } from './push.ts';
import {
  type AppTillid,
  copyApp,
  errorCode,
  nearTransfer,
  startAppTillid,
  TEST_PIN,
  TestPhone,
} from './testing/test-app.ts';

let people = 0;
function person() {
  people++;
  return { userId: `copy.person.${people}`, phone: `+4531${String(people).padStart(6, '0')}` };
}

for (const database of TEST_DATABASES) {
  describe(`app transfer (${database.name})`, { skip: database.skip }, () => {
    let t: AppTillid;
    let drop: () => Promise<void>;

    before(async () => {
      const db = await database.create();
      drop = db.drop;
      t = await startAppTillid({ target: db.target });
    });
    after(async () => {
      await t?.close();
      await drop?.();
    });

    it('activates the first app from the enrollment, then copies it to a second phone', async () => {
      const p = person();
      const { enrollmentId, identityId } = await t.completedEnrollment(p);
      const first = await copyApp(t, { ...p, from: { enrollmentId } });
      const second = await copyApp(t, { ...p, from: { app: first } });

      const list = (await second.signed('/v1/app/instances/list')).answer;
      assert.equal(list.status, 200);
      const instances = list.body['instances'] as { id: string; current: boolean; notifications: boolean }[];
      assert.deepEqual(instances.map((i) => i.id).sort(), [first.instanceId, second.instanceId].sort());
      assert.equal(instances.find((i) => i.current)?.id, second.instanceId);

      // The hand-over is spent: the helper's phone cannot show another QR for this person.
      const again = await (await TestPhone.create(t.url, t.now)).post('/v1/app/transfers', { enrollmentId });
      assert.equal(errorCode(again), 'ERR_HANDOFF_UNAVAILABLE');

      const audit = await t.store.audit.list({ subject: `identity:${identityId}` });
      assert.equal(audit.filter((e) => e.type === 'app.instance.activated').length, 2);
      // The first app hears of the second (push), and the SMS channel hears of both.
      const pushed = await listNotifications(t.store, { identityId });
      assert.ok(pushed.some((n) => n.type === 'app.activated' && n.recipient === first.instanceId));
      const sms = await t.store.smsOutbox.list({ to: p.phone });
      assert.equal(sms.filter((m) => /ny app/.test(m.text)).length, 2);
      // Nothing of the person (user-ID, phone) was ever sent to the showing phone.
      const helperSaw = JSON.stringify(await t.store.flows.get(enrollmentId));
      assert.doesNotMatch(helperSaw, new RegExp(p.userId));
    });

    it('refuses a 4th app instance with ERR_APP_INSTANCE_LIMIT', async () => {
      const p = person();
      const { enrollmentId } = await t.completedEnrollment(p);
      const a = await copyApp(t, { ...p, from: { enrollmentId } });
      await copyApp(t, { ...p, from: { app: a } });
      await copyApp(t, { ...p, from: { app: a } });
      const fourth = (await a.signed('/v1/app/transfers', { pin: TEST_PIN })).answer;
      assert.equal(fourth.status, 409);
      assert.equal(errorCode(fourth), 'ERR_APP_INSTANCE_LIMIT');
    });

    it('refuses a QR older than 3 minutes and a QR used twice, each with its own code', async () => {
      const p = person();
      const { enrollmentId } = await t.completedEnrollment(p);
      const helper = await TestPhone.create(t.url, t.now);
      const scan = async (qr: string) => {
        const [id, secret] = qr.replace('tillid:transfer:v1:', '').split('.') as [string, string];
        const phone = await TestPhone.create(t.url, t.now);
        return phone.post(`/v1/app/transfers/${id}/scan`, {
          secret,
          claim: randomBytes(32).toString('base64url'),
          ephemeralKey: { jwk: phone.publicJwk },
        });
      };
      const old = await helper.post('/v1/app/transfers', { enrollmentId });
      t.advance(3 * 60_000 + 1);
      const late = await scan(String(old.body['qr']));
      assert.equal(late.status, 410);
      assert.equal(errorCode(late), 'ERR_TRANSFER_EXPIRED');

      const fresh = await helper.post('/v1/app/transfers', { enrollmentId });
      assert.equal((await scan(String(fresh.body['qr']))).status, 200);
      const twice = await scan(String(fresh.body['qr']));
      assert.equal(twice.status, 409);
      assert.equal(errorCode(twice), 'ERR_TRANSFER_USED');
    });

    it('needs the proximity proof from the showing app itself', async () => {
      const p = person();
      const { enrollmentId } = await t.completedEnrollment(p);
      const a = await copyApp(t, { ...p, from: { enrollmentId } });
      const started = (await a.signed('/v1/app/transfers', { pin: TEST_PIN })).answer;
      const [id, secret] = String(started.body['qr']).replace('tillid:transfer:v1:', '').split('.') as [
        string,
        string,
      ];
      const fresh = await TestPhone.create(t.url, t.now);
      const claim = randomBytes(32).toString('base64url');
      const scanned = await fresh.post(`/v1/app/transfers/${id}/scan`, {
        secret,
        claim,
        ephemeralKey: { jwk: fresh.publicJwk },
      });
      const thumbprint =
        String((scanned.body['proximity'] as { presentation: string }).presentation)
          .split(':')
          .at(-1) ?? '';
      // A remote attacker with the QR but not next to the old phone: a signature by another key.
      const stranger = await TestPhone.create(t.url, t.now);
      const forged = await fresh.post(`/v1/app/transfers/${id}/proximity`, {
        control: started.body['control'],
        evidence: { thumbprint, signature: await stranger.sign(SIGNED.proximity(id, thumbprint)) },
      });
      assert.equal(errorCode(forged), 'ERR_TRANSFER_PROXIMITY');
      // Without the control token the showing side is not even found; and the user-ID step waits for proximity.
      const noControl = await fresh.post(`/v1/app/transfers/${id}/proximity`, {
        control: claim,
        evidence: { thumbprint },
      });
      assert.equal(noControl.status, 404);
      const early = await fresh.post(`/v1/app/transfers/${id}/user-id`, { claim, userId: p.userId });
      assert.equal(errorCode(early), 'ERR_FLOW_STATE');
    });

    it('locks an instance after 3 wrong PINs (ERR_APP_INSTANCE_LOCKED) and tells the person', async () => {
      const p = person();
      const { enrollmentId, identityId } = await t.completedEnrollment(p);
      const a = await copyApp(t, { ...p, from: { enrollmentId } });
      const b = await copyApp(t, { ...p, from: { app: a } });
      const wrong1 = (await a.signed('/v1/app/transfers', { pin: '000001' })).answer;
      assert.equal(errorCode(wrong1), 'ERR_APP_PIN_WRONG');
      assert.equal((wrong1.body['error'] as { details: { attemptsLeft: number } }).details.attemptsLeft, 2);
      assert.equal(
        errorCode((await a.signed('/v1/app/transfers', { pin: '000002' })).answer),
        'ERR_APP_PIN_WRONG',
      );
      const third = (await a.signed('/v1/app/transfers', { pin: '000003' })).answer;
      assert.equal(third.status, 423);
      assert.equal(errorCode(third), 'ERR_APP_INSTANCE_LOCKED');
      // Locked even for the right PIN and for every other request of that instance.
      assert.equal(
        errorCode((await a.signed('/v1/app/transfers', { pin: TEST_PIN })).answer),
        'ERR_APP_INSTANCE_LOCKED',
      );
      assert.equal(errorCode((await a.signed('/v1/app/instances/list')).answer), 'ERR_APP_INSTANCE_LOCKED');
      const audit = await t.store.audit.list({ subject: `identity:${identityId}` });
      assert.ok(audit.some((e) => e.type === 'app.instance.locked'));
      assert.ok((await t.store.smsOutbox.list({ to: p.phone })).some((m) => /spærret/.test(m.text)));
      // The other instance lists it as locked and can revoke it, which frees its slot.
      const list = (await b.signed('/v1/app/instances/list')).answer.body['instances'] as {
        id: string;
        status: string;
      }[];
      assert.equal(list.find((i) => i.id === a.instanceId)?.status, 'locked');
      const revoked = (
        await b.signed('/v1/app/instances/revoke', { instanceId: a.instanceId, pin: TEST_PIN })
      ).answer;
      assert.equal(revoked.status, 200);
      assert.equal(
        ((await b.signed('/v1/app/instances/list')).answer.body['instances'] as unknown[]).length,
        1,
      );
    });

    it('renames, refuses replayed and stale signatures, and revokes', async () => {
      const p = person();
      const { enrollmentId } = await t.completedEnrollment(p);
      const a = await copyApp(t, { ...p, from: { enrollmentId } });
      const renamed = await a.signed('/v1/app/instances/rename', {
        instanceId: a.instanceId,
        name: 'Work phone',
      });
      assert.equal(renamed.answer.status, 200);
      const replay = await fetch(`${t.url}/v1/app/instances/rename`, {
        method: 'POST',
        headers: renamed.headers,
        body: renamed.raw,
      });
      assert.equal(replay.status, 401);
      const stale = await a.signed('/v1/app/instances/list', {}, { signedAt: t.now() - 10 * 60_000 });
      assert.equal(errorCode(stale.answer), 'ERR_APP_SIGNATURE_INVALID');
      const other = await TestPhone.create(t.url, t.now);
      const forged = await other.signed('/v1/app/instances/list', {}, { instanceId: a.instanceId ?? '' });
      assert.equal(errorCode(forged.answer), 'ERR_APP_SIGNATURE_INVALID');
      const list = (await a.signed('/v1/app/instances/list')).answer.body['instances'] as { name: string }[];
      assert.equal(list[0]?.name, 'Work phone');
      assert.equal(
        (await a.signed('/v1/app/instances/revoke', { instanceId: a.instanceId, pin: TEST_PIN })).answer
          .status,
        200,
      );
      assert.equal(errorCode((await a.signed('/v1/app/instances/list')).answer), 'ERR_APP_SIGNATURE_INVALID');
    });

    it('counts temporary PIN attempts (core rules) and checks the user-ID without telling who exists', async () => {
      const p = person();
      const { enrollmentId } = await t.completedEnrollment(p);
      const { transferId: id, claim, fresh } = await nearTransfer(t, { enrollmentId });
      const wrongUser = await fresh.post(`/v1/app/transfers/${id}/user-id`, {
        claim,
        userId: 'someone.else',
      });
      assert.equal(errorCode(wrongUser), 'ERR_TRANSFER_USER_ID_WRONG');
      const sent = await fresh.post(`/v1/app/transfers/${id}/user-id`, {
        claim,
        userId: p.userId.toUpperCase(),
      });
      assert.equal(sent.status, 200);
      assert.match(String(sent.body['to']), /^\+•+\d{4}$/);
      const code = (await t.lastSmsCode(p.phone)) ?? '';
      const wrong = code === '00000000' ? '11111111' : '00000000';
      const first = await fresh.post(`/v1/app/transfers/${id}/temporary-pin`, { claim, temporaryPin: wrong });
      assert.equal(errorCode(first), 'ERR_TEMPORARY_PIN_WRONG');
      await fresh.post(`/v1/app/transfers/${id}/temporary-pin`, { claim, temporaryPin: wrong });
      const third = await fresh.post(`/v1/app/transfers/${id}/temporary-pin`, { claim, temporaryPin: wrong });
      assert.equal(errorCode(third), 'ERR_TEMPORARY_PIN_EXHAUSTED');
      const right = await fresh.post(`/v1/app/transfers/${id}/temporary-pin`, { claim, temporaryPin: code });
      assert.equal(errorCode(right), 'ERR_TEMPORARY_PIN_EXHAUSTED');
    });

    it('refuses trivial and mismatched PINs with core codes', async () => {
      const p = person();
      const { enrollmentId } = await t.completedEnrollment(p);
      const { transferId: id, claim, fresh, instanceId } = await nearTransfer(t, { enrollmentId });
      await fresh.post(`/v1/app/transfers/${id}/user-id`, { claim, userId: p.userId });
      await fresh.post(`/v1/app/transfers/${id}/temporary-pin`, {
        claim,
        temporaryPin: await t.lastSmsCode(p.phone),
      });
      const proof = await fresh.sign(SIGNED.activation(id, instanceId));
      const pinStep = (pin: string, repeat: string) =>
        fresh.post(`/v1/app/transfers/${id}/pin`, {
          claim,
          pin,
          repeat,
          deviceKey: { jwk: fresh.publicJwk },
          proof,
        });
      assert.equal(errorCode(await pinStep('123456', '123456')), 'ERR_PIN_TRIVIAL');
      assert.equal(errorCode(await pinStep(TEST_PIN, '482914')), 'ERR_PIN_MISMATCH');
      const badProof = await fresh.post(`/v1/app/transfers/${id}/pin`, {
        claim,
        pin: TEST_PIN,
        repeat: TEST_PIN,
        deviceKey: { jwk: fresh.publicJwk },
        proof: await fresh.sign(SIGNED.activation(id, 'another-instance')),
      });
      assert.equal(errorCode(badProof), 'ERR_APP_SIGNATURE_INVALID');
      assert.equal((await pinStep(TEST_PIN, TEST_PIN)).status, 200);
    });
  });
}
