// Copying the app to another phone (journey B), and the first activation after an enrollment, as a persisted
// flow (kind `app-transfer`): QR shown → scanned (once, within 3 minutes) → proximity proven → user-ID →
// temporary PIN (SMS) → personal PIN (twice) → biometrics choice → notifications choice → activated.
// Secret inputs reach the engine only as keyed hashes (it keeps a hash of each step's input for retries).
import { randomUUID, timingSafeEqual } from 'node:crypto';
import {
  decideTemporaryPinAttempt,
  generateTemporaryPin,
  mayTemporaryPinBeSent,
  toCoreError,
} from '@tillid/core';
import { z } from 'zod';
import { keyedHash } from '../crypto/keyed-hash.ts';
import { ServerError } from '../errors.ts';
import type { FlowDefinition, Transition } from '../flows/flow-definition.ts';
import { openPii } from '../identity/identity-service.ts';
import type { AppAuthenticatorDeps } from './app-authenticator-deps.ts';
import type { DevicePublicJwk } from './app-instance-repository.ts';
import { jwkThumbprint } from './device-key.ts';
import { enrollmentOrigin } from './enrollment-handoff.ts';
import { sealPushSubscription } from './notifier.ts';
import { pushSubscriptionSchema } from './push.ts';

export const TRANSFER_STATES = [
  'shown',
  'scanned',
  'proximity-proven',
  'user-id-confirmed',
  'temporary-pin-confirmed',
  'pin-chosen',
  'biometrics-chosen',
  'activated',
  'cancelled',
] as const;

export type TransferState = (typeof TRANSFER_STATES)[number];

/** DESIGN §2: the QR is valid 3 minutes; after the scan the rest of the copy may take 15. */
export const TRANSFER_POLICY = Object.freeze({
  qrValidityMs: 3 * 60_000,
  afterScanMs: 15 * 60_000,
  userIdTries: 5,
  temporaryPinSends: 3,
});

export type TransferSource =
  | { readonly kind: 'instance'; readonly instanceId: string }
  | { readonly kind: 'enrollment'; readonly enrollmentId: string };

export interface TransferContext {
  readonly identityId: string;
  readonly source: TransferSource;
  /** SHA-256 (hex) of the QR's one-time secret and of the showing phone's control token. */
  readonly secretHash: string;
  readonly controlHash: string;
  readonly qrExpiresAt: number;
  readonly claimHash?: string;
  readonly ephemeralThumbprint?: string;
  /** The id the new instance will have (chosen at the scan, so the PIN hash can be bound to it). */
  readonly instanceId?: string;
  readonly temporaryPin?: { readonly hash: string; readonly sentAt: number };
  readonly pin?: { readonly hash: string; readonly publicKey: DevicePublicJwk; readonly name: string };
  readonly biometrics?: {
    readonly id: string;
    readonly publicKey: string;
    readonly counter: number;
    readonly transports: readonly string[];
  } | null;
}

type T<I, O> = Transition<TransferState, TransferContext, AppAuthenticatorDeps, I, O>;

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

