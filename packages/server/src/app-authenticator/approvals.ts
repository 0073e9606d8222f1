// App approval of a login (journey D). The browser that started the login shows a QR code and a number; an app
// instance of the identity may only see the service and the challenge after proving it saw one of them
// (DESIGN §3.2, MitID's push-fatigue incident), and an app that tries with the wrong one ends the approval.
// The approval is then a device-key signature over the challenge plus the PIN or the biometrics credential.
// Only the browser's own poll turns an approval into a login (the login seam binds it, DESIGN §3.1).
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { AuthFactor } from '@tillid/core';
import { z } from 'zod';
import { ServerError } from '../errors.ts';
import { together } from '../together.ts';
import type { AppAuthenticatorDeps } from './app-authenticator-deps.ts';
import type { AppInstanceRow } from './app-instance-repository.ts';
import type { ApprovalRow } from './approval-repository.ts';
import { SIGNED, verifyDeviceSignature } from './device-key.ts';
import { instanceLocked, instanceNotFound, verifyInstancePin } from './instance-pin.ts';
import { authenticationOptions, ceremonyChallenge, verifyAssertion, webauthnInvalid } from './webauthn.ts';
import type { WebauthnCredentialRow } from './webauthn-credential-repository.ts';

export const APPROVAL_POLICY = Object.freeze({
  /** How long the app has to approve; the browser may start the method again for a new QR and number. */
  validityMs: 5 * 60_000,
  /** Digits of the number to match; a blind approver gets one try (the approval ends on a wrong number). */
  numberDigits: 2,
});

export interface ApprovalStart {
  readonly loginId: string;
  readonly identityId: string | undefined;
  readonly clientId: string;
  readonly clientName: string;
  readonly scopes: readonly string[];
  readonly now: number;
}

export interface BrowserApprovalView {
  readonly qr: string;
  readonly number: string;
  readonly expiresAt: number;
}

