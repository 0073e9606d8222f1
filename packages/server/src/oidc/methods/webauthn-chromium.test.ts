// WebAuthn with a real browser: Chromium's virtual authenticators (DevTools protocol WebAuthn domain) make the
// credentials and assertions, @simplewebauthn/server verifies them. The chip (a roaming FIDO2 key, discoverable)
// is registered and then used with the password to log in at High; the app's biometrics (a platform credential
// with user verification) is turned on and then approves a login instead of the PIN. SQLite only: the stores
// are covered by the other login tests, this one is about the browser.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { NSIS_LOA_URIS } from '@tillid/core';
import * as client from 'openid-client';
import { type Browser, chromium, type Page } from 'playwright-core';
import { TEST_DATABASES } from '../../../test/helpers/test-databases.ts';
import { SIGNED } from '../../app-authenticator/device-key.ts';
import {
  type AppTillid,
  errorCode,
  REDIRECT,
  seedAppInstance,
  startAppTillid,
  TEST_PIN,
} from '../../app-authenticator/testing/test-app.ts';
import { lookups } from '../../identity/identity-service.ts';
import { TestBrowser } from '../testing/test-browser.ts';

const CHROMIUM = '/usr/bin/chromium';
const PASSWORD = 'Rugbrød og rullepølse 42';
const sqlite = TEST_DATABASES.find((d) => d.name === 'sqlite');

