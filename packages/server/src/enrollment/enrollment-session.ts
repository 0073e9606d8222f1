// Who is acting right after an enrollment: the phone that completed journey A holds the flow id, and for
// 30 minutes it may set up the authenticator the person chose there (journey C: code display, code reader
// or chip) for that identity, by sending the id in the `x-tillid-enrollment` header. Any other case is
// "nobody" (the routes then answer 401). Nothing of the person is returned to the phone.
import type { FastifyRequest } from 'fastify';
import type { SecretBox } from '../crypto/secret-box.ts';
import type { FlowEnvelope } from '../flows/flow-engine.ts';
import type { Clock } from '../http/app.ts';
import { lookups } from '../identity/identity-service.ts';
import type { IdentityRow } from '../store/identity-repository.ts';
import type { Store } from '../store/store.ts';
import { type Authenticator, type EnrollmentContext, openData } from './enrollment-context.ts';

export const ENROLLMENT_SESSION_HEADER = 'x-tillid-enrollment';
export const ENROLLMENT_SESSION_MS = 30 * 60_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The identity a journey-A enrollment completed with, while the enrolling phone may still act for it
 * (30 minutes after completion); undefined otherwise. The one place that opens a completed enrollment.
 */
export async function recentlyEnrolledIdentity(
  deps: { store: Store; secretBox: SecretBox; hmacKey: Uint8Array },
  enrollmentId: string,
  now: number,
): Promise<{ identity: IdentityRow; userId: string } | undefined> {
  const flow = await deps.store.flows.get<FlowEnvelope<EnrollmentContext>>(enrollmentId);
  if (flow?.kind !== 'enrollment' || flow.state !== 'completed') return undefined;
  if (flow.updatedAt + ENROLLMENT_SESSION_MS <= now) return undefined;
  const data = openData(deps.secretBox, flow.id, flow.context.context);
  if (!data.userId) return undefined;
  const identity = await deps.store.identities.findBy(
    'user_id_lookup',
    lookups.userId(deps.hmacKey, data.userId.canonical),
  );
  if (identity?.status !== 'active') return undefined;
  return { identity, userId: data.userId.canonical };
}

export function enrollmentIdentityResolver(
  deps: { store: Store; secretBox: SecretBox; hmacKey: Uint8Array; clock: Clock },
  accepted: readonly Authenticator[],
): (request: FastifyRequest) => Promise<{ identityId: string; userId: string } | undefined> {
  return async (request) => {
    const id = request.headers[ENROLLMENT_SESSION_HEADER];
    if (typeof id !== 'string' || !UUID.test(id)) return undefined;
    const enrolled = await recentlyEnrolledIdentity(deps, id, deps.clock.now());
    const chosen = enrolled?.identity.evidence['authenticator'];
    if (!enrolled || typeof chosen !== 'string' || !accepted.includes(chosen as Authenticator))
      return undefined;
    return { identityId: enrolled.identity.id, userId: enrolled.userId };
  };
}
