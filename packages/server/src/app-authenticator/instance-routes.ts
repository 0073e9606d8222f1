// HTTP API an activated app uses about itself and its siblings, and to approve logins. Every request is
// signed with the device key (signed-request.ts); the approval decision itself is a signature over the
// login's challenge.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { enforceRateLimit } from '../http/rate-limit.ts';
import type { AppAuthenticatorDeps } from './app-authenticator-deps.ts';
import {
  decideApproval,
  decisionSchema,
  openApproval,
  pendingApprovals,
  readForOpening,
  seenSchema,
} from './approvals.ts';
import {
  biometricsChallenge,
  biometricsRegistrationOptions,
  listInstances,
  renameInstance,
  revokeInstance,
  setBiometrics,
  setPushSubscription,
} from './instance-service.ts';
import { pushSubscriptionSchema, vapidKeys } from './push.ts';
import { authenticateAppRequest, authenticateAppRequestWith } from './signed-request.ts';

const TAGS = ['app'];

export function registerInstanceRoutes(app: FastifyInstance, deps: AppAuthenticatorDeps): void {
  const now = () => deps.clock.now();

  app.get(
    '/v1/app/push/vapid-public-key',
    { schema: { tags: TAGS, summary: "The server's VAPID public key, for PushManager.subscribe" } },
    async () => ({ publicKey: (await vapidKeys(deps, now())).publicKey }),
  );

  app.post(
    '/v1/app/instances/list',
    { schema: { tags: TAGS, summary: "The identity's app instances (signed)" } },
    async (request) => {
      const caller = await authenticateAppRequest(deps, request, now());
      return { instances: await listInstances(deps, caller) };
    },
  );

  app.post(
    '/v1/app/instances/rename',
    {
      schema: {
        tags: TAGS,
        summary: 'Rename an app instance (signed)',
        body: z.object({ instanceId: z.string().max(64), name: z.string().trim().min(1).max(60) }),
      },
    },
    async (request) => {
      const t = now();
      const caller = await authenticateAppRequest(deps, request, t);
      const body = request.body as { instanceId: string; name: string };
      await renameInstance(deps, caller, { targetId: body.instanceId, name: body.name, now: t });
      return { renamed: true };
    },
  );

  app.post(
    '/v1/app/instances/revoke',
    {
      schema: {
        tags: TAGS,
        summary: 'Revoke an app instance, also this one (signed, with PIN)',
        body: z.object({ instanceId: z.string().max(64), pin: z.string().max(20) }),
      },
    },
    async (request) => {
      const t = now();
      const caller = await authenticateAppRequest(deps, request, t);
      const body = request.body as { instanceId: string; pin: string };
      await revokeInstance(deps, caller, { targetId: body.instanceId, pin: body.pin, now: t });
      return { revoked: true };
    },
  );

  app.post(
    '/v1/app/instances/push',
    {
      schema: {
        tags: TAGS,
        summary: "Set or clear this instance's web-push subscription (signed)",
        body: z.object({ subscription: pushSubscriptionSchema.nullable() }),
      },
    },
    async (request) => {
      const t = now();
      const caller = await authenticateAppRequest(deps, request, t);
      const body = request.body as { subscription: z.infer<typeof pushSubscriptionSchema> | null };
      await setPushSubscription(deps, caller, { subscription: body.subscription, now: t });
      return { notifications: body.subscription !== null };
    },
  );

  app.post(
    '/v1/app/instances/biometrics/options',
    { schema: { tags: TAGS, summary: 'WebAuthn options to turn biometrics on later (signed)' } },
    async (request) => {
      const caller = await authenticateAppRequest(deps, request, now());
      return biometricsRegistrationOptions(deps, caller.id, biometricsChallenge(deps.hmacKey, caller.id));
    },
  );

  app.post(
    '/v1/app/instances/biometrics',
    {
      schema: {
        tags: TAGS,
        summary: 'Turn biometrics on (a registration response) or off (null) (signed, with PIN)',
        body: z.object({ pin: z.string().max(20), credential: z.unknown() }),
      },
    },
    async (request) => {
      const t = now();
      const caller = await authenticateAppRequest(deps, request, t);
      const body = request.body as { pin: string; credential: unknown };
      return setBiometrics(deps, caller, { pin: body.pin, credential: body.credential ?? null, now: t });
    },
  );

  app.post(
    '/v1/app/approvals/pending',
    {
      schema: {
        tags: TAGS,
        summary: 'Logins of this identity waiting for an app (signed; no service named yet)',
      },
    },
    async (request) => {
      const t = now();
      const caller = await authenticateAppRequest(deps, request, t);
      return { pending: await pendingApprovals(deps, caller, t) };
    },
  );

  app.post(
    '/v1/app/approvals/:loginId/open',
    {
      schema: {
        tags: TAGS,
        summary: "Open a login's approval with the QR or the number the browser shows (signed)",
        params: z.object({ loginId: z.string().max(100) }),
        body: z.object({ seen: seenSchema }),
      },
    },
    async (request) => {
      const t = now();
      const { loginId } = request.params as { loginId: string };
      // The approval is read with the replay check; only a request that is not a replay counts against the limit.
      const [caller, read] = await authenticateAppRequestWith(deps, request, t, (instance) =>
        readForOpening(deps, loginId, instance.id),
      );
      await enforceRateLimit(deps.store, {
        key: `approval-open:${caller.id}`,
        limit: 30,
        windowMs: 60_000,
        now: t,
      });
      return openApproval(deps, {
        instance: caller,
        read,
        seen: (request.body as { seen: z.infer<typeof seenSchema> }).seen,
        now: t,
      });
    },
  );

  app.post(
    '/v1/app/approvals/:loginId/decide',
    {
      schema: {
        tags: TAGS,
        summary: 'Approve (PIN or biometrics) or reject, signed with the device key over the challenge',
        params: z.object({ loginId: z.string().max(100) }),
        body: decisionSchema,
      },
    },
    async (request) => {
      const { loginId } = request.params as { loginId: string };
      return decideApproval(deps, {
        loginId,
        body: request.body as z.infer<typeof decisionSchema>,
        now: now(),
      });
    },
  );
}