function sha256hex(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('hex');
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Creates (or renews) the approval of a login and tells the identity's apps; an unknown user-ID gets one too. */
export async function startApproval(
  deps: Pick<AppAuthenticatorDeps, 'store' | 'notifier'>,
  input: ApprovalStart,
): Promise<BrowserApprovalView> {
  const qrSecret = randomBytes(16).toString('base64url');
  const number = String(randomInt(0, 10 ** APPROVAL_POLICY.numberDigits)).padStart(
    APPROVAL_POLICY.numberDigits,
    '0',
  );
  const expiresAt = input.now + APPROVAL_POLICY.validityMs;
  const put = deps.store.appApprovals.put({
    loginId: input.loginId,
    identityId: input.identityId ?? null,
    clientId: input.clientId,
    clientName: input.clientName,
    scopes: input.scopes,
    qrSecretHash: sha256hex(qrSecret),
    number,
    challenge: randomBytes(32).toString('base64url'),
    createdAt: input.now,
    expiresAt,
  });
  // The push says only that a login waits; the app learns the service after proving it saw the browser. The
  // identity's apps are read while the approval is written (an unknown user-ID's takes as long).
  await together(
    put,
    input.identityId === undefined
      ? undefined
      : deps.notifier.notify(
          { identityId: input.identityId, type: 'login.requested', data: {}, after: put },
          input.now,
        ),
  );
  return { qr: `tillid:login:v1:${input.loginId}.${qrSecret}`, number, expiresAt };
}

export const seenSchema = z.union([
  z.object({ qr: z.string().max(200) }).strict(),
  z.object({ number: z.string().max(10) }).strict(),
]);

function noSuchApproval(): ServerError {
  return new ServerError('ERR_APPROVAL_STATE', 'no login of yours is waiting for this approval', {
    status: 404,
    messageId: 'app.approval.notWaiting',
  });
}

function notSeen(): ServerError {
  return new ServerError(
    'ERR_APPROVAL_NOT_SEEN',
    'an approval needs the QR code or the number shown in the browser that started the login',
    { status: 403, messageId: 'app.approval.notSeen' },
  );
}

/** The approval, if it is still running and of the instance's identity. */
function liveRow(row: ApprovalRow | undefined, instance: AppInstanceRow, now: number): ApprovalRow {
  if (!row || row.expiresAt <= now || row.identityId !== instance.identityId) throw noSuchApproval();
  return row;
}

/** Pending logins of the instance's identity: the service is not named until the app proves it saw the browser. */
export async function pendingApprovals(
  deps: Pick<AppAuthenticatorDeps, 'store'>,
  instance: AppInstanceRow,
  now: number,
) {
  const rows = await deps.store.appApprovals.pendingFor(instance.identityId, now);
  return rows
    .filter((r) => r.status === 'pending')
    .map((r) => ({ loginId: r.loginId, expiresAt: r.expiresAt }));
}

/** What opening an approval reads: the approval, and the instance's biometrics credential for the view. */
export interface OpeningReads {
  readonly row: ApprovalRow | undefined;
  readonly credential: WebauthnCredentialRow | undefined;
}

/** The reads of `openApproval`, started by the caller as early as it may (with the request's replay check). */
export async function readForOpening(
  deps: Pick<AppAuthenticatorDeps, 'store'>,
  loginId: string,
  instanceId: string,
): Promise<OpeningReads> {
  const [row, credential] = await together(
    deps.store.appApprovals.get(loginId),
    deps.store.webauthnCredentials.activeBiometrics(instanceId),
  );
  return { row, credential };
}

/**
 * The app shows it saw the browser: the QR text (`tillid:login:v1:<loginId>.<secret>`) or the number typed in.
 * A wrong one refuses the approval for good; the right one opens it for this instance only.
 */
export async function openApproval(
  deps: Pick<AppAuthenticatorDeps, 'store' | 'webauthn' | 'hmacKey'>,
  input: { instance: AppInstanceRow; read: OpeningReads; seen: z.infer<typeof seenSchema>; now: number },
) {
  const row = liveRow(input.read.row, input.instance, input.now);
  const { credential } = input.read;
  if (row.status === 'opened' && row.openedBy === input.instance.id) return openedView(deps, row, credential);
  if (row.status !== 'pending') throw noSuchApproval();
  const saw =
    'qr' in input.seen
      ? input.seen.qr.startsWith(`tillid:login:v1:${row.loginId}.`) &&
        sameText(sha256hex(input.seen.qr.slice(`tillid:login:v1:${row.loginId}.`.length)), row.qrSecretHash)
      : sameText(input.seen.number, row.number);
  if (!saw) {
    await deps.store.appApprovals.update(row, { status: 'refused', openedBy: input.instance.id }, input.now);
    await deps.store.audit.append(
      {
        type: 'app.approval.refused',
        actor: `app-instance:${input.instance.id}`,
        subject: `identity:${input.instance.identityId}`,
        data: { loginId: row.loginId, clientId: row.clientId, reason: 'not-seen' },
      },
      input.now,
    );
    throw notSeen();
  }
  if (
    !(await deps.store.appApprovals.update(row, { status: 'opened', openedBy: input.instance.id }, input.now))
  )
    throw noSuchApproval();
  return openedView(deps, row, credential);
}

async function openedView(
  deps: Pick<AppAuthenticatorDeps, 'webauthn' | 'hmacKey'>,
  row: ApprovalRow,
  credential: WebauthnCredentialRow | undefined,
) {
  return {
    loginId: row.loginId,
    service: { clientId: row.clientId, name: row.clientName },
    scopes: row.scopes,
    challenge: row.challenge,
    expiresAt: row.expiresAt,
    biometrics: credential
      ? await authenticationOptions({
          settings: deps.webauthn,
          challenge: ceremonyChallenge(deps.hmacKey, 'app-approval', row.loginId, row.challenge),
          allow: [{ id: credential.id, transports: credential.transports }],
          userVerification: 'required',
        })
      : null,
  };
}

export const decisionSchema = z.object({
  instanceId: z.string().max(64),
  decision: z.enum(['approve', 'reject']),
  signature: z.string().max(200),
  pin: z.string().max(20).optional(),
  biometrics: z.unknown().optional(),
});

/** The app's decision, signed with its device key over the challenge; approving also takes the PIN or biometrics. */
export async function decideApproval(
  deps: Pick<AppAuthenticatorDeps, 'store' | 'webauthn' | 'hmacKey' | 'notifier'>,
  input: { loginId: string; body: z.infer<typeof decisionSchema>; now: number },
): Promise<{ decision: 'approve' | 'reject' }> {
  const { body, now } = input;
  const [instance, approval] = await together(
    deps.store.appInstances.get(body.instanceId),
    deps.store.appApprovals.get(input.loginId),
  );
  if (!instance || instance.status === 'revoked') throw instanceNotFound();
  if (instance.status === 'locked') throw instanceLocked();
  const row = liveRow(approval, instance, now);
  // Only the instance that proved it saw this browser's QR or number may decide (DESIGN §3.2).
  if (row.status === 'pending' || row.openedBy !== instance.id) throw notSeen();
  if (row.status !== 'opened') throw noSuchApproval();
  const statement = SIGNED.approval({
    loginId: row.loginId,
    challenge: row.challenge,
    clientId: row.clientId,
    scopes: row.scopes,
    decision: body.decision,
  });
  if (!(await verifyDeviceSignature(instance.publicKey, statement, body.signature)))
    throw new ServerError('ERR_APP_SIGNATURE_INVALID', 'the approval is not signed by this app', {
      status: 401,
      messageId: 'app.signature.invalid',
    });
  if (body.decision === 'reject') {
    if (!(await deps.store.appApprovals.update(row, { status: 'rejected', decidedBy: instance.id }, now)))
      throw noSuchApproval();
    return { decision: 'reject' };
  }
  const factors: AuthFactor[] = ['app-device-key'];
  if (body.biometrics !== undefined) {
    const credential = await deps.store.webauthnCredentials.activeBiometrics(instance.id);
    if (!credential) throw webauthnInvalid();
    const v = await verifyAssertion({
      settings: deps.webauthn,
      response: body.biometrics,
      challenge: ceremonyChallenge(deps.hmacKey, 'app-approval', row.loginId, row.challenge),
      credential,
      requireUserVerification: true,
    });
    if (!(await deps.store.webauthnCredentials.used(credential, v.newCounter, now))) throw webauthnInvalid();
    factors.push('app-biometrics');
  } else if (body.pin !== undefined) {
    await verifyInstancePin(deps, { instanceId: instance.id, pin: body.pin, now, known: instance });
    factors.push('app-pin');
  } else {
    throw new ServerError('ERR_VALIDATION', 'approving needs the PIN or biometrics', {
      status: 400,
      messageId: 'error.validation',
    });
  }
  if (
    !(await deps.store.appApprovals.update(row, { status: 'approved', decidedBy: instance.id, factors }, now))
  )
    throw noSuchApproval();
  return { decision: 'approve' };
}

export type ApprovalPoll =
  | { readonly kind: 'waiting' }
  | { readonly kind: 'approved'; readonly identityId: string; readonly factors: readonly AuthFactor[] }
  | { readonly kind: 'ended' };

/** The browser's poll: an approval is handed over once (approved → consumed by compare-and-set). */
export async function pollApproval(
  deps: Pick<AppAuthenticatorDeps, 'store'>,
  loginId: string,
  now: number,
): Promise<ApprovalPoll> {
  const row = await deps.store.appApprovals.get(loginId);
  if (!row || row.expiresAt <= now) return { kind: 'ended' };
  if (row.status === 'pending' || row.status === 'opened') return { kind: 'waiting' };
  if (row.status !== 'approved' || row.identityId === null || row.factors === null) return { kind: 'ended' };
  if (!(await deps.store.appApprovals.update(row, { status: 'consumed' }, now))) return { kind: 'ended' };
  return { kind: 'approved', identityId: row.identityId, factors: row.factors };
}
