// Signing key rotation on both stores: a rotated-out key stays published (tokens it signed keep verifying)
// until its retirement time, the new key signs from the next provider reload, keys are sealed at rest.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import * as client from 'openid-client';
import { TEST_DATABASES } from '../../test/helpers/test-databases.ts';
import { SecretBox } from '../crypto/secret-box.ts';
import { DEFAULT_TEST_IDENTITY } from './identity-directory.ts';
import { deleteRetiredSigningKeys, listSigningKeys, rotateSigningKey } from './signing-keys.ts';
import { browserLogin, startTestTillid, TestBrowser, type TestTillid } from './testing/test-browser.ts';

const SECRET = 'a-long-enough-client-secret-for-the-tests-0123456789';
const REDIRECT = 'http://localhost:8081/callback';
const HOUR = 3600_000;

for (const database of TEST_DATABASES) {
  describe(`OIDC signing key rotation (${database.name})`, { skip: database.skip }, () => {
    let tillid: TestTillid;
    let drop: () => Promise<void>;
    let rp: client.Configuration;
    let offset = 0;

    const keyDeps = () => ({
      db: tillid.store.db,
      secretBox: new SecretBox(tillid.config.secrets.encryptionKey),
    });
    const now = () => Date.now() + offset;
    const advance = (ms: number) => {
      offset += ms;
      tillid.advance(ms);
    };

    async function idToken(): Promise<string> {
      const verifier = client.randomPKCECodeVerifier();
      const url = client.buildAuthorizationUrl(rp, {
        redirect_uri: REDIRECT,
        scope: 'openid',
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      });
      const { callback } = await browserLogin(new TestBrowser(), url, {
        userId: DEFAULT_TEST_IDENTITY.userId,
      });
      const tokens = await client.authorizationCodeGrant(rp, callback, { pkceCodeVerifier: verifier });
      return String(tokens.id_token);
    }

    async function publishedJwks() {
      const r = await fetch(`${tillid.issuer}/jwks`);
      return (await r.json()) as { keys: Array<{ kid: string; d?: string }> };
    }

    before(async () => {
      const db = await database.create();
      drop = db.drop;
      tillid = await startTestTillid({
        target: db.target,
        fileClients: [{ client_id: 'svc', client_secret: SECRET, redirect_uris: [REDIRECT] }],
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

    it('keeps tokens of the old key verifiable while it is published, then retires it', async () => {
      const [first] = await listSigningKeys(keyDeps(), now());
      assert.equal(first?.status, 'active');
      const oldToken = await idToken();
      assert.equal(decodeProtectedHeader(oldToken).kid, first?.kid);

      const rotated = await rotateSigningKey(keyDeps(), { now: now(), retireAfterMs: 24 * HOUR });
      assert.deepEqual(rotated.retiring, [first?.kid]);
      assert.equal(await tillid.oidc.reloadKeys(), true);
      assert.equal(await tillid.oidc.reloadKeys(), false, 'nothing changed since');

      const jwks = await publishedJwks();
      assert.deepEqual(
        jwks.keys.map((k) => k.kid),
        [rotated.kid, first?.kid],
      );
      assert.ok(jwks.keys.every((k) => k.d === undefined));
      const options = { issuer: tillid.issuer, audience: 'svc', currentDate: new Date() };
      await jwtVerify(oldToken, createLocalJWKSet(jwks as never), options);

      const newToken = await idToken();
      assert.equal(decodeProtectedHeader(newToken).kid, rotated.kid, 'the new key signs');

      advance(24 * HOUR + 1);
      assert.equal(await tillid.oidc.reloadKeys(), true);
      const later = await publishedJwks();
      assert.deepEqual(
        later.keys.map((k) => k.kid),
        [rotated.kid],
      );
      await assert.rejects(jwtVerify(oldToken, createLocalJWKSet(later as never), options));
      await jwtVerify(newToken, createLocalJWKSet(later as never), options);
      assert.deepEqual(await deleteRetiredSigningKeys(keyDeps(), now()), [first?.kid]);
    });

    it('stores private keys sealed only', async () => {
      const rows = await tillid.store.db.selectFrom('oidc_signing_keys').selectAll().execute();
      assert.ok(rows.length >= 1);
      for (const r of rows) {
        assert.match(r.private_jwk_sealed, /^v1\./);
        assert.doesNotMatch(r.private_jwk_sealed, /"d"/);
      }
    });
  });
}
