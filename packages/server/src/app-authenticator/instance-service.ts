// What an activated app can do about its identity's app instances: list, rename, revoke (with the PIN),
// set its push subscription, and turn biometrics on or off. Every change is audited and notified.

import { ServerError } from '../errors.ts';
import type { AppAuthenticatorDeps } from './app-authenticator-deps.ts';
import type { AppInstanceRow } from './app-instance-repository.ts';
import { instanceNotFound, verifyInstancePin } from './instance-pin.ts';
import { sealPushSubscription } from './notifier.ts';
import type { PushSubscriptionJson } from './push.ts';
import { ceremonyChallenge, registrationOptions, verifyRegistration } from './webauthn.ts';

export interface InstanceView {
  readonly id: string;
  readonly name: string;
  readonly status: 'active' | 'locked';
  readonly createdAt: number;
  readonly biometrics: boolean;
  readonly notifications: boolean;
  readonly current: boolean;
}

export async function listInstances(
  deps: Pick<AppAuthenticatorDeps, 'store'>,
  caller: AppInstanceRow,
): Promise<InstanceView[]> {
  const rows = await deps.store.appInstances.ofIdentity(caller.identityId);
  return Promise.all(
    rows.map(async (r) => ({
      id: r.id,
      name: r.name,
      status: r.status === 'locked' ? 'locked' : 'active',
      createdAt: r.createdAt,
      biometrics: (await deps.store.webauthnCredentials.activeBiometrics(r.id)) !== undefined,
      notifications: r.pushSealed !== null,
      current: r.id === caller.id,
    })),
  );
}

/** Another instance of the caller's identity (someone else's is answered as not found). */
async function sibling(deps: Pick<AppAuthenticatorDeps, 'store'>, caller: AppInstanceRow, targetId: string) {
  const target = await deps.store.appInstances.get(targetId);
  if (!target || target.identityId !== caller.identityId || target.status === 'revoked')
    throw instanceNotFound();
  return target;
}

function busy(): ServerError {
  return new ServerError('ERR_CONFLICT', 'the app changed meanwhile; try again', { status: 409 });
}

export async function renameInstance(
  deps: Pick<AppAuthenticatorDeps, 'store' | 'notifier'>,
  caller: AppInstanceRow,
  input: { targetId: string; name: string; now: number },
): Promise<void> {
  const target = await sibling(deps, caller, input.targetId);
  if (!(await deps.store.appInstances.update(target.id, target.version, { name: input.name }, input.now)))
    throw busy();
  await deps.store.audit.append(
    {
      type: 'app.instance.renamed',
      actor: `app-instance:${caller.id}`,
      subject: `identity:${caller.identityId}`,
      data: { instanceId: target.id },
    },
    input.now,
  );
}

/** Revokes an instance (also the caller's own); needs the caller's PIN. Its biometrics credential goes too. */
export async function revokeInstance(
  deps: Pick<AppAuthenticatorDeps, 'store' | 'notifier' | 'hmacKey'>,
  caller: AppInstanceRow,
  input: { targetId: string; pin: string; now: number },
): Promise<void> {
  await verifyInstancePin(deps, { instanceId: caller.id, pin: input.pin, now: input.now });
  const target = await sibling(deps, caller, input.targetId);
  await deps.store.db.transaction().execute(async (trx) => {
    const ok = await deps.store.appInstances
      .in(trx)
      .update(target.id, target.version, { status: 'revoked', revokedAt: input.now }, input.now);
    if (!ok) throw busy();
    await deps.store.webauthnCredentials.in(trx).revokeOfInstance(target.id);
    await deps.store.audit.append(
      {
        type: 'app.instance.revoked',
        actor: `app-instance:${caller.id}`,
        subject: `identity:${caller.identityId}`,
        data: { instanceId: target.id },
      },
      input.now,
      trx,
    );
  });
  await deps.notifier.notify(
    {
      identityId: caller.identityId,
      type: 'app.revoked',
      data: { instanceId: target.id, name: target.name },
    },
    input.now,
  );
}

export async function setPushSubscription(
  deps: Pick<AppAuthenticatorDeps, 'store' | 'secretBox'>,
  caller: AppInstanceRow,
  input: { subscription: PushSubscriptionJson | null; now: number },
): Promise<void> {
  const pushSealed = input.subscription
    ? sealPushSubscription(deps.secretBox, caller.id, input.subscription)
    : null;
  if (!(await deps.store.appInstances.update(caller.id, caller.version, { pushSealed }, input.now)))
    throw busy();
}

export function biometricsChallenge(hmacKey: Uint8Array, instanceId: string): Uint8Array {
  return ceremonyChallenge(hmacKey, 'app-biometrics', instanceId, 'later');
}

export function biometricsRegistrationOptions(
  deps: Pick<AppAuthenticatorDeps, 'webauthn' | 'hmacKey'>,
  instanceId: string,
  challenge: Uint8Array,
) {
  return registrationOptions({
    settings: deps.webauthn,
    challenge,
    userHandle: instanceId,
    userName: `Tillid app ${instanceId.slice(0, 8)}`,
    attachment: 'platform',
  });
}

/** Turns biometrics on (a verified platform credential) or off; both need the PIN. */
export async function setBiometrics(
  deps: Pick<AppAuthenticatorDeps, 'store' | 'notifier' | 'hmacKey' | 'webauthn'>,
  caller: AppInstanceRow,
  input: { pin: string; credential: unknown | null; now: number },
): Promise<{ biometrics: boolean }> {
  await verifyInstancePin(deps, { instanceId: caller.id, pin: input.pin, now: input.now });
  await deps.store.webauthnCredentials.revokeOfInstance(caller.id);
  if (input.credential !== null) {
    const c = await verifyRegistration({
      settings: deps.webauthn,
      response: input.credential,
      challenge: biometricsChallenge(deps.hmacKey, caller.id),
      requireUserVerification: true,
    });
    const inserted = await deps.store.webauthnCredentials.insert({
      ...c,
      identityId: caller.identityId,
      kind: 'app-biometrics',
      appInstanceId: caller.id,
      createdAt: input.now,
    });
    if (!inserted) throw busy();
  }
  await deps.store.audit.append(
    {
      type: 'app.instance.biometrics',
      actor: `app-instance:${caller.id}`,
      subject: `identity:${caller.identityId}`,
      data: { instanceId: caller.id, enabled: input.credential !== null },
    },
    input.now,
  );
  await deps.notifier.notify(
    { identityId: caller.identityId, type: 'app.biometrics-changed', exceptInstances: [caller.id] },
    input.now,
  );
  return { biometrics: input.credential !== null };
}
