// Authenticates requests an app instance makes about itself (list, rename, revoke, transfer, push, pending
// approvals): the device key signs method, path, time and the SHA-256 of the exact body. A signature is
// accepted once (a replay guard keyed by its hash) and within 2 minutes of the server's clock.
import { createHash } from 'node:crypto';
import { APP_SIGNED_HEADERS } from '@tillid/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ServerError } from '../errors.ts';
import { together } from '../together.ts';
import type { AppAuthenticatorDeps } from './app-authenticator-deps.ts';
import type { AppInstanceRow } from './app-instance-repository.ts';
import { SIGNED, verifyDeviceSignature } from './device-key.ts';
import { instanceLocked } from './instance-pin.ts';

export const SIGNATURE_WINDOW_MS = 120_000;

export const HEADERS = APP_SIGNED_HEADERS;

type WithRawBody = FastifyRequest & { tillidRawBody?: string };

/**
 * JSON bodies of the scope are parsed by hand so the exact bytes the app signed are kept (re-serialising
 * parsed JSON would not reproduce them).
 */
export function keepRawJsonBodies(scope: FastifyInstance): void {
  scope.removeContentTypeParser('application/json');
  scope.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    (request as WithRawBody).tillidRawBody = String(body);
    if (String(body).length === 0) return done(null, {});
    try {
      done(null, JSON.parse(String(body)));
    } catch {
      done(
        new ServerError('ERR_BAD_JSON', 'the request body is not valid JSON', {
          status: 400,
          messageId: 'error.badJson',
        }),
        undefined,
      );
    }
  });
}

function invalid(): ServerError {
  return new ServerError('ERR_APP_SIGNATURE_INVALID', 'the app signature is missing, old or not valid', {
    status: 401,
    messageId: 'app.signature.invalid',
  });
}

export function bodySha256(raw: string): string {
  return createHash('sha256').update(raw, 'utf8').digest('base64url');
}

/** The instance that signed `request`; unknown instances and bad signatures get the same answer. */
export async function authenticateAppRequest(
  deps: Pick<AppAuthenticatorDeps, 'store'>,
  request: FastifyRequest,
  now: number,
): Promise<AppInstanceRow> {
  const [instance] = await authenticateAppRequestWith(deps, request, now, () => undefined);
  return instance;
}

/**
 * As authenticateAppRequest, and `alongside` (reads for the request, given the instance once its signature
 * holds) runs together with the replay check: one round trip less. Its result is used only when the request
 * is not a replay; a replay gets the same answer as a bad signature whatever `alongside` did.
 */
export async function authenticateAppRequestWith<T>(
  deps: Pick<AppAuthenticatorDeps, 'store'>,
  request: FastifyRequest,
  now: number,
  alongside: (instance: AppInstanceRow) => Promise<T> | T,
): Promise<[AppInstanceRow, T]> {
  const header = (name: string) => {
    const v = request.headers[name];
    return typeof v === 'string' ? v : undefined;
  };
  const instanceId = header(HEADERS.instance);
  const signedAt = Number(header(HEADERS.signedAt));
  const signature = header(HEADERS.signature);
  if (!instanceId || instanceId.length > 64 || !signature || !Number.isSafeInteger(signedAt)) throw invalid();
  if (Math.abs(now - signedAt) > SIGNATURE_WINDOW_MS) throw invalid();
  const instance = await deps.store.appInstances.get(instanceId);
  if (!instance || instance.status === 'revoked') throw invalid();
  const raw = (request as WithRawBody).tillidRawBody ?? '';
  const message = SIGNED.request(request.method, request.url, signedAt, bodySha256(raw));
  if (!(await verifyDeviceSignature(instance.publicKey, message, signature))) throw invalid();
  // Locked instances prove who they are but may do nothing; checked after the signature (no oracle).
  if (instance.status === 'locked') throw instanceLocked();
  const nonce = createHash('sha256').update(signature).digest('base64url');
  const [fresh, extra] = await together(
    deps.store.appInstances.useNonce(nonce, signedAt + 2 * SIGNATURE_WINDOW_MS, now),
    alongside(instance),
  );
  if (!fresh) throw invalid();
  return [instance, extra];
}
