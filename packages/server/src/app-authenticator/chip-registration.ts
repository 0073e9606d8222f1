// The chip (journey C): a FIDO2 security key registered with WebAuthn (a roaming authenticator) and used with
// the password at login. One active chip per identity (a unique partial index; ERR_CHIP_LIMIT). The password is
// the one of the code display (token_passwords, Argon2id); an identity without one sets it here, twice.
import { toCoreError, validateNewPassword } from '@tillid/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { hashPassword } from '../crypto/password-hash.ts';
import { ServerError } from '../errors.ts';
import type { AppAuthenticatorDeps } from './app-authenticator-deps.ts';
import { ceremonyChallenge, registrationOptions, verifyRegistration } from './webauthn.ts';

const KIND = 'chip-registration';
const TTL_MS = 5 * 60_000;
const TAGS = ['chip'];

/** Who a request acts for (an authenticated session of an enrolled person); undefined when nobody. */
export type IdentityOf = (
  request: FastifyRequest,
) => Promise<{ identityId: string; userId?: string } | undefined>;

export function chipLimit(): ServerError {
  return new ServerError('ERR_CHIP_LIMIT', 'this identity already has an active chip', {
    status: 409,
    messageId: 'chip.limit',
  });
}

function notFound(): ServerError {
  return new ServerError('ERR_FLOW_NOT_FOUND', 'no such registration', {
    status: 404,
    messageId: 'error.flow.notFound',
  });
}

export function registerChipRoutes(
  app: FastifyInstance,
  deps: AppAuthenticatorDeps & { readonly identityOf: IdentityOf },
): void {
  const now = () => deps.clock.now();
  async function caller(request: FastifyRequest) {
    const who = await deps.identityOf(request);
    if (!who)
      throw new ServerError('ERR_IDENTITY_REQUIRED', 'sign in first', {
        status: 401,
        messageId: 'error.identityRequired',
      });
    return who;
  }

  app.post(
    '/v1/chip/registrations',
    { schema: { tags: TAGS, summary: 'Start registering a chip (FIDO2 key)' } },
    async (request, reply) => {
      const t = now();
      const who = await caller(request);
      if (await deps.store.webauthnCredentials.activeChip(who.identityId)) throw chipLimit();
      const flow = await deps.store.flows.create(
        {
          kind: KIND,
          state: 'options-issued',
          expiresAt: t + TTL_MS,
          context: { identityId: who.identityId },
        },
        t,
      );
      const options = await registrationOptions({
        settings: deps.webauthn,
        challenge: ceremonyChallenge(deps.hmacKey, KIND, flow.id),
        userHandle: who.identityId,
        userName: who.userId ?? 'Tillid',
        attachment: 'cross-platform',
      });
      reply.status(201);
      return {
        registrationId: flow.id,
        options,
        passwordRequired: (await deps.store.tokenPasswords.get(who.identityId)) === undefined,
      };
    },
  );

  app.post(
    '/v1/chip/registrations/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'Finish registering a chip: the WebAuthn response (and the password twice, if none is set)',
        params: z.object({ id: z.uuid() }),
        body: z.object({
          credential: z.unknown(),
          password: z.string().max(256).optional(),
          repeat: z.string().max(256).optional(),
        }),
      },
    },
    async (request) => {
      const t = now();
      const who = await caller(request);
      const { id } = request.params as { id: string };
      const body = request.body as { credential: unknown; password?: string; repeat?: string };
      const flow = await deps.store.flows.get<{ identityId: string }>(id);
      if (!flow || flow.kind !== KIND || flow.expiresAt <= t || flow.context.identityId !== who.identityId)
        throw notFound();
      const credential = await verifyRegistration({
        settings: deps.webauthn,
        response: body.credential,
        challenge: ceremonyChallenge(deps.hmacKey, KIND, id),
        requireUserVerification: false,
      });
      let password: { hash: string; strength: number } | undefined;
      if ((await deps.store.tokenPasswords.get(who.identityId)) === undefined) {
        const valid = validateNewPassword(
          body.password,
          body.repeat,
          who.userId ? { userId: who.userId } : {},
        );
        if (!valid.ok) throw toCoreError(valid.error);
        password = { hash: await hashPassword(valid.value.password), strength: valid.value.strength };
      }
      await deps.store.db.transaction().execute(async (trx) => {
        // Single use: the registration is spent in the same transaction as the credential is written.
        const spent = await trx
          .deleteFrom('flows')
          .where('id', '=', id)
          .where('kind', '=', KIND)
          .executeTakeFirst();
        if (Number(spent.numDeletedRows) !== 1) throw notFound();
        const inserted = await deps.store.webauthnCredentials.in(trx).insert({
          ...credential,
          identityId: who.identityId,
          kind: 'chip',
          appInstanceId: null,
          createdAt: t,
        });
        if (!inserted) throw chipLimit();
        if (password)
          await deps.store.tokenPasswords.in(trx).set(who.identityId, password.hash, password.strength, t);
        await deps.store.audit.append(
          {
            type: 'chip.registered',
            subject: `identity:${who.identityId}`,
            data: { credentialId: credential.id },
          },
          t,
          trx,
        );
      });
      await deps.notifier.notify({ identityId: who.identityId, type: 'chip.registered' }, t);
      return { registered: true, ...(password ? { strength: password.strength } : {}) };
    },
  );
}