/** A page on the server's origin with one virtual authenticator of the given transport. */
async function pageWithAuthenticator(
  browser: Browser,
  origin: string,
  transport: 'usb' | 'internal',
): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${origin}/healthz`);
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport,
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return page;
}

function create(page: Page, options: unknown): Promise<Record<string, unknown>> {
  return page.evaluate(async (json) => {
    const publicKey = PublicKeyCredential.parseCreationOptionsFromJSON(
      json as PublicKeyCredentialCreationOptionsJSON,
    );
    const credential = (await navigator.credentials.create({ publicKey })) as PublicKeyCredential;
    return credential.toJSON() as unknown as Record<string, unknown>;
  }, options);
}

function get(page: Page, options: unknown): Promise<Record<string, unknown>> {
  return page.evaluate(async (json) => {
    const publicKey = PublicKeyCredential.parseRequestOptionsFromJSON(
      json as PublicKeyCredentialRequestOptionsJSON,
    );
    const credential = (await navigator.credentials.get({ publicKey })) as PublicKeyCredential;
    return credential.toJSON() as unknown as Record<string, unknown>;
  }, options);
}

describe('WebAuthn with Chromium virtual authenticators', {
  skip: existsSync(CHROMIUM) ? undefined : 'no Chromium at /usr/bin/chromium',
}, () => {
  let t: AppTillid;
  let drop: () => Promise<void>;
  let browser: Browser;
  let rp: client.Configuration;

  before(async () => {
    const db = await (sqlite ?? TEST_DATABASES[0])!.create();
    drop = db.drop;
    t = await startAppTillid({
      target: db.target,
      hostname: 'localhost',
      // Test sessions: the header names a user-ID (the real session mechanism is not part of this test).
      identityOf: async (request) => {
        const userId = request.headers['x-test-user-id'];
        if (typeof userId !== 'string') return undefined;
        const row = await t.store.identities.findBy(
          'user_id_lookup',
          lookups.userId(t.config.secrets.hmacKey, userId),
        );
        return row ? { identityId: row.id, userId } : undefined;
      },
    });
    rp = await t.relyingParty();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  });
  after(async () => {
    await browser?.close();
    await t?.close();
    await drop?.();
  });

  async function loginUntilMethod(userId: string, method: string) {
    const b = new TestBrowser({ 'x-forwarded-for': `203.0.113.${Math.floor(Math.random() * 250)}` });
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(rp, {
      redirect_uri: REDIRECT,
      scope: 'openid',
      state,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const start = await b.request(url);
    const loginUrl = new URL(String(start.headers.get('location')), url);
    await b.json(loginUrl);
    await b.json(`${loginUrl}/user-id`, { userId });
    const started = await b.json(`${loginUrl}/method`, { method });
    const finish = async (input: unknown) => {
      const done = await b.json(`${loginUrl}/step`, { input });
      if (done.body['step'] !== 'finished') return { done, tokens: undefined };
      const resume = await b.request(new URL(String(done.body['redirectTo']), loginUrl));
      const tokens = await client.authorizationCodeGrant(
        rp,
        new URL(String(resume.headers.get('location'))),
        {
          pkceCodeVerifier: verifier,
          expectedState: state,
        },
      );
      return { done, tokens };
    };
    return { started, finish };
  }

  it('registers a chip (FIDO2 key) and logs in with it and the password at High', async () => {
    const userId = 'chip.person';
    const identityId = await t.seedIdentity({ userId, phone: '+4560000001', proofing: 'high' });
    const page = await pageWithAuthenticator(browser, t.url, 'usb');
    const post = async (path: string, body: unknown) => {
      const r = await fetch(`${t.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-test-user-id': userId },
        body: JSON.stringify(body),
      });
      return { status: r.status, body: (await r.json()) as Record<string, unknown> };
    };
    const begun = await post('/v1/chip/registrations', {});
    assert.equal(begun.status, 201);
    assert.equal(begun.body['passwordRequired'], true);
    const credential = await create(page, begun.body['options']);
    const done = await post(`/v1/chip/registrations/${begun.body['registrationId']}`, {
      credential,
      password: PASSWORD,
      repeat: PASSWORD,
    });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.equal((await t.store.webauthnCredentials.activeChip(identityId))?.id, credential['id']);
    // 1 active chip.
    assert.equal(errorCode(await post('/v1/chip/registrations', {})), 'ERR_CHIP_LIMIT');

    const login = await loginUntilMethod(userId, 'chip');
    const options = (login.started.body['method'] as { view: { webauthn: { allowCredentials?: unknown[] } } })
      .view.webauthn;
    assert.deepEqual(
      options.allowCredentials ?? [],
      [],
      'the options name no credential (no user-ID oracle)',
    );
    const assertion = await get(page, options);
    const ok = await login.finish({ password: PASSWORD, credential: assertion });
    assert.equal(ok.tokens?.claims()?.sub, identityId);
    assert.equal(ok.tokens?.claims()?.['acr'], NSIS_LOA_URIS.high);
    assert.deepEqual(ok.tokens?.claims()?.['amr'], ['hwk', 'mfa', 'pwd']);

    // A valid assertion with the wrong password fails; so does replaying the old assertion.
    const again = await loginUntilMethod(userId, 'chip');
    const fresh = await get(
      page,
      (again.started.body['method'] as { view: { webauthn: unknown } }).view.webauthn,
    );
    assert.equal(
      errorCode((await again.finish({ password: 'wrong password 1', credential: fresh })).done),
      'ERR_LOGIN_FAILED',
    );
    const replay = await loginUntilMethod(userId, 'chip');
    assert.equal(
      errorCode((await replay.finish({ password: PASSWORD, credential: assertion })).done),
      'ERR_LOGIN_FAILED',
    );
  });

  it('turns on app biometrics (platform credential) and approves a login with it instead of the PIN', async () => {
    const userId = 'bio.person';
    const identityId = await t.seedIdentity({ userId, phone: '+4560000002' });
    const phone = await seedAppInstance(t, identityId);
    const page = await pageWithAuthenticator(browser, t.url, 'internal');
    const options = (await phone.signed('/v1/app/instances/biometrics/options')).answer.body;
    const credential = await create(page, options);
    const on = (await phone.signed('/v1/app/instances/biometrics', { pin: TEST_PIN, credential })).answer;
    assert.equal(on.status, 200, JSON.stringify(on.body));
    assert.equal(on.body['biometrics'], true);

    const login = await loginUntilMethod(userId, 'app');
    const loginId = String(login.started.body['loginId']);
    const number = (login.started.body['method'] as { view: { number: string } }).view.number;
    const opened = (await phone.signed(`/v1/app/approvals/${loginId}/open`, { seen: { number } })).answer;
    assert.ok(opened.body['biometrics'], 'the app gets WebAuthn options for its biometrics');
    const assertion = await get(page, opened.body['biometrics']);
    const signature = await phone.sign(
      SIGNED.approval({
        loginId,
        challenge: String(opened.body['challenge']),
        clientId: 'svc',
        scopes: ['openid'],
        decision: 'approve',
      }),
    );
    const decided = await phone.post(`/v1/app/approvals/${loginId}/decide`, {
      instanceId: phone.instanceId,
      decision: 'approve',
      signature,
      biometrics: assertion,
    });
    assert.equal(decided.status, 200, JSON.stringify(decided.body));
    const { tokens } = await login.finish({ poll: true });
    assert.equal(tokens?.claims()?.sub, identityId);
    assert.equal(tokens?.claims()?.['acr'], NSIS_LOA_URIS.substantial);
    assert.deepEqual(tokens?.claims()?.['amr'], ['mfa', 'swk', 'user']);
  });
});