export function sameHash(a: string | undefined, b: string): boolean {
  const x = Buffer.from(a ?? '', 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === 32 && y.length === 32 && timingSafeEqual(x, y);
}

function required<V>(v: V | undefined, what: string): V {
  if (v === undefined) throw new ServerError('ERR_INTERNAL', `transfer lacks ${what}`);
  return v;
}

const jwkSchema = z.object({ kty: z.literal('EC'), crv: z.literal('P-256'), x: z.string(), y: z.string() });

const qrScanned: T<
  { secretHash: string; claimHash: string; ephemeral: DevicePublicJwk },
  { instanceId: string }
> = {
  event: 'qr-scanned',
  from: ['shown'],
  to: ['scanned'],
  input: z.object({ secretHash: hex64, claimHash: hex64, ephemeral: jwkSchema }),
  apply: async (ctx, input, env) => {
    if (env.now >= ctx.qrExpiresAt) throw transferExpired();
    if (!sameHash(ctx.secretHash, input.secretHash)) throw transferSecretWrong();
    await requireSourceActive(env.deps, ctx);
    const instanceId = randomUUID();
    return {
      state: 'scanned',
      context: {
        ...ctx,
        claimHash: input.claimHash,
        ephemeralThumbprint: jwkThumbprint(input.ephemeral),
        instanceId,
      },
      output: { instanceId },
      expiresAt: env.now + TRANSFER_POLICY.afterScanMs,
    };
  },
};

const proximityProven: T<{ evidence: unknown }, { proven: true }> = {
  event: 'proximity-proven',
  from: ['scanned'],
  to: ['proximity-proven'],
  input: z.object({ evidence: z.unknown() }),
  apply: async (ctx, input, env) => {
    const sourceKey = await requireSourceActive(env.deps, ctx);
    const ok = await env.deps.proximity.verify(
      {
        transferId: env.flowId,
        ephemeralThumbprint: required(ctx.ephemeralThumbprint, 'thumbprint'),
        sourceKey,
      },
      input.evidence,
    );
    if (!ok)
      throw new ServerError(
        'ERR_TRANSFER_PROXIMITY',
        'the new phone was not confirmed by the phone showing the QR',
        {
          status: 403,
          messageId: 'app.transfer.proximity',
        },
      );
    return { state: 'proximity-proven', context: ctx, output: { proven: true } };
  },
};

const userIdGiven: T<{ userIdLookup: string }, { sent: true; to: string }> = {
  event: 'user-id-given',
  from: ['proximity-proven', 'user-id-confirmed'],
  to: ['user-id-confirmed'],
  input: z.object({ userIdLookup: hex64 }),
  apply: async (ctx, input, env) => {
    const { store, secretBox, hmacKey, sms } = env.deps;
    const tries = await store.rateLimits.hit(`transfer-user-id:${env.flowId}`, {
      windowMs: 3600_000,
      now: env.now,
    });
    if (tries.count > TRANSFER_POLICY.userIdTries)
      throw new ServerError('ERR_RATE_LIMITED', 'too many user-IDs tried in this copy', {
        status: 429,
        messageId: 'error.rateLimited',
      });
    const identity = await store.identities.get(ctx.identityId);
    if (identity?.status !== 'active' || !sameHash(identity.userIdLookup ?? '', input.userIdLookup))
      throw new ServerError(
        'ERR_TRANSFER_USER_ID_WRONG',
        'this is not the user-ID of the identity being copied',
        {
          status: 422,
          messageId: 'app.transfer.userIdWrong',
          details: { attemptsLeft: Math.max(0, TRANSFER_POLICY.userIdTries - tries.count) },
        },
      );
    const sends = await store.rateLimits.hit(`transfer-sms:${env.flowId}`, {
      windowMs: 3600_000,
      now: env.now,
    });
    if (sends.count > TRANSFER_POLICY.temporaryPinSends)
      throw new ServerError('ERR_RATE_LIMITED', 'too many temporary PINs sent in this copy', {
        status: 429,
        messageId: 'error.rateLimited',
      });
    const pii = openPii(secretBox, identity.id, identity.piiSealed);
    if (!pii.phone)
      throw new ServerError('ERR_CONFLICT', 'the identity has no mobile number', { status: 409 });
    // The enrollment-registered number is the only one we hold; a later number change would set its date here.
    const may = mayTemporaryPinBeSent({ phoneNumberChangedAt: undefined, now: new Date(env.now) });
    if (!may.ok) throw toCoreError(may.error);
    const code = generateTemporaryPin();
    await sms.send({
      to: pii.phone,
      text: `Tillid: din midlertidige PIN er ${code}. / Your temporary PIN is ${code}.`,
    });
    await store.rateLimits.reset(`transfer-temporary-pin:${env.flowId}`);
    return {
      state: 'user-id-confirmed',
      context: {
        ...ctx,
        temporaryPin: {
          hash: keyedHash(hmacKey, 'temporary-pin', `${env.flowId}\u0000${code}`),
          sentAt: env.now,
        },
      },
      output: { sent: true, to: `${pii.phone.slice(0, -4).replace(/\d/g, '•')}${pii.phone.slice(-4)}` },
    };
  },
};

const temporaryPinEntered: T<{ temporaryPinHash: string }, { confirmed: true }> = {
  event: 'temporary-pin-entered',
  from: ['user-id-confirmed'],
  to: ['temporary-pin-confirmed'],
  input: z.object({ temporaryPinHash: hex64 }),
  apply: async (ctx, input, env) => {
    const sent = required(ctx.temporaryPin, 'temporaryPin');
    const key = `transfer-temporary-pin:${env.flowId}`;
    const failedAttempts = await env.deps.store.rateLimits.peek(key, env.now);
    // Core's rule (DESIGN §2): 8 digits, 15 minutes, 3 attempts, single use (the state moves on once used).
    const decision = decideTemporaryPinAttempt(
      { issuedAt: new Date(sent.sentAt), usedAt: null, failedAttempts },
      { matches: sameHash(sent.hash, input.temporaryPinHash), now: new Date(env.now) },
    );
    if (decision.outcome !== 'ok') {
      if (decision.next) await env.deps.store.rateLimits.hit(key, { windowMs: 24 * 3600_000, now: env.now });
      throw toCoreError(decision.error);
    }
    return { state: 'temporary-pin-confirmed', context: ctx, output: { confirmed: true } };
  },
};

const pinChosen: T<{ pinHash: string; publicKey: DevicePublicJwk; name: string }, { chosen: true }> = {
  event: 'pin-chosen',
  from: ['temporary-pin-confirmed'],
  to: ['pin-chosen'],
  input: z.object({ pinHash: hex64, publicKey: jwkSchema, name: z.string().min(1).max(60) }),
  apply: async (ctx, input) => ({
    state: 'pin-chosen',
    context: { ...ctx, pin: { hash: input.pinHash, publicKey: input.publicKey, name: input.name } },
    output: { chosen: true },
  }),
};

const biometricsChosen: T<
  { credential: NonNullable<TransferContext['biometrics']> | null },
  { biometrics: boolean }
> = {
  event: 'biometrics-chosen',
  from: ['pin-chosen'],
  to: ['biometrics-chosen'],
  input: z.object({
    credential: z
      .object({
        id: z.string().max(1400),
        publicKey: z.string().max(2000),
        counter: z.number().int().min(0),
        transports: z.array(z.string().max(40)).max(10),
      })
      .nullable(),
  }),
  apply: async (ctx, input) => ({
    state: 'biometrics-chosen',
    context: { ...ctx, biometrics: input.credential },
    output: { biometrics: input.credential !== null },
  }),
};

const notificationsChosen: T<
  { subscription: z.infer<typeof pushSubscriptionSchema> | null },
  { instanceId: string }
> = {
  event: 'notifications-chosen',
  from: ['biometrics-chosen'],
  to: ['activated'],
  input: z.object({ subscription: pushSubscriptionSchema.nullable() }),
  apply: async (ctx, input, env) => {
    const { store, secretBox } = env.deps;
    const instanceId = required(ctx.instanceId, 'instanceId');
    const pin = required(ctx.pin, 'pin');
    const origin =
      ctx.source.kind === 'instance'
        ? `transfer:${ctx.source.instanceId}`
        : enrollmentOrigin(ctx.source.enrollmentId);
    return {
      state: 'activated',
      context: ctx,
      output: { instanceId },
      commit: async (trx) => {
        if (ctx.source.kind === 'instance')
          await requireSourceActive({ store: { ...store, appInstances: store.appInstances.in(trx) } }, ctx);
        const created = await store.appInstances.in(trx).insert({
          id: instanceId,
          identityId: ctx.identityId,
          name: pin.name,
          publicKey: pin.publicKey,
          pinHash: pin.hash,
          pushSealed: input.subscription
            ? sealPushSubscription(secretBox, instanceId, input.subscription)
            : null,
          origin,
          transferId: env.flowId,
          createdAt: env.now,
        });
        if (!created) throw instanceLimit();
        if (ctx.biometrics) {
          await store.webauthnCredentials.in(trx).insert({
            ...ctx.biometrics,
            identityId: ctx.identityId,
            kind: 'app-biometrics',
            appInstanceId: instanceId,
            createdAt: env.now,
          });
        }
        await store.audit.append(
          {
            type: 'app.instance.activated',
            actor:
              ctx.source.kind === 'instance'
                ? `app-instance:${ctx.source.instanceId}`
                : `enrollment:${ctx.source.enrollmentId}`,
            subject: `identity:${ctx.identityId}`,
            data: {
              instanceId,
              via: ctx.source.kind,
              biometrics: Boolean(ctx.biometrics),
              notifications: input.subscription !== null,
            },
          },
          env.now,
          trx,
        );
      },
    };
  },
};

const cancelled: T<Record<string, never>, { cancelled: true }> = {
  event: 'cancelled',
  from: TRANSFER_STATES.filter((s) => s !== 'activated' && s !== 'cancelled'),
  to: ['cancelled'],
  input: z.object({}).strict(),
  apply: async (ctx) => ({ state: 'cancelled', context: ctx, output: { cancelled: true } }),
};

export const transferFlow: FlowDefinition<TransferState, TransferContext, AppAuthenticatorDeps> = {
  kind: 'app-transfer',
  states: TRANSFER_STATES,
  initial: 'shown',
  final: ['activated', 'cancelled'],
  ttlMs: TRANSFER_POLICY.qrValidityMs,
  transitions: [
    qrScanned,
    proximityProven,
    userIdGiven,
    temporaryPinEntered,
    pinChosen,
    biometricsChosen,
    notificationsChosen,
    cancelled,
  ],
};

export function transferExpired(): ServerError {
  return new ServerError('ERR_TRANSFER_EXPIRED', 'this QR code is older than 3 minutes; show a new one', {
    status: 410,
    messageId: 'app.transfer.expired',
  });
}

export function transferUsed(): ServerError {
  return new ServerError('ERR_TRANSFER_USED', 'this QR code has already been used; show a new one', {
    status: 409,
    messageId: 'app.transfer.used',
  });
}

function transferSecretWrong(): ServerError {
  return new ServerError('ERR_FLOW_NOT_FOUND', 'no such QR code', {
    status: 404,
    messageId: 'error.flow.notFound',
  });
}

export function instanceLimit(): ServerError {
  return new ServerError('ERR_APP_INSTANCE_LIMIT', 'this identity already has 3 apps; remove one first', {
    status: 409,
    messageId: 'app.instance.limit',
  });
}

/** The QR is bound to the instance that showed it: once that instance is locked or revoked, the copy stops. */
async function requireSourceActive(
  deps: { store: Pick<AppAuthenticatorDeps['store'], 'appInstances'> },
  ctx: TransferContext,
): Promise<DevicePublicJwk | undefined> {
  if (ctx.source.kind !== 'instance') return undefined;
  const source = await deps.store.appInstances.get(ctx.source.instanceId);
  if (source?.status !== 'active' || source.identityId !== ctx.identityId)
    throw new ServerError('ERR_TRANSFER_USED', 'the app that showed this QR code can no longer copy', {
      status: 409,
      messageId: 'app.transfer.sourceGone',
    });
  return source.publicKey;
}
