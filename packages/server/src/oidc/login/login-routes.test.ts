// The login interaction over HTTP on both stores: binding to the browser that started it (DESIGN §3.1),
// no user-ID oracle and per-source throttling (§3.3), acr_values, the HTML form path, and many
// interleaved logins of different people with no code or token crossing sessions.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { NSIS_LOA_URIS, type UserId } from '@tillid/core';
import * as client from 'openid-client';
import { TEST_DATABASES } from '../../../test/helpers/test-databases.ts';
import type { IdentityDirectory } from '../identity-directory.ts';
import { DEFAULT_TEST_IDENTITY } from '../identity-directory.ts';
import { startTestTillid, TestBrowser, type TestTillid } from '../testing/test-browser.ts';
import type { LoginMethod } from './login-method.ts';

const SECRET = 'a-long-enough-client-secret-for-the-tests-0123456789';
const REDIRECT = 'http://localhost:8081/callback';
const PEOPLE = Array.from({ length: 40 }, (_, i) => ({ id: randomUUID(), userId: `person.${i}` }));

/** Test directory: 40 people, proofing substantial. */
const directory: IdentityDirectory = {
  findByUserId: async (u: UserId) => PEOPLE.find((p) => p.userId === u.canonical)?.id,
  claims: async (id) => {
    const p = PEOPLE.find((x) => x.id === id);
    return p
      ? { name: p.userId, birthdate: '1990-01-01', cpr: undefined, proofing: 'substantial' }
      : undefined;
  },
};

/** Test-only method: a "password" that is the user-ID reversed; verifies it like a real factor would. */
const reversed: LoginMethod = {
  id: 'test-reversed',
  messageId: 'test',
  start: async () => ({ kind: 'pending', state: { tries: 0 }, view: { prompt: 'password' } }),
  step: async (ctx, _state, input) => {
    const p = PEOPLE.find((x) => x.id === ctx.identityId);
    const given = (input as { password?: unknown } | undefined)?.password;
    return p && given === [...p.userId].reverse().join('')
      ? { kind: 'authenticated', identityId: p.id, factors: ['password'] }
      : { kind: 'failed', messageId: 'login.failed' };
  },
};

let sources = 0;
/** A browser on its own network, so per-source throttling of one test never touches another. */
function newBrowser(): TestBrowser {
  sources++;
  return new TestBrowser({ 'x-forwarded-for': `198.51.100.${sources}` });
}

async function authorize(rp: client.Configuration, extra: Record<string, string> = {}) {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const url = client.buildAuthorizationUrl(rp, {
    redirect_uri: REDIRECT,
    scope: 'openid profile',
    state,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    ...extra,
  });
  return { url, verifier, state };
}

async function openLogin(browser: TestBrowser, url: URL): Promise<URL> {
  const r = await browser.request(url);
  return new URL(String(r.headers.get('location')), url);
}

/** The browser's side with the test-reversed method; returns where the provider sends it back. */
async function passwordLogin(browser: TestBrowser, authorizationUrl: URL, userId: string): Promise<URL> {
  const url = await openLogin(browser, authorizationUrl);
  await browser.json(url);
  await browser.json(`${url}/user-id`, { userId });
  await browser.json(`${url}/method`, { method: 'test-reversed' });
  const done = await browser.json(`${url}/step`, { input: { password: [...userId].reverse().join('') } });
  const resume = await browser.request(new URL(String(done.body['redirectTo']), url));
  return new URL(String(resume.headers.get('location')));
}

