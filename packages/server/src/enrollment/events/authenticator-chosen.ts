// Seed step 13: how the person will use the identity from now on. This completes the enrollment: the
// identity is written (or the person's existing one re-activated) together with the flow's last state
// change, in one transaction, and the P-code (if any) is spent. The authenticator flows take over from here.
import { proofingLevel } from '@tillid/core';
import { z } from 'zod';
import { ServerError } from '../../errors.ts';
import { enrollIdentity } from '../../identity/identity-service.ts';
import { required, step } from '../enrollment-context.ts';

export const authenticatorChosen = step({
  event: 'authenticator-chosen',
  from: ['phone-verified'],
  to: ['completed'],
  input: z.object({ authenticator: z.enum(['app', 'code-display', 'code-reader', 'chip']) }),
  apply: async (data, input, env) => {
    const person = required(data.person, 'person');
    const document = required(data.document, 'document');
    const reference = required(data.reference, 'reference');
    const phone = required(data.phone, 'phone');
    const userId = required(data.userId, 'userId');
    const proofing = proofingLevel({
      chipVerified: true,
      faceMatchedWithLiveness: true,
      inPerson: false,
      registerMatched: true,
    });
    // The identity's own level is its proofing level; each login's level also depends on the factors used.
    const assurance = proofing;
    return {
      state: 'completed',
      data: { ...data, assurance },
      output: { completed: true, authenticator: input.authenticator },
      commit: async (trx) => {
        if (reference.kind === 'pcode') {
          // Inside the transaction: on SQLite another connection's query would wait for this one forever.
          const row = await env.deps.store.pcodes.get(reference.pcodeId, trx);
          if (!row || row.usedAt !== null) {
            throw new ServerError('ERR_CONFLICT', 'the P-code has been used meanwhile', {
              status: 409,
              messageId: 'error.pcode.used',
            });
          }
          await env.deps.store.pcodes.updateState(
            reference.pcodeId,
            row.version,
            { failedAttempts: row.failedAttempts, usedAt: env.now },
            trx,
          );
          await env.deps.store.audit.append(
            { type: 'pcode.used', subject: `pcode:${reference.pcodeId}` },
            env.now,
            trx,
          );
        }
        await enrollIdentity(
          env.deps,
          {
            pii: {
              person,
              document,
              ...(reference.kind === 'cpr' ? { cpr: reference.cpr } : { pcodeId: reference.pcodeId }),
              phone: phone.e164,
            },
            userIdCanonical: userId.canonical,
            assurance,
            evidence: { ...(data.evidence ?? {}), consent: data.consent, authenticator: input.authenticator },
            assistedBy: data.startedBy.id
              ? `${data.startedBy.kind}:${data.startedBy.id}`
              : data.startedBy.kind,
          },
          env.now,
          trx,
        );
      },
    };
  },
});
