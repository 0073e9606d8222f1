// The app authenticator API (docs/app-authenticator.md): copying the app (journey B: the showing phone and
// the new phone), and approving logins (journey D). Requests an instance makes about itself are signed with
// its device key; transfer steps are flow steps (idempotent on the server), so they may be retried.

import { APP_SIGNED_HEADERS as SIGNED_HEADERS, APP_STATEMENTS as STATEMENTS } from '@tillid/core';
import type { DevicePublicJwk } from '../device/device-key.ts';
import { sha256Base64url, signText } from '../device/device-key.ts';
import { requestJson } from './request-json.ts';

/** What signs: the instance's id and its non-extractable private key. */
export interface DeviceSigner {
  readonly instanceId: string;
  readonly privateKey: CryptoKey;
}

export interface TransferShown {
  readonly transferId: string;
  /** `tillid:transfer:v1:<transferId>.<secret>`: what the new phone scans. */
  readonly qr: string;
  /** Only this phone holds it: it confirms the new phone and never appears in the QR. */
  readonly control: string;
  readonly expiresAt: number;
}

export interface TransferScanned {
  readonly state: string;
  readonly instanceId: string;
  readonly proximity: { readonly kind: string; readonly presentation: string };
}

export interface TransferStatus {
  readonly state: string;
  readonly expiresAt: number;
}

export interface ApprovalView {
  readonly loginId: string;
  readonly service: { readonly clientId: string; readonly name: string };
  readonly scopes: readonly string[];
  readonly challenge: string;
  readonly expiresAt: number;
  /** WebAuthn request options when this instance has biometrics, else null. */
  readonly biometrics: Record<string, unknown> | null;
}

export type Party = { readonly claim: string } | { readonly control: string };

export interface AppApi {
  showFromEnrollment(enrollmentId: string): Promise<TransferShown>;
  showFromApp(signer: DeviceSigner, pin: string): Promise<TransferShown>;
  scan(
    transferId: string,
    body: { secret: string; claim: string; ephemeralKey: { jwk: DevicePublicJwk } },
  ): Promise<TransferScanned>;
  status(transferId: string, party: Party): Promise<TransferStatus>;
  proximity(
    transferId: string,
    body: { control: string; evidence: { thumbprint: string; signature?: string } },
  ): Promise<TransferStatus>;
  userId(transferId: string, claim: string, userId: string): Promise<TransferStatus & { to?: string }>;
  temporaryPin(transferId: string, claim: string, temporaryPin: string): Promise<TransferStatus>;
  pin(
    transferId: string,
    body: { claim: string; pin: string; repeat: string; deviceKey: { jwk: DevicePublicJwk }; proof: string },
  ): Promise<TransferStatus>;
  biometricsOptions(transferId: string, claim: string): Promise<Record<string, unknown>>;
  biometrics(transferId: string, claim: string, credential: unknown): Promise<TransferStatus>;
  notifications(
    transferId: string,
    claim: string,
    subscription: PushSubscriptionJSON | null,
  ): Promise<TransferStatus & { instanceId: string }>;
  cancel(transferId: string, party: Party): Promise<TransferStatus>;
  vapidPublicKey(): Promise<string>;
  pendingApprovals(signer: DeviceSigner): Promise<{ loginId: string; expiresAt: number }[]>;
  openApproval(
    signer: DeviceSigner,
    loginId: string,
    seen: { number: string } | { qr: string },
  ): Promise<ApprovalView>;
  decide(
    signer: DeviceSigner,
    view: ApprovalView,
    decision: 'approve' | 'reject',
    factor: { pin: string } | { biometrics: unknown } | Record<string, never>,
  ): Promise<{ decision: 'approve' | 'reject' }>;
}

/**
 * Signs `POST path` with the exact body bytes sent: requestJson sends JSON.stringify(body), and
 * JSON.stringify of the same object gives the same text, so the hash matches what the server reads.
 */
export async function signedHeaders(
  signer: DeviceSigner,
  path: string,
  body: unknown,
  now: number,
): Promise<Record<string, string>> {
  const statement = STATEMENTS.request('POST', path, now, await sha256Base64url(JSON.stringify(body)));
  return {
    [SIGNED_HEADERS.instance]: signer.instanceId,
    [SIGNED_HEADERS.signedAt]: String(now),
    [SIGNED_HEADERS.signature]: await signText(signer.privateKey, statement),
  };
}