for (const database of TEST_DATABASES) {
  describe(`login interaction (${database.name})`, { skip: database.skip }, () => {
    let tillid: TestTillid;
    let drop: () => Promise<void>;
    let rp: client.Configuration;

    before(async () => {
      const db = await database.create();
      drop = db.drop;
      tillid = await startTestTillid({
        target: db.target,
        fileClients: [
          { client_id: 'svc', client_name: 'Service', client_secret: SECRET, redirect_uris: [REDIRECT] },
        ],
        env: { TILLID_OIDC_TRUST_PROXY: 'true' },
        methods: [reversed],
        directory,
      });
      rp = await client.discovery(
        new URL(tillid.issuer),
        'svc',
        undefined,
        client.ClientSecretBasic(SECRET),
        {
          execute: [client.allowInsecureRequests],
        },
      );
    });
    after(async () => {
      await tillid?.close();
      await drop?.();
    });

    it('refuses every step from a browser other than the one that started the login', async () => {
      const owner = newBrowser();
      const loginUrl = await openLogin(owner, (await authorize(rp)).url);
      assert.equal((await owner.json(loginUrl)).status, 200);

      const stranger = newBrowser();
      const fresh = await stranger.json(`${loginUrl}/user-id`, { userId: 'person.1' });
      assert.equal(fresh.status, 403);

      // Even with the provider's own cookies copied, the login's binding secret is missing.
      const copycat = newBrowser();
      for (const name of owner.cookieNames)
        if (name !== 'tillid_login') copycat.setCookie(name, owner.cookie(name) ?? '');
      const page = await copycat.json(loginUrl);
      assert.equal(page.status, 403);
      assert.equal((page.body['error'] as { code: string }).code, 'ERR_LOGIN_BINDING');
      const step = await copycat.json(`${loginUrl}/user-id`, { userId: 'person.1' });
      assert.equal(step.status, 403);
      copycat.setCookie('tillid_login', 'guessed');
      assert.equal((await copycat.json(`${loginUrl}/user-id`, { userId: 'person.1' })).status, 403);

      // The owner is unaffected.
      assert.equal((await owner.json(`${loginUrl}/user-id`, { userId: 'person.1' })).status, 200);
    });

    it('finishes a login only in a browser holding the provider cookie of the interaction too', async () => {
      const owner = newBrowser();
      const loginUrl = await openLogin(owner, (await authorize(rp)).url);
      await owner.json(loginUrl);
      await owner.json(`${loginUrl}/user-id`, { userId: 'person.2' });
      await owner.json(`${loginUrl}/method`, { method: 'test-reversed' });
      // The login's binding secret alone (the provider's signed cookie missing) reaches the steps, not the end.
      const half = newBrowser();
      half.setCookie('tillid_login', owner.cookie('tillid_login') ?? '');
      const finish = await half.json(`${loginUrl}/step`, { input: { password: '2.nosrep' } });
      assert.equal(finish.status, 403);
      assert.equal((finish.body['error'] as { code: string }).code, 'ERR_LOGIN_BINDING');
      // Nothing changed: the owner finishes it.
      const done = await owner.json(`${loginUrl}/step`, { input: { password: '2.nosrep' } });
      assert.equal(done.body['step'], 'finished');
    });

    it('answers an unknown user-ID exactly like a known one, and fails only at the factor', async () => {
      const results = [];
      for (const userId of ['person.2', 'nobody.here']) {
        const b = newBrowser();
        const loginUrl = await openLogin(b, (await authorize(rp)).url);
        await b.json(loginUrl);
        const r = await b.json(`${loginUrl}/user-id`, { userId });
        const started = await b.json(`${loginUrl}/method`, { method: 'test-reversed' });
        const wrong = await b.json(`${loginUrl}/step`, { input: { password: 'wrong' } });
        results.push({ r, started, wrong });
      }
      const [known, unknown] = results as [(typeof results)[0], (typeof results)[0]];
      const strip = (body: Record<string, unknown>) => ({ ...body, loginId: undefined });
      assert.equal(known.r.status, unknown.r.status);
      assert.deepEqual(strip(known.r.body), strip(unknown.r.body));
      assert.deepEqual(strip(known.started.body), strip(unknown.started.body));
      assert.equal(known.wrong.status, 401);
      const errorOf = (body: Record<string, unknown>) => ({
        ...(body['error'] as object),
        requestId: undefined,
      });
      assert.deepEqual(errorOf(known.wrong.body), errorOf(unknown.wrong.body));
    });

    it('starts the method this browser used last right after the user-ID, for an unknown user-ID too', async () => {
      const b = newBrowser();
      const first = await authorize(rp);
      await passwordLogin(b, first.url, 'person.3');
      assert.equal(b.cookie('tillid_last_method'), 'test-reversed');
      const answers: Record<string, unknown>[] = [];
      for (const userId of ['person.3', 'nobody.there']) {
        const loginUrl = await openLogin(b, (await authorize(rp)).url);
        assert.equal((await b.json(loginUrl)).body['method'], null);
        const r = await b.json(`${loginUrl}/user-id`, { userId });
        assert.equal(r.status, 200);
        answers.push({ ...r.body, loginId: undefined });
        if (userId === 'person.3') {
          // No method request: the password goes straight in, and another method can still be chosen.
          const done = await b.json(`${loginUrl}/step`, { input: { password: '3.nosrep' } });
          assert.equal(done.body['step'], 'finished');
        }
      }
      assert.deepEqual(answers[0], answers[1]);
      assert.deepEqual(answers[0]?.['method'], { id: 'test-reversed', view: { prompt: 'password' } });
      assert.equal(answers[0]?.['step'], 'method');
    });

    it('throttles user-ID attempts per source (10 a minute) without touching other sources', async () => {
      const guesser = newBrowser();
      const loginUrl = await openLogin(guesser, (await authorize(rp)).url);
      await guesser.json(loginUrl);
      for (let i = 0; i < 10; i++) {
        const r = await guesser.json(`${loginUrl}/user-id`, { userId: `guess.${i}` });
        assert.equal(r.status, 200, `attempt ${i + 1}`);
      }
      const blocked = await guesser.json(`${loginUrl}/user-id`, { userId: 'person.3' });
      assert.equal(blocked.status, 429);
      assert.equal((blocked.body['error'] as { code: string }).code, 'ERR_RATE_LIMITED');

      // The real person, elsewhere, logs in as usual.
      const a = await authorize(rp);
      const callback = await passwordLogin(newBrowser(), a.url, 'person.3');
      const tokens = await client.authorizationCodeGrant(rp, callback, {
        pkceCodeVerifier: a.verifier,
        expectedState: a.state,
      });
      assert.equal(tokens.claims()?.sub, PEOPLE[3]?.id);
      assert.equal(tokens.claims()?.['acr'], NSIS_LOA_URIS.low, 'password alone is Low');
      assert.deepEqual(tokens.claims()?.['amr'], ['pwd']);
    });

    it('sends unmet_authentication_requirements when the login is below the acr_values asked for', async () => {
      const a = await authorize(rp, { acr_values: NSIS_LOA_URIS.substantial });
      const back = await passwordLogin(newBrowser(), a.url, 'person.4');
      assert.equal(back.searchParams.get('error'), 'unmet_authentication_requirements');
      assert.equal(back.searchParams.get('code'), null);
    });

    it('works as plain HTML forms (no JavaScript)', async () => {
      const a = await authorize(rp);
      const b = newBrowser();
      const url = await openLogin(b, a.url);
      const page = await b.request(url);
      assert.match(page.headers.get('content-type') ?? '', /text\/html/);
      const html = await page.text();
      assert.match(html, /Log in to Service/);
      assert.match(html, /name="userId"/);
      const form = (path: string, fields: Record<string, string>) =>
        b.request(`${url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(fields).toString(),
        });
      const bad = await form('/user-id', { userId: 'x' });
      assert.equal(bad.status, 303);
      assert.match(String(bad.headers.get('location')), /error=login\.userId\.invalid/);
      assert.equal((await form('/user-id', { userId: DEFAULT_TEST_IDENTITY.userId })).status, 303);
      assert.match(await (await b.request(url)).text(), /development only/);
      const done = await form('/method', { method: 'dev-test-identity' });
      assert.equal(done.status, 303);
      const resume = await b.request(new URL(String(done.headers.get('location')), url));
      const back = new URL(String(resume.headers.get('location')));
      assert.ok(back.searchParams.get('code'));
      const tokens = await client.authorizationCodeGrant(rp, back, {
        pkceCodeVerifier: a.verifier,
        expectedState: a.state,
      });
      assert.equal(tokens.claims()?.sub, DEFAULT_TEST_IDENTITY.id);
    });

    it('keeps 40 interleaved logins of 40 people apart: every token reaches its own browser only', async () => {
      const logins = await Promise.all(
        PEOPLE.map(async (person) => {
          const browser = newBrowser();
          const a = await authorize(rp);
          const url = await openLogin(browser, a.url);
          return { person, browser, a, url };
        }),
      );
      const shuffled = <T>(xs: T[]) =>
        xs
          .map((x) => [Math.random(), x] as const)
          .sort((p, q) => p[0] - q[0])
          .map((p) => p[1]);
      await Promise.all(shuffled([...logins]).map((l) => l.browser.json(l.url)));
      await Promise.all(
        shuffled([...logins]).map((l) => l.browser.json(`${l.url}/user-id`, { userId: l.person.userId })),
      );
      await Promise.all(
        shuffled([...logins]).map((l) => l.browser.json(`${l.url}/method`, { method: 'test-reversed' })),
      );
      const finished = await Promise.all(
        shuffled([...logins]).map(async (l) => {
          const done = await l.browser.json(`${l.url}/step`, {
            input: { password: [...l.person.userId].reverse().join('') },
          });
          const resume = await l.browser.request(new URL(String(done.body['redirectTo']), l.url));
          return { ...l, callback: new URL(String(resume.headers.get('location'))) };
        }),
      );
      const subs = await Promise.all(
        finished.map(async (l) => {
          const tokens = await client.authorizationCodeGrant(rp, l.callback, {
            pkceCodeVerifier: l.a.verifier,
            expectedState: l.a.state,
          });
          const info = await client.fetchUserInfo(rp, tokens.access_token, l.person.id);
          return {
            expected: l.person.id,
            sub: tokens.claims()?.sub,
            name: info['name'],
            wanted: l.person.userId,
          };
        }),
      );
      for (const s of subs) {
        assert.equal(s.sub, s.expected);
        assert.equal(s.name, s.wanted);
      }
    });
  });
}
