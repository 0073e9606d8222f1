// The hand-over from enrollment (journey A, last step `authenticator-chosen` with 'app') to the first app
// instance: the helper's phone, which holds the enrollment's flow id, may show a transfer QR for the new
// identity for 30 minutes after the enrollment completed, until one app instance has been activated from it.
// Nothing of the helped person is ever returned to the helper's phone.
import { openData } from '../enrollment/enrollment-context.ts';
import { ServerError } from '../errors.ts';
import type { FlowEnvelope } from '../flows/flow-engine.ts';
import { lookups } from '../identity/identity-service.ts';
import type { AppAuthenticatorDeps } from './app-authenticator-deps.ts';

export const HANDOFF_WINDOW_MS = 30 * 60_000;

export function enrollmentOrigin(enrollmentId: string): string {
  return `enrollment:${enrollmentId}`;
}

function unavailable(): ServerError {
  return new ServerError('ERR_HANDOFF_UNAVAILABLE', 'this enrollment cannot hand over to an app (any more)', {
    status: 410,
    messageId: 'app.handoff.unavailable',
  });
}

/** The identity an enrollment completed with 'app'; every other case is one answer (ERR_HANDOFF_UNAVAILABLE). */
export async function identityOfEnrollment(
  deps: Pick<AppAuthenticatorDeps, 'store' | 'secretBox' | 'hmacKey'>,
  enrollmentId: string,
  now: number,
): Promise<string> {
  const flow = await deps.store.flows.get<FlowEnvelope<{ sealed: string }>>(enrollmentId);
  if (flow?.kind !== 'enrollment' || flow.state !== 'completed') throw unavailable();
  if (flow.updatedAt + HANDOFF_WINDOW_MS <= now) throw unavailable();
  const data = openData(deps.secretBox, flow.id, flow.context.context);
  if (!data.userId) throw unavailable();
  const identity = await deps.store.identities.findBy(
    'user_id_lookup',
    lookups.userId(deps.hmacKey, data.userId.canonical),
  );
  if (identity?.status !== 'active' || identity.evidence['authenticator'] !== 'app') throw unavailable();
  if (await deps.store.appInstances.byOrigin(enrollmentOrigin(enrollmentId))) throw unavailable();
  return identity.id;
}