export function appApi(options: { base?: string; onRetry?: (attempt: number) => void } = {}): AppApi {
  const base = options.base ?? '';
  const retry = options.onRetry ? { onRetry: options.onRetry } : {};
  const post = <T>(path: string, body: unknown, extra: { retries?: number } = {}) =>
    requestJson<T>(`${base}${path}`, { method: 'POST', body, ...retry, ...extra });
  // A signature is accepted once (the server keeps it as a nonce): signed requests are not retried as-is.
  const signed = async <T>(signer: DeviceSigner, path: string, body: unknown) =>
    requestJson<T>(`${base}${path}`, {
      method: 'POST',
      body,
      retries: 0,
      headers: await signedHeaders(signer, path, body, Date.now()),
    });
  const transfer = (id: string, step: string) => `/v1/app/transfers/${encodeURIComponent(id)}/${step}`;
  return {
    // Each call shows a new QR: not retried (a retry would only make another one).
    showFromEnrollment: (enrollmentId) =>
      post<TransferShown>('/v1/app/transfers', { enrollmentId }, { retries: 0 }),
    showFromApp: (signer, pin) => signed<TransferShown>(signer, '/v1/app/transfers', { pin }),
    scan: (id, body) => post(transfer(id, 'scan'), body),
    status: (id, party) => post(transfer(id, 'status'), party, { retries: 1 }),
    proximity: (id, body) => post(transfer(id, 'proximity'), body),
    userId: (id, claim, userId) => post(transfer(id, 'user-id'), { claim, userId }),
    temporaryPin: (id, claim, temporaryPin) => post(transfer(id, 'temporary-pin'), { claim, temporaryPin }),
    pin: (id, body) => post(transfer(id, 'pin'), body),
    biometricsOptions: (id, claim) => post(transfer(id, 'biometrics/options'), { claim }),
    biometrics: (id, claim, credential) => post(transfer(id, 'biometrics'), { claim, credential }),
    notifications: (id, claim, subscription) => post(transfer(id, 'notifications'), { claim, subscription }),
    cancel: (id, party) => post(transfer(id, 'cancel'), party),
    vapidPublicKey: async () =>
      (await requestJson<{ publicKey: string }>(`${base}/v1/app/push/vapid-public-key`, retry)).publicKey,
    pendingApprovals: async (signer) =>
      (
        await signed<{ pending: { loginId: string; expiresAt: number }[] }>(
          signer,
          '/v1/app/approvals/pending',
          {},
        )
      ).pending,
    openApproval: (signer, loginId, seen) =>
      signed<ApprovalView>(signer, `/v1/app/approvals/${encodeURIComponent(loginId)}/open`, { seen }),
    decide: async (signer, view, decision, factor) => {
      const signature = await signText(
        signer.privateKey,
        STATEMENTS.approval({
          loginId: view.loginId,
          challenge: view.challenge,
          clientId: view.service.clientId,
          scopes: view.scopes,
          decision,
        }),
      );
      // The decision is signed over the login's challenge itself; a PIN try must not be repeated blindly.
      return requestJson(`${base}/v1/app/approvals/${encodeURIComponent(view.loginId)}/decide`, {
        method: 'POST',
        body: { instanceId: signer.instanceId, decision, signature, ...factor },
        retries: 0,
      });
    },
  };
}

/** `tillid:transfer:v1:<transferId>.<secret>`, or undefined for any other text. */
export function parseTransferQr(text: string): { transferId: string; secret: string } | undefined {
  const m = /^tillid:transfer:v1:([0-9a-f-]{36})\.([A-Za-z0-9_-]{20,100})$/.exec(text.trim());
  return m ? { transferId: m[1]!, secret: m[2]! } : undefined;
}

/** `tillid:proximity:v1:<transferId>:<thumbprint>`, or undefined. */
export function parseProximityQr(text: string): { transferId: string; thumbprint: string } | undefined {
  const m = /^tillid:proximity:v1:([0-9a-f-]{36}):([A-Za-z0-9_-]{20,64})$/.exec(text.trim());
  return m ? { transferId: m[1]!, thumbprint: m[2]! } : undefined;
}

/** `tillid:login:v1:<loginId>.<secret>` (the browser's login QR), or undefined. */
export function parseLoginQr(text: string): { loginId: string } | undefined {
  const m = /^tillid:login:v1:([^.\s]{1,100})\.([A-Za-z0-9_-]{10,100})$/.exec(text.trim());
  return m ? { loginId: m[1]! } : undefined;
}

/** Journey B on the phone that shows the QR: the helper's phone after journey A, or an activated app. */
export interface TransferShowState extends TransferShown {
  readonly source: 'enrollment' | 'app';
}

/** Journey B on the new phone: the transfer it claimed (the claim secret proves it is this phone). */
export interface TransferJoinState {
  readonly transferId: string;
  readonly claim: string;
  readonly instanceId: string;
  /** The reverse QR's text (`tillid:proximity:v1:…`). */
  readonly presentation: string;
  /** The masked number the temporary PIN went to. */
  readonly smsTo?: string;
}

/** Journey D: the login this phone approves, once opened with the number or QR. */
export interface ApprovalState {
  readonly loginId: string;
  readonly view?: ApprovalView;
  readonly decision?: 'approve' | 'reject';
}
