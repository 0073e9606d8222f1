// The app instance's device key: an ECDSA P-256 key pair made on the phone (in the browser a non-extractable
// WebCrypto key). The server keeps the public key as a JWK and verifies signatures over its own challenges.
import { createHash, createPublicKey, type KeyObject, verify } from 'node:crypto';
import { APP_STATEMENTS } from '@tillid/core';
import { z } from 'zod';
import { ServerError } from '../errors.ts';
import type { DevicePublicJwk } from './app-instance-repository.ts';

const B64URL = /^[A-Za-z0-9_-]+$/;

/** What an app sends for its public key: a JWK, or SPKI DER in base64url. */
export const devicePublicKeySchema = z.union([
  z.object({
    jwk: z.object({
      kty: z.literal('EC'),
      crv: z.literal('P-256'),
      x: z.string().regex(B64URL).max(64),
      y: z.string().regex(B64URL).max(64),
    }),
  }),
  z.object({ spki: z.string().regex(B64URL).max(400) }),
]);

export type DevicePublicKeyInput = z.infer<typeof devicePublicKeySchema>;

function keyInvalid(cause?: unknown): ServerError {
  return new ServerError('ERR_APP_KEY_INVALID', 'the device key is not an ECDSA P-256 public key', {
    status: 400,
    messageId: 'app.deviceKey.invalid',
    cause,
  });
}

/** Parses and normalises the key (a point on P-256, else ERR_APP_KEY_INVALID). */
export function parseDevicePublicKey(input: DevicePublicKeyInput): DevicePublicJwk {
  let key: KeyObject;
  try {
    key =
      'jwk' in input
        ? createPublicKey({ key: { ...input.jwk }, format: 'jwk' })
        : createPublicKey({ key: Buffer.from(input.spki, 'base64url'), format: 'der', type: 'spki' });
  } catch (cause) {
    throw keyInvalid(cause);
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw keyInvalid();
  }
  const jwk = key.export({ format: 'jwk' });
  if (typeof jwk.x !== 'string' || typeof jwk.y !== 'string') throw keyInvalid();
  return { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y };
}

/** RFC 7638 JWK thumbprint (SHA-256, base64url): names a key in a QR code or a signed statement. */
export function jwkThumbprint(jwk: DevicePublicJwk): string {
  // RFC 7638 §3.2: the required members in lexicographic order, no whitespace.
  const canonical = `{"crv":"${jwk.crv}","kty":"${jwk.kty}","x":"${jwk.x}","y":"${jwk.y}"}`;
  return createHash('sha256').update(canonical).digest('base64url');
}

/** Imported device keys by their JWK: importing a JWK costs more than the verification itself. */
const importedKeys = new Map<string, KeyObject>();
/** Enough for every app active at once on a busy node; the oldest import goes first. */
const IMPORTED_KEYS_KEPT = 10_000;

/** The KeyObject of a device key (a pure function of the JWK, so keeping it can never be stale). */
function importedKey(jwk: DevicePublicJwk): KeyObject {
  const point = `${jwk.kty}.${jwk.crv}.${jwk.x}.${jwk.y}`;
  let key = importedKeys.get(point);
  if (!key) {
    key = createPublicKey({ key: { ...jwk }, format: 'jwk' });
    if (importedKeys.size >= IMPORTED_KEYS_KEPT)
      importedKeys.delete(importedKeys.keys().next().value as string);
    importedKeys.set(point, key);
  }
  return key;
}

/**
 * Verifies an ECDSA P-256 / SHA-256 signature over `message`. WebCrypto signs in the IEEE P1363 form
 * (r ‖ s, 64 bytes); a DER signature is accepted too. Never rejects: anything malformed is false. The
 * verification runs on libuv's thread pool (node:crypto's verify with a callback), not on the event loop: a
 * login verifies two signatures, and a server process's event loop is its busiest core.
 */
export function verifyDeviceSignature(
  jwk: DevicePublicJwk,
  message: string,
  signature: string,
): Promise<boolean> {
  if (typeof signature !== 'string' || signature.length > 200 || !B64URL.test(signature))
    return Promise.resolve(false);
  return new Promise((resolve) => {
    try {
      const sig = Buffer.from(signature, 'base64url');
      verify(
        'sha256',
        Buffer.from(message, 'utf8'),
        { key: importedKey(jwk), dsaEncoding: sig.length === 64 ? 'ieee-p1363' : 'der' },
        sig,
        (error, valid) => resolve(!error && valid),
      );
    } catch {
      resolve(false);
    }
  });
}

/** The statements an app signs (@tillid/core, shared with the app that signs them). */
export const SIGNED = APP_STATEMENTS;
