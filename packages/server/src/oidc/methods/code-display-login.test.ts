// Code display / code reader login (password + one-time code, RFC 6238) over HTTP with openid-client, on both
// stores: acr Substantial, each code accepted once, and a stranger without the password can neither spend nor
// block the person's codes; an unknown user-ID fails exactly like a wrong factor.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NSIS_LOA_URIS } from '@tillid/core';
import * as client from 'openid-client';
import { TEST_DATABASES } from '../../../test/helpers/test-databases.ts';
import {
  type AppTillid,
  errorCode,
  REDIRECT,
  startAppTillid,
} from '../../app-authenticator/testing/test-app.ts';
import { hashPassword } from '../../crypto/password-hash.ts';
import { codeFor, TEST_0001_SECRET } from '../../tokens/test-support.ts';
import { sealTokenSecret } from '../../tokens/token-code.ts';
import type { TokenModel } from '../../tokens/token-repository.ts';
import { TestBrowser } from '../testing/test-browser.ts';

const PASSWORD = 'Blåbærgrød med fløde 7';
let n = 0;

for (const database of TEST_DATABASES) {
  describe(`code display and code reader login (${database.name})`, { skip: database.skip }, () => {
    let t: AppTillid;
    let drop: () => Promise<void>;
    let rp: client.Configuration;

    before(async () => {
      const db = await database.create();
      drop = db.drop;
      t = await startAppTillid({ target: db.target });
      rp = await t.relyingParty();
    });
    after(async () => {
      await t?.close();
      await drop?.();
    });

    async function holder(model: TokenModel) {
      n++;
      const userId = `code.person.${n}`;
      const identityId = await t.seedIdentity({ userId, phone: `+4550${String(n).padStart(6, '0')}` });
      const serial = `LOGIN-${database.name}-${n}`;
      await t.store.tokens.insert({
        serial,
        model,
        manufacturer: 'Test',
        algorithm: 'totp-sha1',
        digits: 6,
        periodSeconds: 30,
        secretSealed: sealTokenSecret(t.deps.secretBox, serial, TEST_0001_SECRET),
        status: 'in-stock',
        importedAt: t.now(),
      });
      const row = await t.store.tokens.get(serial);
      await t.store.tokens.update(serial, row?.version ?? 0, {
        status: 'active',
        identityId,
        activatedAt: t.now(),
      });
      await t.store.tokenPasswords.set(identityId, await hashPassword(PASSWORD), 3, t.now());
      return { userId, identityId, serial };
    }

    async function attempt(
      method: string,
      userId: string,
      input: Record<string, unknown>,
      browser = new TestBrowser({ 'x-forwarded-for': `192.0.2.${++n % 250}` }),
    ) {
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const url = client.buildAuthorizationUrl(rp, {
        redirect_uri: REDIRECT,
        scope: 'openid',
        state,
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      });
      const start = await browser.request(url);
      const loginUrl = new URL(String(start.headers.get('location')), url);
      await browser.json(loginUrl);
      await browser.json(`${loginUrl}/user-id`, { userId });
      const started = await browser.json(`${loginUrl}/method`, { method });
      const done = await browser.json(`${loginUrl}/step`, { input });
      if (done.body['step'] !== 'finished') return { started, done, tokens: undefined };
      const resume = await browser.request(new URL(String(done.body['redirectTo']), loginUrl));
      const tokens = await client.authorizationCodeGrant(
        rp,
        new URL(String(resume.headers.get('location'))),
        {
          pkceCodeVerifier: verifier,
          expectedState: state,
        },
      );
      return { started, done, tokens };
    }

    it('logs in with password and code display code: Substantial, and each code only once', async () => {
      const p = await holder('display');
      const code = codeFor(TEST_0001_SECRET, t.now());
      const ok = await attempt('code-display', p.userId, { code, password: PASSWORD });
      assert.equal(ok.tokens?.claims()?.sub, p.identityId);
      assert.equal(ok.tokens?.claims()?.['acr'], NSIS_LOA_URIS.substantial);
      assert.deepEqual(ok.tokens?.claims()?.['amr'], ['hwk', 'mfa', 'otp', 'pwd']);
      const replay = await attempt('code-display', p.userId, { code, password: PASSWORD });
      assert.equal(errorCode(replay.done), 'ERR_LOGIN_FAILED');
    });

    it('logs in with a code reader through its own method', async () => {
      const p = await holder('reader');
      const r = await attempt('code-reader', p.userId, {
        code: codeFor(TEST_0001_SECRET, t.now()),
        password: PASSWORD,
      });
      assert.equal(r.tokens?.claims()?.sub, p.identityId);
      const wrongModel = await attempt('code-display', p.userId, {
        code: codeFor(TEST_0001_SECRET, t.now(), 1),
        password: PASSWORD,
      });
      assert.equal(errorCode(wrongModel.done), 'ERR_LOGIN_FAILED');
    });

    it('never lets a stranger without the password touch the device, and answers unknown user-IDs alike', async () => {
      const p = await holder('display');
      for (let i = 0; i < 5; i++) {
        const r = await attempt('code-display', p.userId, { code: '000000', password: 'not the password' });
        assert.equal(errorCode(r.done), 'ERR_LOGIN_FAILED');
      }
      const token = await t.store.tokens.get(p.serial);
      assert.equal(token?.failedAttempts, 0);
      assert.equal(token?.blockedUntil, null);
      const unknown = await attempt('code-display', 'nobody.at.all', { code: '000000', password: PASSWORD });
      const known = await attempt('code-display', p.userId, { code: '000000', password: 'wrong' });
      const strip = (b: Record<string, unknown>) => ({ ...(b['error'] as object), requestId: undefined });
      assert.deepEqual(strip(unknown.done.body), strip(known.done.body));
      assert.deepEqual({ ...unknown.started.body, loginId: 0 }, { ...known.started.body, loginId: 0 });
      // The person still logs in.
      const ok = await attempt('code-display', p.userId, {
        code: codeFor(TEST_0001_SECRET, t.now()),
        password: PASSWORD,
      });
      assert.equal(ok.tokens?.claims()?.sub, p.identityId);
    });
  });
}
