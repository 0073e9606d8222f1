// Seed step 12: the helper looks away while the person makes up a user-ID. The answer never repeats it,
// and no endpoint returns it, so the helper's phone cannot read it back. Availability is only asked inside
// a verified enrollment, and tries per flow are limited, so this is no user-ID enumeration oracle.
import { parseUserId, toCoreError } from '@tillid/core';
import { z } from 'zod';
import { ServerError } from '../../errors.ts';
import { enforceRateLimit } from '../../http/rate-limit.ts';
import { isUserIdAvailable, lookups } from '../../identity/identity-service.ts';
import { step } from '../enrollment-context.ts';

const TRIES_PER_FLOW = 20;

export const userIdChosen = step({
  event: 'user-id-chosen',
  from: ['face-verified', 'user-id-chosen'],
  to: ['user-id-chosen'],
  input: z.object({ userId: z.string().max(200) }),
  apply: async (data, input, env) => {
    const tries = await env.deps.store.rateLimits.hit(`userid-try:${env.flowId}`, {
      windowMs: 24 * 3600_000,
      now: env.now,
    });
    if (tries.count > TRIES_PER_FLOW) {
      throw new ServerError('ERR_RATE_LIMITED', 'too many user-IDs tried in this activation', {
        status: 429,
        messageId: 'error.rateLimited',
      });
    }
    const parsed = parseUserId(input.userId);
    if (!parsed.ok) throw toCoreError(parsed.error);
    // Per target value: asking about one user-ID from many activations is throttled too.
    await enforceRateLimit(env.deps.store, {
      key: `userid-target:${lookups.userId(env.deps.hmacKey, parsed.value.canonical)}`,
      limit: 10,
      windowMs: 3600_000,
      now: env.now,
    });
    if (!(await isUserIdAvailable(env.deps, parsed.value.canonical))) {
      throw new ServerError('ERR_USER_ID_TAKEN', 'this user-ID is not available; choose another', {
        status: 409,
        messageId: 'error.userId.taken',
      });
    }
    return {
      state: 'user-id-chosen',
      data: { ...data, userId: { canonical: parsed.value.canonical } },
      output: { accepted: true },
    };
  },
});
