// HTTP API of journey B (copy the app to another phone) and of the first activation after an enrollment.
// Two parties: the showing phone (holds the control token, never in the QR) and the new phone (holds the claim
// secret it chose when it scanned). Neither ever receives anything about the person but masked digits.
import { createHash, randomBytes } from 'node:crypto';
import { parseTemporaryPin, parseUserId, toCoreError, validateNewPin } from '@tillid/core';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { keyedHash } from '../crypto/keyed-hash.ts';
import { ServerError } from '../errors.ts';
import { FlowEngine } from '../flows/flow-engine.ts';
import { enforceRateLimit } from '../http/rate-limit.ts';
import { lookups, openPii } from '../identity/identity-service.ts';
import type { AppAuthenticatorDeps } from './app-authenticator-deps.ts';
import { MAX_APP_INSTANCES } from './app-instance-repository.ts';
import {
  devicePublicKeySchema,
  jwkThumbprint,
  parseDevicePublicKey,
  SIGNED,
  verifyDeviceSignature,
} from './device-key.ts';
import { identityOfEnrollment } from './enrollment-handoff.ts';
import { instancePinHash, verifyInstancePin } from './instance-pin.ts';
import { pushSubscriptionSchema } from './push.ts';
import { authenticateAppRequest } from './signed-request.ts';
import {
  instanceLimit,
  sameHash,
  type TransferContext,
  type TransferSource,
  type TransferState,
  transferExpired,
  transferFlow,
  transferUsed,
} from './transfer-flow.ts';
import { ceremonyChallenge, registrationOptions, verifyRegistration } from './webauthn.ts';

const TAGS = ['app'];
const token = z.string().min(20).max(100);
const idParams = z.object({ id: z.uuid() });
const party = z.union([z.object({ claim: token }), z.object({ control: token })]);

export type TransferEngine = FlowEngine<TransferState, TransferContext, AppAuthenticatorDeps>;

function sha256hex(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('hex');
}

function notFound(): ServerError {
  return new ServerError('ERR_FLOW_NOT_FOUND', 'no such transfer', {
    status: 404,
    messageId: 'error.flow.notFound',
  });
}

/** Starts a transfer: a QR (transfer id + one-time secret) for the new phone and a control token for this one. */
export async function startTransfer(
  deps: AppAuthenticatorDeps,
  engine: TransferEngine,
  input: { identityId: string; source: TransferSource; now: number },
) {
  const active = await deps.store.appInstances.ofIdentity(input.identityId);
  if (active.length >= MAX_APP_INSTANCES) throw instanceLimit();
  const secret = randomBytes(32).toString('base64url');
  const control = randomBytes(32).toString('base64url');
  const qrExpiresAt = input.now + transferFlow.ttlMs;
  const flow = await engine.start(
    {
      identityId: input.identityId,
      source: input.source,
      secretHash: sha256hex(secret),
      controlHash: sha256hex(control),
      qrExpiresAt,
    },
    input.now,
  );
  await deps.store.audit.append(
    {
      type: 'app.transfer.requested',
      actor:
        input.source.kind === 'instance'
          ? `app-instance:${input.source.instanceId}`
          : `enrollment:${input.source.enrollmentId}`,
      subject: `identity:${input.identityId}`,
      data: { transferId: flow.id, via: input.source.kind },
    },
    input.now,
  );
  return {
    transferId: flow.id,
    qr: `tillid:transfer:v1:${flow.id}.${secret}`,
    control,
    expiresAt: qrExpiresAt,
  };
}

