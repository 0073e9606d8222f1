// The demo service against a real Tillid (OIDC provider in-process on a loopback port): log in with the
// development test identity and see the claims and the acr on the page.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { loadClientsFile } from '../../../packages/server/src/oidc/clients.ts';
import { DEFAULT_TEST_IDENTITY } from '../../../packages/server/src/oidc/identity-directory.ts';
import {
  freePort,
  startTestTillid,
  TestBrowser,
  type TestTillid,
} from '../../../packages/server/src/oidc/testing/test-browser.ts';
import { TEST_DATABASES } from '../../../packages/server/test/helpers/test-databases.ts';
import { buildDemoApp } from './demo-app.ts';

const SECRET = 'demo-service-development-secret-do-not-use-in-production';
const sqlite = TEST_DATABASES.find((d) => d.name === 'sqlite');

describe('demo service logs in with Tillid', () => {
  let tillid: TestTillid;
  let demo: FastifyInstance;
  let demoUrl: string;
  let drop: () => Promise<void>;

  before(async () => {
    const db = await sqlite!.create();
    drop = db.drop;
    const port = await freePort();
    demoUrl = `http://localhost:${port}`;
    tillid = await startTestTillid({
      target: db.target,
      fileClients: [
        {
          client_id: 'demo-service',
          client_name: 'Tillid demo service',
          client_secret: SECRET,
          redirect_uris: [`${demoUrl}/callback`],
        },
      ],
    });
    demo = buildDemoApp({
      issuer: tillid.issuer,
      clientId: 'demo-service',
      clientSecret: SECRET,
      redirectUri: `${demoUrl}/callback`,
      scope: 'openid profile ssn',
      allowHttpIssuer: true,
    });
    await demo.listen({ host: 'localhost', port });
  });
  after(async () => {
    await demo?.close();
    await tillid?.close();
    await drop?.();
  });

  it('shows the name, the CPR number and acr Low after a test identity login', async () => {
    const browser = new TestBrowser();
    const start = await browser.request(`${demoUrl}/login`);
    assert.equal(start.status, 303);
    const authorize = new URL(String(start.headers.get('location')));
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
    const toLogin = await browser.request(authorize);
    const loginUrl = new URL(String(toLogin.headers.get('location')), authorize);
    await browser.json(loginUrl);
    await browser.json(`${loginUrl}/user-id`, { userId: DEFAULT_TEST_IDENTITY.userId });
    const done = await browser.json(`${loginUrl}/method`, { method: 'dev-test-identity' });
    const resume = await browser.request(new URL(String(done.body['redirectTo']), loginUrl));
    const callback = String(resume.headers.get('location'));
    assert.ok(callback.startsWith(`${demoUrl}/callback?`));
    const back = await browser.request(callback);
    assert.equal(back.status, 303, await back.clone().text());
    const home = await (await browser.request(`${demoUrl}/`)).text();
    assert.match(home, /data-acr="https:\/\/data\.gov\.dk\/concept\/core\/nsis\/loa\/Low"/);
    assert.match(home, new RegExp(DEFAULT_TEST_IDENTITY.cpr));
    assert.match(home, new RegExp(DEFAULT_TEST_IDENTITY.name));
  });

  it('ships a development clients file that Tillid accepts', () => {
    const file = new URL('../tillid-clients.dev.json', import.meta.url).pathname;
    const [c] = loadClientsFile(file, 'development');
    assert.equal(c?.client_id, 'demo-service');
    assert.equal(c?.client_secret, SECRET);
    assert.deepEqual(c?.redirect_uris, ['http://localhost:8081/callback']);
  });
});
