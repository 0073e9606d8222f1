// Which page a browser gets at GET /login/<uid>: the app's built login page (with its own CSP) when the
// server has one, else the server-rendered fallback; JSON callers always get the view, and a login this
// browser cannot continue is a page too, not JSON.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as client from 'openid-client';
import { TEST_DATABASES } from '../../../test/helpers/test-databases.ts';
import { startTestTillid, TestBrowser, type TestTillid } from '../testing/test-browser.ts';

const SECRET = 'a-long-enough-client-secret-for-the-tests-0123456789';
const REDIRECT = 'http://localhost:8081/callback';
const BUILT = '<!doctype html><title>app login</title><div id="root"></div>';
const APP_CSP = "default-src 'self'; script-src 'self'";
const sqlite = TEST_DATABASES.find((d) => d.name === 'sqlite');

async function authorize(rp: client.Configuration): Promise<URL> {
  return client.buildAuthorizationUrl(rp, {
    redirect_uri: REDIRECT,
    scope: 'openid',
    code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
    code_challenge_method: 'S256',
  });
}

async function openLogin(browser: TestBrowser, url: URL): Promise<URL> {
  const r = await browser.request(url);
  return new URL(String(r.headers.get('location')), url);
}

for (const built of [true, false]) {
  describe(`GET /login/<uid> for browsers (${built ? 'app page' : 'fallback page'})`, () => {
    let tillid: TestTillid;
    let drop: () => Promise<void>;
    let rp: client.Configuration;

    before(async () => {
      const db = await sqlite!.create();
      drop = db.drop;
      tillid = await startTestTillid({
        target: db.target,
        fileClients: [
          { client_id: 'svc', client_name: 'Service', client_secret: SECRET, redirect_uris: [REDIRECT] },
        ],
        ...(built
          ? { loginPage: async () => ({ html: BUILT, contentSecurityPolicy: APP_CSP }) }
          : { loginPage: async () => undefined }),
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

    it('serves the page with its CSP and binds the login to this browser', async () => {
      const browser = new TestBrowser();
      const url = await openLogin(browser, await authorize(rp));
      const page = await browser.request(url);
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-type') ?? '', /text\/html/);
      assert.equal(page.headers.get('cache-control'), 'no-store');
      assert.ok(browser.cookie('tillid_login'), 'the binding cookie is set by the page view');
      const html = await page.text();
      const csp = page.headers.get('content-security-policy') ?? '';
      if (built) {
        assert.equal(html, BUILT);
        assert.equal(csp, APP_CSP);
      } else {
        assert.match(html, /data-testid="login-user-id"/);
        assert.match(csp, /img-src data:/);
        assert.match(csp, /form-action 'self' http:\/\/localhost:8081$/);
      }
      // The page's own requests: the same login as JSON, from the same browser.
      const view = await browser.json(url);
      assert.equal(view.status, 200);
      assert.equal(view.body['step'], 'user-id');
      assert.deepEqual((view.body['service'] as { name: string }).name, 'Service');
    });

    it('answers a login this browser cannot continue with a page (403), and JSON callers with the error', async () => {
      const owner = new TestBrowser();
      const url = await openLogin(owner, await authorize(rp));
      await owner.request(url);
      const stranger = new TestBrowser();
      const page = await stranger.request(url);
      assert.equal(page.status, 403);
      assert.match(page.headers.get('content-type') ?? '', /text\/html/);
      const html = await page.text();
      if (built) assert.equal(html, BUILT);
      else assert.match(html, /data-message-id="login\.otherBrowser"/);
      const json = await stranger.json(url);
      assert.equal(json.status, 403);
      assert.equal((json.body['error'] as { code: string }).code, 'ERR_LOGIN_BINDING');
    });
  });
}