export function registerTransferRoutes(app: FastifyInstance, deps: AppAuthenticatorDeps): TransferEngine {
  const engine: TransferEngine = new FlowEngine({
    definition: transferFlow,
    store: deps.store,
    deps,
    secretBox: deps.secretBox,
    hmacKey: deps.hmacKey,
  });
  const now = () => deps.clock.now();

  /** The transfer, if the body proves the party it claims to be; anything else is "not found". */
  async function asParty(id: string, body: z.infer<typeof party>) {
    const record = await deps.store.flows.get<{ context: TransferContext }>(id);
    if (!record || record.kind !== transferFlow.kind) throw notFound();
    const ctx = record.context.context;
    const ok =
      'claim' in body
        ? sameHash(ctx.claimHash, sha256hex(body.claim))
        : sameHash(ctx.controlHash, sha256hex(body.control));
    if (!ok) throw notFound();
    return { record, ctx };
  }

  async function fire<O>(id: string, event: string, input: unknown) {
    const r = await engine.fire<O>(id, event, input, now());
    return { state: r.flow.state, expiresAt: r.flow.expiresAt, ...r.output };
  }

  app.post(
    '/v1/app/transfers',
    {
      schema: {
        tags: TAGS,
        summary:
          'Show a transfer QR: from an activated app (signed, with PIN) or after an enrollment (its flow id)',
        body: z.union([z.object({ pin: z.string().max(20) }), z.object({ enrollmentId: z.uuid() })]),
      },
    },
    async (request, reply) => {
      const t = now();
      const body = request.body as { pin: string } | { enrollmentId: string };
      let identityId: string;
      let source: TransferSource;
      if ('enrollmentId' in body) {
        await enforceRateLimit(deps.store, {
          key: `transfer-start:${body.enrollmentId}`,
          limit: 10,
          windowMs: 3600_000,
          now: t,
        });
        identityId = await identityOfEnrollment(deps, body.enrollmentId, t);
        source = { kind: 'enrollment', enrollmentId: body.enrollmentId };
      } else {
        const caller = await authenticateAppRequest(deps, request, t);
        await enforceRateLimit(deps.store, {
          key: `transfer-start:${caller.id}`,
          limit: 10,
          windowMs: 3600_000,
          now: t,
        });
        await verifyInstancePin(deps, { instanceId: caller.id, pin: body.pin, now: t });
        identityId = caller.identityId;
        source = { kind: 'instance', instanceId: caller.id };
      }
      const started = await startTransfer(deps, engine, { identityId, source, now: t });
      await deps.notifier.notify(
        {
          identityId,
          type: 'app.transfer-requested',
          ...(source.kind === 'instance' ? { exceptInstances: [source.instanceId] } : {}),
        },
        t,
      );
      reply.status(201);
      return started;
    },
  );

  app.post(
    '/v1/app/transfers/:id/scan',
    {
      schema: {
        tags: TAGS,
        summary: 'The new phone scanned the QR: claims the transfer (once, within 3 minutes)',
        params: idParams,
        body: z.object({ secret: token, claim: token, ephemeralKey: devicePublicKeySchema }),
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const body = request.body as {
        secret: string;
        claim: string;
        ephemeralKey: z.infer<typeof devicePublicKeySchema>;
      };
      await enforceRateLimit(deps.store, {
        key: `transfer-scan:${request.ip}`,
        limit: 30,
        windowMs: 60_000,
        now: now(),
      });
      const ephemeral = parseDevicePublicKey(body.ephemeralKey);
      const record = await deps.store.flows.get(id);
      if (!record || record.kind !== transferFlow.kind) throw notFound();
      try {
        const out = await fire<{ instanceId: string }>(id, 'qr-scanned', {
          secretHash: sha256hex(body.secret),
          claimHash: sha256hex(body.claim),
          ephemeral,
        });
        const presentation = deps.proximity.presentation({
          transferId: id,
          ephemeralThumbprint: jwkThumbprint(ephemeral),
          sourceKey: undefined,
        });
        return { ...out, proximity: { kind: deps.proximity.kind, presentation } };
      } catch (e) {
        const code = (e as { code?: unknown }).code;
        if (code === 'ERR_FLOW_EXPIRED') throw record.state === 'shown' ? transferExpired() : transferUsed();
        if (code === 'ERR_FLOW_STATE' || code === 'ERR_FLOW_VERSION') throw transferUsed();
        throw e;
      }
    },
  );

  app.post(
    '/v1/app/transfers/:id/status',
    { schema: { tags: TAGS, summary: 'Where a transfer is (either party)', params: idParams, body: party } },
    async (request) => {
      const { id } = request.params as { id: string };
      const body = request.body as z.infer<typeof party>;
      const { record, ctx } = await asParty(id, body);
      // The showing phone learns which key the new phone registered (a native proximity channel checks it).
      const thumbprint = 'control' in body ? ctx.ephemeralThumbprint : undefined;
      return { state: record.state, expiresAt: record.expiresAt, ...(thumbprint ? { thumbprint } : {}) };
    },
  );

  app.post(
    '/v1/app/transfers/:id/proximity',
    {
      schema: {
        tags: TAGS,
        summary:
          'The showing phone confirms the new phone it scanned (reverse QR, signed with its device key)',
        params: idParams,
        body: z.object({ control: token, evidence: z.record(z.string(), z.unknown()) }),
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const body = request.body as { control: string; evidence: Record<string, unknown> };
      await asParty(id, { control: body.control });
      return fire(id, 'proximity-proven', { evidence: body.evidence });
    },
  );

  app.post(
    '/v1/app/transfers/:id/user-id',
    {
      schema: {
        tags: TAGS,
        summary: 'The new phone: the user-ID (the helper looks away)',
        params: idParams,
        body: z.object({ claim: token, userId: z.string().max(200) }),
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const body = request.body as { claim: string; userId: string };
      await asParty(id, { claim: body.claim });
      const parsed = parseUserId(body.userId);
      if (!parsed.ok) throw toCoreError(parsed.error);
      return fire(id, 'user-id-given', {
        userIdLookup: lookups.userId(deps.hmacKey, parsed.value.canonical),
      });
    },
  );

  app.post(
    '/v1/app/transfers/:id/temporary-pin',
    {
      schema: {
        tags: TAGS,
        summary: 'The new phone: the temporary PIN sent by SMS',
        params: idParams,
        body: z.object({ claim: token, temporaryPin: z.string().max(32) }),
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const body = request.body as { claim: string; temporaryPin: string };
      await asParty(id, { claim: body.claim });
      const parsed = parseTemporaryPin(body.temporaryPin);
      if (!parsed.ok) throw toCoreError(parsed.error);
      return fire(id, 'temporary-pin-entered', {
        temporaryPinHash: keyedHash(deps.hmacKey, 'temporary-pin', `${id}\u0000${parsed.value}`),
      });
    },
  );

  app.post(
    '/v1/app/transfers/:id/pin',
    {
      schema: {
        tags: TAGS,
        summary: 'The new phone: its personal PIN (twice) and its device key, with proof of holding the key',
        params: idParams,
        body: z.object({
          claim: token,
          pin: z.string().max(20),
          repeat: z.string().max(20),
          deviceKey: devicePublicKeySchema,
          proof: z.string().max(200),
          name: z.string().min(1).max(60).optional(),
        }),
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const body = request.body as {
        claim: string;
        pin: string;
        repeat: string;
        deviceKey: z.infer<typeof devicePublicKeySchema>;
        proof: string;
        name?: string;
      };
      const { ctx } = await asParty(id, { claim: body.claim });
      const instanceId = ctx.instanceId;
      const identity = await deps.store.identities.get(ctx.identityId);
      if (!instanceId || !identity) throw notFound();
      const birthDate = openPii(deps.secretBox, identity.id, identity.piiSealed).person.birthDate;
      const pin = validateNewPin(body.pin, body.repeat, { birthDate });
      if (!pin.ok) throw toCoreError(pin.error);
      const publicKey = parseDevicePublicKey(body.deviceKey);
      if (!(await verifyDeviceSignature(publicKey, SIGNED.activation(id, instanceId), body.proof)))
        throw new ServerError('ERR_APP_SIGNATURE_INVALID', 'the device key proof is not valid', {
          status: 401,
          messageId: 'app.signature.invalid',
        });
      return fire(id, 'pin-chosen', {
        pinHash: instancePinHash(deps.hmacKey, instanceId, pin.value),
        publicKey,
        name: body.name ?? 'Tillid app',
      });
    },
  );

  app.post(
    '/v1/app/transfers/:id/biometrics/options',
    {
      schema: {
        tags: TAGS,
        summary: 'The new phone: WebAuthn options for a platform credential (biometrics)',
        params: idParams,
        body: z.object({ claim: token }),
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const { ctx, record } = await asParty(id, request.body as { claim: string });
      if (record.state !== 'pin-chosen' || !ctx.instanceId) throw notFound();
      return registrationOptions({
        settings: deps.webauthn,
        challenge: ceremonyChallenge(deps.hmacKey, 'app-biometrics', id, ctx.instanceId),
        userHandle: ctx.instanceId,
        userName: `Tillid app ${ctx.instanceId.slice(0, 8)}`,
        attachment: 'platform',
      });
    },
  );

  app.post(
    '/v1/app/transfers/:id/biometrics',
    {
      schema: {
        tags: TAGS,
        summary: 'The new phone: biometrics on (a WebAuthn registration response) or off (null)',
        params: idParams,
        body: z.object({ claim: token, credential: z.unknown() }),
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const body = request.body as { claim: string; credential: unknown };
      const { ctx } = await asParty(id, { claim: body.claim });
      if (!ctx.instanceId) throw notFound();
      const credential =
        body.credential === null || body.credential === undefined
          ? null
          : await verifyRegistration({
              settings: deps.webauthn,
              response: body.credential,
              challenge: ceremonyChallenge(deps.hmacKey, 'app-biometrics', id, ctx.instanceId),
              requireUserVerification: true,
            });
      return fire(id, 'biometrics-chosen', {
        credential: credential ? { ...credential, transports: [...credential.transports] } : null,
      });
    },
  );

  app.post(
    '/v1/app/transfers/:id/notifications',
    {
      schema: {
        tags: TAGS,
        summary: 'The new phone: notifications (a web-push subscription, or null) — activates the app',
        params: idParams,
        body: z.object({ claim: token, subscription: pushSubscriptionSchema.nullable() }),
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const body = request.body as {
        claim: string;
        subscription: z.infer<typeof pushSubscriptionSchema> | null;
      };
      const { ctx } = await asParty(id, { claim: body.claim });
      const out = await fire<{ instanceId: string }>(id, 'notifications-chosen', {
        subscription: body.subscription,
      });
      // The identity's other channels hear of the new app (DESIGN §2 notifications).
      await deps.notifier.notify(
        {
          identityId: ctx.identityId,
          type: 'app.activated',
          exceptInstances: [out.instanceId],
          data: { instanceId: out.instanceId },
        },
        now(),
      );
      return out;
    },
  );

  app.post(
    '/v1/app/transfers/:id/cancel',
    { schema: { tags: TAGS, summary: 'Either phone stops the transfer', params: idParams, body: party } },
    async (request) => {
      const { id } = request.params as { id: string };
      await asParty(id, request.body as z.infer<typeof party>);
      return fire(id, 'cancelled', {});
    },
  );

  return engine;
}
