// App approval logins over HTTP with openid-client as the relying party, on both stores, and the regression
// tests of MitID's incidents (DESIGN §3): 500 interleaved concurrent logins with no token crossing sessions;
// an approval from an app that did not see the browser's QR or number is refused; user-ID guessing from one
// source is throttled and never locks the real person out of app login.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NSIS_LOA_URIS } from '@tillid/core';
import * as client from 'openid-client';
import { TEST_DATABASES } from '../../../test/helpers/test-databases.ts';
import {
  type AppTillid,
  errorCode,
  REDIRECT,
  seedAppInstance,
  startAppTillid,
  type TestPhone,
} from '../../app-authenticator/testing/test-app.ts';
import { TestBrowser } from '../testing/test-browser.ts';

let sources = 0;
/** A browser on its own network (per-source throttles of one login never touch another). */
function newBrowser(): TestBrowser {
  sources++;
  return new TestBrowser({
    'x-forwarded-for': `10.${(sources >> 16) & 255}.${(sources >> 8) & 255}.${sources & 255}`,
  });
}

async function authorize(rp: client.Configuration) {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const url = client.buildAuthorizationUrl(rp, {
    redirect_uri: REDIRECT,
    scope: 'openid profile',
    state,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  });
  return { url, verifier, state };
}

/** The browser's side up to the app method: returns the login URL, its public id and what the browser shows. */
async function startAppLogin(browser: TestBrowser, url: URL, userId: string) {
  const start = await browser.request(url);
  const loginUrl = new URL(String(start.headers.get('location')), url);
  await browser.json(loginUrl);
  const named = await browser.json(`${loginUrl}/user-id`, { userId });
  if (named.status !== 200) return { loginUrl, named };
  const started = await browser.json(`${loginUrl}/method`, { method: 'app' });
  const view = (started.body['method'] as { view: { number: string; qr: string } }).view;
  return { loginUrl, named, loginId: String(started.body['loginId']), view };
}

async function finish(browser: TestBrowser, loginUrl: URL) {
  const done = await browser.json(`${loginUrl}/step`, { input: { poll: true } });
  if (done.body['step'] !== 'finished') return { done, callback: undefined };
  const resume = await browser.request(new URL(String(done.body['redirectTo']), loginUrl));
  return { done, callback: new URL(String(resume.headers.get('location'))) };
}

let people = 0;

