// Journey A over the HTTP API, end to end: virtual passports and ID cards on an in-memory chip, BAC and
// PACE, CPR and P-code, the SMS outbox; and the refusals, each with its own code and nothing left behind.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isTestDocumentDefect, TEST_DOCUMENT_DEFECTS, type TestDocument } from '@tillid/mrtd';
import {
  frame,
  type Harness,
  makePassport,
  mrzLinesOf,
  readChip,
  startHarness,
  step,
} from '../../test/helpers/enrollment-harness.ts';
import { TEST_DATABASES } from '../../test/helpers/test-databases.ts';
import { issuePcode } from '../pcode/pcode-service.ts';
import { openStore, type Store } from '../store/store.ts';
import type { Authenticator } from './enrollment-context.ts';
import { ENROLLMENT_SESSION_HEADER, enrollmentIdentityResolver } from './enrollment-session.ts';
import { PRIVACY_VERSION, TERMS_VERSION } from './terms.ts';

async function identityCount(store: Store): Promise<number> {
  const r = await store.db
    .selectFrom('identities')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

async function start(h: Harness): Promise<string> {
  const r = await h.app.inject({
    method: 'POST',
    url: '/v1/enrollments',
    payload: { locale: 'en', startedBy: { kind: 'app-instance', id: 'helper-app-1' } },
  });
  assert.equal(r.statusCode, 201, r.body);
  return r.json().id;
}

/** Steps 1-10: up to and including the person reference; returns the flow id. */
async function upToReference(
  h: Harness,
  doc: { type: 'passport' | 'id-card' },
  reference: { kind: 'cpr'; cpr: string } | { kind: 'pcode'; pcode: string },
) {
  const id = await start(h);
  const ok = async (event: string, body: unknown) => {
    const r = await step(h, id, event, body);
    assert.equal(r.statusCode, 200, `${event}: ${JSON.stringify(r.body)}`);
    return r.body;
  };
  await ok('document-type-chosen', { documentType: doc.type });
  await ok('terms-accepted', { termsVersion: TERMS_VERSION, privacyVersion: PRIVACY_VERSION });
  await ok('country-chosen', { country: 'uto' });
  await ok('person-referenced', reference);
  return { id, ok };
}

/** Steps 11-13 after the reference: MRZ, chip, face, user-ID, phone, authenticator. */
async function finish(
  h: Harness,
  flow: { id: string; ok: (e: string, b: unknown) => Promise<unknown> },
  passport: TestDocument,
  userId: string,
  phone: string,
) {
  const mrz = (await flow.ok('mrz-given', { kind: 'lines', lines: mrzLinesOf(passport) })) as {
    output: { aaChallenge: string };
  };
  const chip = await readChip(passport, mrz.output.aaChallenge);
  await flow.ok('chip-evidence-submitted', { files: chip.files, aaResponse: chip.aaResponse });
  const challenge = (await flow.ok('face-challenge-requested', {})) as { output: { challengeId: string } };
  await flow.ok('face-evidence-submitted', {
    challengeId: challenge.output.challengeId,
    frames: [frame('SAME-PERSON'), frame('SAME-PERSON')],
  });
  const chosen = await flow.ok('user-id-chosen', { userId });
  assert.doesNotMatch(
    JSON.stringify(chosen),
    new RegExp(userId, 'i'),
    'the helper never sees the user-ID again',
  );
  await flow.ok('phone-given', { phone });
  const sms = await h.store.smsOutbox.list({ to: `+45${phone.replace(/\s/g, '')}`, limit: 1 });
  const code = sms[0]?.text.match(/\d{8}/)?.[0];
  assert.ok(code, 'an 8-digit code was sent');
  await flow.ok('phone-verified', { code });
  const done = (await flow.ok('authenticator-chosen', { authenticator: 'app' })) as {
    flow: { state: string };
  };
  assert.equal(done.flow.state, 'completed');
  return chip;
}

for (const database of TEST_DATABASES) {
  describe(`enrollment API on ${database.name}`, { skip: database.skip }, () => {
    let store: Store;
    let drop: () => Promise<void>;
    let h: Harness;

    before(async () => {
      const created = await database.create();
      drop = created.drop;
      store = await openStore(created.target);
      h = await startHarness(store);
    });
    after(async () => {
      await h?.close();
      await store?.close();
      await drop?.();
    });

    it('journey A with a passport over BAC and a CPR number ends with an identity and its user-ID', async () => {
      const passport = await makePassport(h, { pace: false, documentNumber: 'L898902C3' });
      const flow = await upToReference(h, { type: 'passport' }, { kind: 'cpr', cpr: '120874-1234' });
      const chip = await finish(h, flow, passport, 'Anna Maria 74', '20 12 34 56');
      assert.equal(chip.protocol, 'BAC');
      assert.equal(await identityCount(store), 1);
      const flowRow = await store.flows.get(flow.id);
      assert.doesNotMatch(
        JSON.stringify(flowRow),
        /ERIKSSON|1208741234|anna maria 74/i,
        'flow data is sealed',
      );
      const audit = await store.audit.list();
      assert.ok(audit.some((e) => e.type === 'identity.created' && e.actor === 'app-instance:helper-app-1'));
      assert.equal((await store.audit.verify()).ok, true);

      // For 30 minutes the enrolling phone may set up the authenticator chosen, and only that one.
      const resolve = (accepted: Authenticator[]) =>
        enrollmentIdentityResolver(
          { ...h.deps, clock: { now: () => h.now.value } },
          accepted,
        )({
          headers: { [ENROLLMENT_SESSION_HEADER]: flow.id },
        } as never);
      assert.ok((await resolve(['app']))?.identityId);
      assert.equal(await resolve(['code-display', 'chip']), undefined);
      h.now.value += 31 * 60_000;
      try {
        assert.equal(await resolve(['app']), undefined);
      } finally {
        h.now.value -= 31 * 60_000;
      }
    });

    it('journey A with a passport over PACE', async () => {
      const passport = await makePassport(h, {
        pace: true,
        documentNumber: 'P7654321',
        surname: 'HANSEN',
        givenNames: 'JENS',
        dateOfBirth: '900101',
        sex: 'M',
      });
      const flow = await upToReference(h, { type: 'passport' }, { kind: 'cpr', cpr: '0101904321' });
      const chip = await finish(h, flow, passport, 'jens hansen', '20 55 55 55');
      assert.equal(chip.protocol, 'PACE');
    });

    it('journey A with an ID card (TD1) over PACE and a P-code', async () => {
      const card = await makePassport(h, {
        td1: true,
        pace: true,
        documentNumber: 'D23145890',
        surname: 'SMITH',
        givenNames: 'JOHN',
        dateOfBirth: '880302',
        sex: 'M',
      });
      const issued = await issuePcodeFor(h, {
        name: 'John Smith',
        birthDate: '1988-03-02',
        documentNumber: 'D23145890',
      });
      const flow = await upToReference(h, { type: 'id-card' }, { kind: 'pcode', pcode: issued });
      const chip = await finish(h, flow, card, 'john smith', '20 65 43 21');
      assert.equal(chip.protocol, 'PACE');
      assert.equal(await identityCount(store), 3);
    });

    it('refuses every negative test passport with its own code, leaving no identity', async () => {
      const expected: Record<string, string> = {
        'bad-sod-signature': 'ERR_CHIP_SIGNATURE_INVALID',
        'wrong-dg-hash': 'ERR_CHIP_DATA_ALTERED',
        'unknown-csca': 'ERR_CHIP_UNTRUSTED_ISSUER',
        'expired-ds': 'ERR_CHIP_CERTIFICATE_INVALID',
        'revoked-ds': 'ERR_CHIP_CERTIFICATE_REVOKED',
        'aa-key-mismatch': 'ERR_CHIP_CLONE_SUSPECTED',
        'truncated-tlv': 'ERR_CHIP_DATA_FORMAT',
        'garbled-tlv': 'ERR_CHIP_DATA_FORMAT',
      };
      assert.deepEqual(Object.keys(expected).sort(), [...TEST_DOCUMENT_DEFECTS].sort());
      const before = await identityCount(store);
      for (const defect of TEST_DOCUMENT_DEFECTS) {
        assert.ok(isTestDocumentDefect(defect));
        const passport = await makePassport(h, { defect, documentNumber: 'L898902C3' });
        if (passport.crl) h.trustStore.addCrl(passport.crl);
        const flow = await upToReference(h, { type: 'passport' }, { kind: 'cpr', cpr: '1208741234' });
        const mrz = (await flow.ok('mrz-given', { kind: 'lines', lines: mrzLinesOf(passport) })) as {
          output: { aaChallenge: string };
        };
        let chip: Awaited<ReturnType<typeof readChip>>;
        try {
          chip = await readChip(passport, mrz.output.aaChallenge);
        } catch {
          // A garbled chip may not even be readable; the phone then uploads what the document says it holds.
          chip = {
            protocol: 'BAC',
            files: Object.fromEntries(
              [...passport.files].map(([n, b]) => [n, Buffer.from(b).toString('base64')]),
            ),
          };
        }
        const r = await step(h, flow.id, 'chip-evidence-submitted', {
          files: chip.files,
          aaResponse: chip.aaResponse,
        });
        assert.equal(r.body.error?.code, expected[defect], `${defect}: ${JSON.stringify(r.body)}`);
        assert.equal(
          (await store.flows.get(flow.id))?.state,
          'mrz-given',
          `${defect}: the flow did not move`,
        );
      }
      assert.equal(await identityCount(store), before);
    });

    it('refuses an AA response replayed from another flow', async () => {
      const passport = await makePassport(h, { documentNumber: 'L898902C3' });
      const a = await upToReference(h, { type: 'passport' }, { kind: 'cpr', cpr: '1208741234' });
      const ma = (await a.ok('mrz-given', { kind: 'lines', lines: mrzLinesOf(passport) })) as {
        output: { aaChallenge: string };
      };
      const readA = await readChip(passport, ma.output.aaChallenge);
      const b = await upToReference(h, { type: 'passport' }, { kind: 'cpr', cpr: '1208741234' });
      await b.ok('mrz-given', { kind: 'lines', lines: mrzLinesOf(passport) });
      const r = await step(h, b.id, 'chip-evidence-submitted', {
        files: readA.files,
        aaResponse: readA.aaResponse,
      });
      assert.equal(r.body.error?.code, 'ERR_CHIP_CLONE_SUSPECTED');
    });

    it('refuses a face that does not match, and a still image', async () => {
      const passport = await makePassport(h, { documentNumber: 'L898902C3' });
      const flow = await upToReference(h, { type: 'passport' }, { kind: 'cpr', cpr: '1208741234' });
      const mrz = (await flow.ok('mrz-given', { kind: 'lines', lines: mrzLinesOf(passport) })) as {
        output: { aaChallenge: string };
      };
      const chip = await readChip(passport, mrz.output.aaChallenge);
      await flow.ok('chip-evidence-submitted', chip);
      const c = (await flow.ok('face-challenge-requested', {})) as { output: { challengeId: string } };
      const other = await step(h, flow.id, 'face-evidence-submitted', {
        challengeId: c.output.challengeId,
        frames: [frame('SOMEONE-ELSE')],
      });
      assert.equal(other.body.error?.code, 'ERR_FACE_MISMATCH');
      const still = await step(h, flow.id, 'face-evidence-submitted', {
        challengeId: c.output.challengeId,
        frames: [frame('STILL')],
      });
      assert.equal(still.body.error?.code, 'ERR_LIVENESS_FAILED');
      assert.equal((await store.flows.get(flow.id))?.state, 'face-challenge-issued');
    });

    it('refuses a CPR whose register birth date differs from the chip', async () => {
      const passport = await makePassport(h, { documentNumber: 'L898902C3', dateOfBirth: '740813' });
      const flow = await upToReference(h, { type: 'passport' }, { kind: 'cpr', cpr: '1208741234' });
      const mrz = (await flow.ok('mrz-given', { kind: 'lines', lines: mrzLinesOf(passport) })) as {
        output: { aaChallenge: string };
      };
      const chip = await readChip(passport, mrz.output.aaChallenge);
      const r = await step(h, flow.id, 'chip-evidence-submitted', chip);
      assert.equal(r.body.error?.code, 'ERR_CPR_MISMATCH');
    });

    it('refuses an expired P-code and a third wrong P-code', async () => {
      const code = await issuePcodeFor(h, {
        name: 'Old Code',
        birthDate: '1980-01-01',
        documentNumber: 'X1',
      });
      h.now.value += 61 * 86_400_000;
      try {
        const flow = await upToReference(h, { type: 'passport' }, { kind: 'cpr', cpr: '1208741234' });
        const expired = await step(h, flow.id, 'person-referenced', { kind: 'pcode', pcode: code });
        assert.equal(expired.body.error?.code, 'ERR_PCODE_EXPIRED');
        const codes = [];
        for (let i = 0; i < 3; i++)
          codes.push(
            (await step(h, flow.id, 'person-referenced', { kind: 'pcode', pcode: '00000000' })).body.error
              ?.code,
          );
        assert.deepEqual(codes, ['ERR_PCODE_WRONG', 'ERR_PCODE_WRONG', 'ERR_PCODE_EXHAUSTED']);
      } finally {
        h.now.value -= 61 * 86_400_000;
      }
    });

    it('refuses a taken or invalid user-ID, and three wrong SMS codes', async () => {
      const passport = await makePassport(h, { documentNumber: 'L898902C3' });
      const flow = await upToReference(h, { type: 'passport' }, { kind: 'cpr', cpr: '1208741234' });
      const mrz = (await flow.ok('mrz-given', { kind: 'lines', lines: mrzLinesOf(passport) })) as {
        output: { aaChallenge: string };
      };
      await flow.ok('chip-evidence-submitted', await readChip(passport, mrz.output.aaChallenge));
      const c = (await flow.ok('face-challenge-requested', {})) as { output: { challengeId: string } };
      await flow.ok('face-evidence-submitted', {
        challengeId: c.output.challengeId,
        frames: [frame('SAME-PERSON')],
      });
      assert.equal(
        (await step(h, flow.id, 'user-id-chosen', { userId: 'JOHN SMITH' })).body.error?.code,
        'ERR_USER_ID_TAKEN',
      );
      assert.equal(
        (await step(h, flow.id, 'user-id-chosen', { userId: 'abc' })).body.error?.code,
        'ERR_USER_ID_TOO_SHORT',
      );
      assert.equal(
        (await step(h, flow.id, 'user-id-chosen', { userId: '1208741234' })).body.error?.code,
        'ERR_USER_ID_CPR',
      );
      await flow.ok('user-id-chosen', { userId: 'a fresh one' });
      await flow.ok('phone-given', { phone: '+4520999999' });
      const codes = [];
      for (let i = 0; i < 3; i++)
        codes.push((await step(h, flow.id, 'phone-verified', { code: '00000000' })).body.error?.code);
      assert.deepEqual(codes, ['ERR_SMS_CODE_WRONG', 'ERR_SMS_CODE_WRONG', 'ERR_SMS_CODE_EXHAUSTED']);
      const right = (await store.smsOutbox.list({ to: '+4520999999', limit: 1 }))[0]?.text.match(
        /\d{8}/,
      )?.[0];
      assert.equal(
        (await step(h, flow.id, 'phone-verified', { code: right })).body.error?.code,
        'ERR_SMS_CODE_EXHAUSTED',
      );
    });

    it('refuses a step out of order, an expired flow and malformed input with typed 4xx', async () => {
      const id = await start(h);
      const early = await step(h, id, 'user-id-chosen', { userId: 'someone here' });
      assert.equal(early.statusCode, 409);
      assert.equal(early.body.error?.code, 'ERR_FLOW_STATE');
      const bad = await h.app.inject({
        method: 'POST',
        url: `/v1/enrollments/${id}/steps/document-type-chosen`,
        headers: { 'content-type': 'application/json' },
        payload: '{"documentType":',
      });
      assert.equal(bad.statusCode, 400);
      const wrongType = await step(h, id, 'document-type-chosen', { documentType: 'visa' });
      assert.equal(wrongType.body.error?.code, 'ERR_VALIDATION');
      h.now.value += 31 * 60_000;
      try {
        const late = await step(h, id, 'document-type-chosen', { documentType: 'passport' });
        assert.equal(late.statusCode, 410);
        assert.equal(late.body.error?.code, 'ERR_FLOW_EXPIRED');
      } finally {
        h.now.value -= 31 * 60_000;
      }
      assert.equal((await store.flows.get(id))?.version, 1);
    });
  });
}

/** Issues a P-code through the same keys the harness's server uses. */
async function issuePcodeFor(
  h: Harness,
  person: { name: string; birthDate: string; documentNumber: string },
): Promise<string> {
  const issued = await issuePcode(
    { ...h.deps, now: () => h.now.value },
    { person, issuedBy: 'operator:test' },
  );
  return issued.code;
}
