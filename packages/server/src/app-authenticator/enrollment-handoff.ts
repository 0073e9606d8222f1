// The hand-over from enrollment (journey A, last step `authenticator-chosen` with 'app') to the first app
// instance: the helper's phone, which holds the enrollment's flow id, may show a transfer QR for the new
// identity for 30 minutes after the enrollment completed (ENROLLMENT_SESSION_MS), until one app instance has been activated from it.
// Nothing of the helped person is ever returned to the helper's phone.
import { recentlyEnrolledIdentity } from '../enrollment/enrollment-session.ts';
import { ServerError } from '../errors.ts';
import type { AppAuthenticatorDeps } from './app-authenticator-deps.ts';

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
  const enrolled = await recentlyEnrolledIdentity(deps, enrollmentId, now);
  if (enrolled?.identity.evidence['authenticator'] !== 'app') throw unavailable();
  if (await deps.store.appInstances.byOrigin(enrollmentOrigin(enrollmentId))) throw unavailable();
  return enrolled.identity.id;
}