for (const database of TEST_DATABASES) {
  describe(`app approval login (${database.name})`, { skip: database.skip }, () => {
    let t: AppTillid;
    let drop: () => Promise<void>;
    let rp: client.Configuration;
    const person = async () => {
      people++;
      const userId = `login.person.${people}`;
      const identityId = await t.seedIdentity({ userId, phone: `+4540${String(people).padStart(6, '0')}` });
      return { userId, identityId, phone: await seedAppInstance(t, identityId) };
    };
    /** A new person's app login in a browser of its own, up to the app's approval. */
    const approvedLogin = async () => {
      const p = await person();
      const browser = newBrowser();
      const a = await authorize(rp);
      const s = await startAppLogin(browser, a.url, p.userId);
      await p.phone.approve(s.loginId ?? '', { number: s.view?.number ?? '' });
      return { p, browser, a, s };
    };
    const block = async (identityId: string) => {
      const row = await t.store.identities.get(identityId);
      await t.store.identities.update(identityId, row?.version ?? 0, { status: 'blocked' }, t.now());
    };

    before(async () => {
      const db = await database.create();
      drop = db.drop;
      t = await startAppTillid({ target: db.target, poolSize: 20 });
      rp = await t.relyingParty();
    });
    after(async () => {
      await t?.close();
      await drop?.();
    });

    it('logs in with number matching, PIN and device key: acr Substantial, the code only to that browser', async () => {
      const p = await person();
      const browser = newBrowser();
      const a = await authorize(rp);
      const s = await startAppLogin(browser, a.url, p.userId);
      assert.match(s.view?.number ?? '', /^\d{2}$/);
      assert.match(s.view?.qr ?? '', /^tillid:login:v1:login_/);
      // The app learns the service and scopes only after proving it saw the browser.
      const pending = (await p.phone.signed('/v1/app/approvals/pending')).answer;
      assert.deepEqual(Object.keys((pending.body['pending'] as object[])[0] ?? {}).sort(), [
        'expiresAt',
        'loginId',
      ]);
      const waiting = await browser.json(`${s.loginUrl}/step`, { input: { poll: true } });
      assert.equal(waiting.body['step'], 'method');
      const { opened, decided } = await p.phone.approve(s.loginId ?? '', { number: s.view?.number ?? '' });
      assert.equal(opened.status, 200);
      assert.equal((opened.body['service'] as { name: string }).name, 'Borger.dk test');
      assert.deepEqual(opened.body['scopes'], ['openid', 'profile']);
      assert.equal(decided?.status, 200);
      // Another browser holding only the login's public id cannot collect it.
      const thief = newBrowser();
      assert.equal((await thief.json(`${s.loginUrl}/step`, { input: { poll: true } })).status, 403);
      const { callback } = await finish(browser, s.loginUrl);
      assert.ok(callback?.searchParams.get('code'));
      const tokens = await client.authorizationCodeGrant(rp, callback as URL, {
        pkceCodeVerifier: a.verifier,
        expectedState: a.state,
      });
      assert.equal(tokens.claims()?.sub, p.identityId);
      assert.equal(tokens.claims()?.['acr'], NSIS_LOA_URIS.substantial);
      assert.deepEqual(tokens.claims()?.['amr'], ['mfa', 'pin', 'swk']);
    });

    it('gives no tokens for a code whose identity was blocked after the login', async () => {
      const { p, browser, a, s } = await approvedLogin();
      const { callback } = await finish(browser, s.loginUrl);
      assert.ok(callback?.searchParams.get('code'));
      await block(p.identityId);
      await assert.rejects(
        client.authorizationCodeGrant(rp, callback as URL, {
          pkceCodeVerifier: a.verifier,
          expectedState: a.state,
        }),
        (e: { error?: string }) => e.error === 'invalid_grant',
      );
    });

    it('fails a login whose identity was blocked before it finished, even without the interaction cookie', async () => {
      const { p, browser, s } = await approvedLogin();
      await block(p.identityId);
      for (const name of browser.cookieNames) if (name.startsWith('_interaction')) browser.deleteCookie(name);
      const { done, callback } = await finish(browser, s.loginUrl);
      assert.equal(done.status, 401);
      assert.equal(errorCode(done), 'ERR_LOGIN_FAILED');
      assert.equal(callback, undefined);
    });

    it('logs in by scanning the QR, and a rejection ends the login', async () => {
      const p = await person();
      const a = await authorize(rp);
      const browser = newBrowser();
      const s = await startAppLogin(browser, a.url, p.userId);
      const { decided } = await p.phone.approve(s.loginId ?? '', { qr: s.view?.qr ?? '' });
      assert.equal(decided?.status, 200);
      assert.ok((await finish(browser, s.loginUrl)).callback?.searchParams.get('code'));

      const b = newBrowser();
      const s2 = await startAppLogin(b, (await authorize(rp)).url, p.userId);
      await p.phone.approve(s2.loginId ?? '', { number: s2.view?.number ?? '' }, { decision: 'reject' });
      const { done } = await finish(b, s2.loginUrl);
      assert.equal(done.status, 401);
      assert.equal(errorCode(done), 'ERR_LOGIN_FAILED');
    });

    it('refuses an approval from an app that did not see the QR or the number (DESIGN §3.2)', async () => {
      const victim = await person();
      // An attacker starts a login with the victim's user-ID; the victim's app gets a push.
      const attacker = newBrowser();
      const s = await startAppLogin(attacker, (await authorize(rp)).url, victim.userId);
      const loginId = s.loginId ?? '';
      // Deciding without opening: the challenge was never given out, and the app is refused.
      const blind = await victim.phone.post(`/v1/app/approvals/${loginId}/decide`, {
        instanceId: victim.phone.instanceId,
        decision: 'approve',
        pin: '482913',
        signature: await victim.phone.sign('anything'),
      });
      assert.equal(blind.status, 403);
      assert.equal(errorCode(blind), 'ERR_APPROVAL_NOT_SEEN');
      // The victim guesses a number: wrong, and the approval is over for good.
      const wrongNumber = String((Number(s.view?.number) + 1) % 100).padStart(2, '0');
      const guessed = await victim.phone.approve(loginId, { number: wrongNumber });
      assert.equal(errorCode(guessed.opened), 'ERR_APPROVAL_NOT_SEEN');
      const right = await victim.phone.approve(loginId, { number: s.view?.number ?? '' });
      assert.equal(errorCode(right.opened), 'ERR_APPROVAL_STATE');
      const { done, callback } = await finish(attacker, s.loginUrl);
      assert.equal(callback, undefined);
      assert.equal(errorCode(done), 'ERR_LOGIN_FAILED');
      const audit = await t.store.audit.list({ subject: `identity:${victim.identityId}` });
      assert.ok(audit.some((e) => e.type === 'app.approval.refused'));

      // An app of another identity cannot open someone else's login, even with the number.
      const other = await person();
      const s2 = await startAppLogin(newBrowser(), (await authorize(rp)).url, victim.userId);
      const foreign = await other.phone.approve(s2.loginId ?? '', { number: s2.view?.number ?? '' });
      assert.equal(errorCode(foreign.opened), 'ERR_APPROVAL_STATE');
      // A forged QR secret is refused like a wrong number.
      const forged = await victim.phone.approve(s2.loginId ?? '', {
        qr: `tillid:login:v1:${s2.loginId}.AAAAAAAAAAAAAAAAAAAAAA`,
      });
      assert.equal(errorCode(forged.opened), 'ERR_APPROVAL_NOT_SEEN');
    });

    it('throttles user-ID guessing per source and never locks the real person out of app login (DESIGN §3.3)', async () => {
      const p = await person();
      const guesser = newBrowser();
      const a = await authorize(rp);
      const start = await guesser.request(a.url);
      const loginUrl = new URL(String(start.headers.get('location')), a.url);
      await guesser.json(loginUrl);
      const answers = [];
      for (let i = 0; i < 12; i++)
        answers.push(await guesser.json(`${loginUrl}/user-id`, { userId: i % 2 ? p.userId : `guess.${i}` }));
      assert.deepEqual(
        answers.map((r) => r.status),
        [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 429, 429],
      );
      // Known and unknown user-IDs looked the same, and the app method too.
      const strip = (b: Record<string, unknown>) => ({ ...b, loginId: undefined });
      assert.deepEqual(strip(answers[0]?.body ?? {}), strip(answers[1]?.body ?? {}));
      // The guesser also drives the app method for the real user-ID many times: nothing reaches the PIN counter.
      for (let i = 0; i < 5; i++) {
        const b = newBrowser();
        await startAppLogin(b, (await authorize(rp)).url, p.userId);
      }
      const instance = await t.store.appInstances.get(p.phone.instanceId ?? '');
      assert.equal(instance?.status, 'active');
      assert.equal(instance?.pinFailures, 0);
      // The real person, elsewhere, logs in as usual.
      const mine = newBrowser();
      const auth = await authorize(rp);
      const s = await startAppLogin(mine, auth.url, p.userId);
      assert.equal(
        (await p.phone.approve(s.loginId ?? '', { number: s.view?.number ?? '' })).decided?.status,
        200,
      );
      const { callback } = await finish(mine, s.loginUrl);
      const tokens = await client.authorizationCodeGrant(rp, callback as URL, {
        pkceCodeVerifier: auth.verifier,
        expectedState: auth.state,
      });
      assert.equal(tokens.claims()?.sub, p.identityId);
    });

    it('keeps 500 interleaved concurrent app logins apart: every token reaches its own browser only', async () => {
      const N = 500;
      const persons = [];
      for (let i = 0; i < N; i++) persons.push(await person());
      const shuffled = <T>(xs: readonly T[]) =>
        xs
          .map((x) => [Math.random(), x] as const)
          .sort((p, q) => p[0] - q[0])
          .map((p) => p[1]);
      const logins = await Promise.all(
        persons.map(async (p) => ({ p, browser: newBrowser(), a: await authorize(rp) })),
      );
      const started = await Promise.all(
        shuffled(logins).map(async (l) => ({ ...l, s: await startAppLogin(l.browser, l.a.url, l.p.userId) })),
      );
      await Promise.all(
        shuffled(started).map(async (l) => {
          const r = await (l.p.phone as TestPhone).approve(l.s.loginId ?? '', {
            number: l.s.view?.number ?? '',
          });
          assert.equal(r.decided?.status, 200, JSON.stringify(r));
        }),
      );
      const results = await Promise.all(
        shuffled(started).map(async (l) => {
          const { callback } = await finish(l.browser, l.s.loginUrl);
          const tokens = await client.authorizationCodeGrant(rp, callback as URL, {
            pkceCodeVerifier: l.a.verifier,
            expectedState: l.a.state,
          });
          const info = await client.fetchUserInfo(rp, tokens.access_token, l.p.identityId);
          return { expected: l.p.identityId, sub: tokens.claims()?.sub, userinfoSub: info.sub };
        }),
      );
      let crossed = 0;
      for (const r of results) if (r.sub !== r.expected || r.userinfoSub !== r.expected) crossed++;
      assert.equal(results.length, N);
      assert.equal(crossed, 0);
    });
  });
}
