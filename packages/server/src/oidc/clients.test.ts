// Client metadata rules: redirect URIs, secrets per auth method, the clients file.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isServerError } from '../errors.ts';
import { loadClientsFile, parseClient, toProviderMetadata } from './clients.ts';

const SECRET = 'x'.repeat(32);
const base = { client_id: 'svc', client_secret: SECRET, redirect_uris: ['https://svc.example/cb'] };
const refused = (code: string) => (e: unknown) => isServerError(e) && e.code === code;

describe('OIDC clients', () => {
  it('accepts https everywhere and http on loopback only in development', () => {
    assert.equal(parseClient(base, 'production').token_endpoint_auth_method, 'client_secret_basic');
    const local = { ...base, redirect_uris: ['http://localhost:8081/callback'] };
    assert.ok(parseClient(local, 'development'));
    assert.throws(() => parseClient(local, 'production'), refused('ERR_OIDC_CLIENT_INVALID'));
    const remote = { ...base, redirect_uris: ['http://svc.example/cb'] };
    assert.throws(() => parseClient(remote, 'development'), refused('ERR_OIDC_CLIENT_INVALID'));
    const fragment = { ...base, redirect_uris: ['https://svc.example/cb#x'] };
    assert.throws(() => parseClient(fragment, 'production'), refused('ERR_OIDC_CLIENT_INVALID'));
  });

  it('ties the secret to the authentication method', () => {
    const { client_secret: _, ...noSecret } = base;
    assert.throws(() => parseClient(noSecret, 'production'), refused('ERR_OIDC_CLIENT_INVALID'));
    assert.ok(parseClient({ ...noSecret, token_endpoint_auth_method: 'none' }, 'production'));
    assert.throws(
      () => parseClient({ ...base, token_endpoint_auth_method: 'none' }, 'production'),
      refused('ERR_OIDC_CLIENT_INVALID'),
    );
    assert.throws(() => parseClient({ ...base, client_secret: 'short' }, 'production'));
    assert.throws(
      () => parseClient({ ...noSecret, token_endpoint_auth_method: 'private_key_jwt' }, 'production'),
      refused('ERR_OIDC_CLIENT_INVALID'),
    );
    assert.throws(
      () => parseClient({ ...base, grant_types: ['implicit'] }, 'production'),
      refused('ERR_OIDC_CLIENT_INVALID'),
    );
  });

  it('gives the provider code-flow-only metadata', () => {
    const m = toProviderMetadata(parseClient(base, 'production'));
    assert.deepEqual(m.response_types, ['code']);
    assert.deepEqual(m.grant_types, ['authorization_code']);
    assert.equal(m.client_secret, SECRET);
  });

  it('reads the clients file and refuses duplicates', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tillid-clients-'));
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify([base]));
    assert.equal(loadClientsFile(file, 'production').length, 1);
    writeFileSync(file, JSON.stringify({ clients: [base, base] }));
    assert.throws(() => loadClientsFile(file, 'production'), refused('ERR_CONFIG'));
  });
});
