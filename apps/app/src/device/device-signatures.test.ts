// The app's signatures against the server's own verifier: a WebCrypto device key's signatures (request
// headers, activation proof, approval) over @tillid/core's APP_STATEMENTS verify on the server.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { APP_SIGNED_HEADERS as SIGNED_HEADERS, APP_STATEMENTS as STATEMENTS } from '@tillid/core';
import fc from 'fast-check';
import {
  jwkThumbprint,
  SIGNED,
  verifyDeviceSignature,
} from '../../../../packages/server/src/app-authenticator/device-key.ts';
import { bodySha256 } from '../../../../packages/server/src/app-authenticator/signed-request.ts';
import { parseLoginQr, parseProximityQr, parseTransferQr, signedHeaders } from '../api/app-api.ts';
import { generateDeviceKey, publicJwk, sha256Base64url, signText } from './device-key.ts';

describe('device signatures', () => {
  it('hashes a body as the server does', async () => {
    for (const body of ['{}', '{"pin":"123456"}', '{"seen":{"number":"07"}}', 'æøå ✓']) {
      assert.equal(await sha256Base64url(body), bodySha256(body));
    }
  });

  it('signs requests, activation proofs and approvals that the server verifies', async () => {
    const keys = await generateDeviceKey();
    assert.equal(keys.privateKey.extractable, false);
    const jwk = await publicJwk(keys.publicKey);
    const signer = { instanceId: 'instance-1', privateKey: keys.privateKey };
    const body = { seen: { number: '42' } };
    const now = 1_764_000_000_000;
    const headers = await signedHeaders(signer, '/v1/app/approvals/abc/open', body, now);
    assert.equal(headers[SIGNED_HEADERS.instance], 'instance-1');
    assert.equal(headers[SIGNED_HEADERS.signedAt], String(now));
    const statement = SIGNED.request(
      'POST',
      '/v1/app/approvals/abc/open',
      now,
      bodySha256(JSON.stringify(body)),
    );
    assert.ok(await verifyDeviceSignature(jwk, statement, headers[SIGNED_HEADERS.signature]!));
    // Another path, time or body does not verify.
    assert.ok(
      !(await verifyDeviceSignature(
        jwk,
        statement.replace('abc', 'abd'),
        headers[SIGNED_HEADERS.signature]!,
      )),
    );

    const proof = await signText(keys.privateKey, STATEMENTS.activation('t-1', 'i-1'));
    assert.ok(await verifyDeviceSignature(jwk, SIGNED.activation('t-1', 'i-1'), proof));
    assert.ok(!(await verifyDeviceSignature(jwk, SIGNED.proximity('t-1', 'i-1'), proof)));
  });

  it('reads the QR texts it expects and nothing else', async () => {
    const id = '3f2b8a44-1c1e-4a43-9d7e-0c6f4ab0e1aa';
    const secret = 'A'.repeat(43);
    assert.deepEqual(parseTransferQr(`tillid:transfer:v1:${id}.${secret}`), { transferId: id, secret });
    const jwk = await publicJwk((await generateDeviceKey()).publicKey);
    const thumbprint = jwkThumbprint(jwk);
    assert.deepEqual(parseProximityQr(`tillid:proximity:v1:${id}:${thumbprint}`), {
      transferId: id,
      thumbprint,
    });
    assert.deepEqual(parseLoginQr(`tillid:login:v1:abcDEF_123.${secret}`), { loginId: 'abcDEF_123' });
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        // Hostile text never throws and is only accepted in the exact forms.
        const t = parseTransferQr(s);
        const p = parseProximityQr(s);
        const l = parseLoginQr(s);
        if (t) assert.ok(s.trim().startsWith('tillid:transfer:v1:'));
        if (p) assert.ok(s.trim().startsWith('tillid:proximity:v1:'));
        if (l) assert.ok(s.trim().startsWith('tillid:login:v1:'));
      }),
      { numRuns: 500 },
    );
    assert.equal(parseTransferQr(`tillid:proximity:v1:${id}:${thumbprint}`), undefined);
  });
});
