// The provider against a real relying party (openid-client) over HTTP on a loopback port, on both stores:
// discovery, code + PKCE, ID token validation, userinfo, and the refusals a provider owes its services.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NSIS_LOA_URIS } from '@tillid/core';
import * as client from 'openid-client';
import { TEST_DATABASES } from '../../test/helpers/test-databases.ts';
import { CPR_CLAIM, pairwiseSubject } from './claims.ts';
import { DEFAULT_TEST_IDENTITY } from './identity-directory.ts';
import { browserLogin, startTestTillid, TestBrowser, type TestTillid } from './testing/test-browser.ts';

const SECRET = 'a-long-enough-client-secret-for-the-tests-0123456789';
const REDIRECT = 'http://localhost:8081/callback';

async function relyingParty(issuer: string, clientId: string) {
  return client.discovery(new URL(issuer), clientId, undefined, client.ClientSecretBasic(SECRET), {
    execute: [client.allowInsecureRequests],
  });
}

async function authorization(
  cfg: client.Configuration,
  scope = 'openid profile',
  extra: Record<string, string> = {},
) {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(cfg, {
    redirect_uri: REDIRECT,
    scope,
    state,
    nonce,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    ...extra,
  });
  return { url, verifier, state, nonce };
}

for (const database of TEST_DATABASES) {
  describe(`OIDC provider with openid-client (${database.name})`, { skip: database.skip }, () => {
    let tillid: TestTillid;
    let drop: () => Promise<void>;
    let rp: client.Configuration;

    before(async () => {
      const db = await database.create();
      drop = db.drop;
      tillid = await startTestTillid({
        target: db.target,
        fileClients: [
          {
            client_id: 'demo-service',
            client_name: 'Demo service',
            client_secret: SECRET,
            redirect_uris: [REDIRECT],
          },
        ],
        dbClients: [
          {
            client_id: 'pairwise-service',
            client_name: 'Pairwise service',
            client_secret: SECRET,
            redirect_uris: [REDIRECT],
            subject_type: 'pairwise',
          },
        ],
      });
      rp = await relyingParty(tillid.issuer, 'demo-service');
    });
    after(async () => {
      await tillid?.close();
      await drop?.();
    });

    it('publishes discovery: code flow with S256 PKCE only, NSIS acr values, the ssn scope', async () => {
      const m = rp.serverMetadata();
      assert.equal(m.issuer, `${tillid.url}/oidc`);
      assert.deepEqual(m.response_types_supported, ['code']);
      assert.deepEqual(m.code_challenge_methods_supported, ['S256']);
      assert.ok(m.scopes_supported?.includes('ssn'));
      assert.deepEqual(m.acr_values_supported, Object.values(NSIS_LOA_URIS));
      assert.ok(m.subject_types_supported?.includes('pairwise'));
      const jwks = (await (await fetch(String(m.jwks_uri))).json()) as {
        keys: Array<Record<string, unknown>>;
      };
      assert.equal(jwks.keys.length, 1);
      assert.equal(jwks.keys[0]?.['d'], undefined, 'no private key material in the JWKS');
    });

    it('logs in with code + PKCE: a valid ID token with sub, acr Low, and userinfo claims', async () => {
      const a = await authorization(rp, 'openid profile');
      const { callback } = await browserLogin(new TestBrowser(), a.url, {
        userId: DEFAULT_TEST_IDENTITY.userId,
      });
      const tokens = await client.authorizationCodeGrant(rp, callback, {
        pkceCodeVerifier: a.verifier,
        expectedState: a.state,
        expectedNonce: a.nonce,
      });
      const claims = tokens.claims();
      assert.ok(claims);
      assert.equal(claims.sub, DEFAULT_TEST_IDENTITY.id);
      assert.equal(claims['acr'], NSIS_LOA_URIS.low);
      assert.equal(claims.iss, tillid.issuer);
      assert.equal(typeof claims.auth_time, 'number');
      assert.equal(claims['dk.cpr'], undefined);
      const info = await client.fetchUserInfo(rp, tokens.access_token, claims.sub);
      assert.equal(info['name'], DEFAULT_TEST_IDENTITY.name);
      assert.equal(info['birthdate'], DEFAULT_TEST_IDENTITY.birthdate);
      assert.equal(info[CPR_CLAIM], undefined, 'no CPR without scope ssn');
    });

    it('releases the CPR number only with scope ssn', async () => {
      const a = await authorization(rp, 'openid ssn');
      const { callback } = await browserLogin(new TestBrowser(), a.url, {
        userId: DEFAULT_TEST_IDENTITY.userId,
      });
      const tokens = await client.authorizationCodeGrant(rp, callback, {
        pkceCodeVerifier: a.verifier,
        expectedState: a.state,
        expectedNonce: a.nonce,
      });
      const info = await client.fetchUserInfo(rp, tokens.access_token, DEFAULT_TEST_IDENTITY.id);
      assert.equal(info[CPR_CLAIM], DEFAULT_TEST_IDENTITY.cpr);
      assert.equal(info['name'], undefined, 'no profile claims without scope profile');
    });

    it('gives a pairwise service a per-sector subject keyed with the server HMAC key', async () => {
      const pairwise = await relyingParty(tillid.issuer, 'pairwise-service');
      const a = await authorization(pairwise, 'openid');
      const { callback } = await browserLogin(new TestBrowser(), a.url, {
        userId: DEFAULT_TEST_IDENTITY.userId,
      });
      const tokens = await client.authorizationCodeGrant(pairwise, callback, {
        pkceCodeVerifier: a.verifier,
        expectedState: a.state,
        expectedNonce: a.nonce,
      });
      const sub = tokens.claims()?.sub;
      assert.notEqual(sub, DEFAULT_TEST_IDENTITY.id);
      assert.equal(
        sub,
        pairwiseSubject(tillid.config.secrets.hmacKey, 'localhost:8081', DEFAULT_TEST_IDENTITY.id),
      );
    });

    it('refuses an authorization request without PKCE, or with the plain method', async () => {
      const noPkce = client.buildAuthorizationUrl(rp, {
        redirect_uri: REDIRECT,
        scope: 'openid',
        state: 's',
      });
      const r = await new TestBrowser().request(noPkce);
      const to = new URL(String(r.headers.get('location')));
      assert.equal(to.origin + to.pathname, REDIRECT);
      assert.equal(to.searchParams.get('error'), 'invalid_request');
      assert.equal(to.searchParams.get('code'), null);
      const plain = client.buildAuthorizationUrl(rp, {
        redirect_uri: REDIRECT,
        scope: 'openid',
        code_challenge: 'x'.repeat(43),
        code_challenge_method: 'plain',
      });
      const p = new URL(String((await new TestBrowser().request(plain)).headers.get('location')));
      assert.equal(p.searchParams.get('error'), 'invalid_request');
    });

    it('refuses the token request without the PKCE verifier', async () => {
      const a = await authorization(rp);
      const { callback } = await browserLogin(new TestBrowser(), a.url, {
        userId: DEFAULT_TEST_IDENTITY.userId,
      });
      await assert.rejects(
        client.authorizationCodeGrant(rp, callback, { expectedState: a.state, expectedNonce: a.nonce }),
        (e: unknown) => e instanceof client.ResponseBodyError && e.error === 'invalid_grant',
      );
    });

    it('refuses a redirect_uri that is not registered, without redirecting there', async () => {
      const a = await authorization(rp, 'openid', { redirect_uri: 'http://localhost:8081/evil' });
      const r = await new TestBrowser().request(a.url);
      assert.equal(r.status, 400);
      assert.equal(r.headers.get('location'), null);
      assert.match(await r.text(), /data-error="invalid_redirect_uri"/);
    });

    it('refuses a code used twice and revokes what the first use issued', async () => {
      const a = await authorization(rp);
      const { callback } = await browserLogin(new TestBrowser(), a.url, {
        userId: DEFAULT_TEST_IDENTITY.userId,
      });
      const checks = { pkceCodeVerifier: a.verifier, expectedState: a.state, expectedNonce: a.nonce };
      const first = await client.authorizationCodeGrant(rp, callback, checks);
      await assert.rejects(
        client.authorizationCodeGrant(rp, callback, checks),
        (e: unknown) => e instanceof client.ResponseBodyError && e.error === 'invalid_grant',
      );
      await assert.rejects(client.fetchUserInfo(rp, first.access_token, DEFAULT_TEST_IDENTITY.id));
    });
  });
}
