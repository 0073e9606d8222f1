// The app PIN (DESIGN §2): 6 digits, stored as a keyed hash bound to its instance (a 10^6 space cannot be
// protected by hashing cost), checked only by the server, with a per-instance counter: the 3rd wrong PIN in a
// row locks the instance. Only a holder of the device key reaches this check, so a stranger who merely knows
// the user-ID can never lock anyone out (DESIGN §3.3).
import { keyedHash, verifyKeyedHash } from '../crypto/keyed-hash.ts';
import { ServerError } from '../errors.ts';
import type { AppAuthenticatorDeps } from './app-authenticator-deps.ts';
import type { AppInstanceRow } from './app-instance-repository.ts';

export const PIN_POLICY = Object.freeze({ maxFailures: 3 });

const MAX_RACES = 8;

export function instancePinHash(hmacKey: Uint8Array, instanceId: string, pin: string): string {
  return keyedHash(hmacKey, 'pin', `${instanceId}\u0000${pin}`);
}

export function instanceLocked(): ServerError {
  return new ServerError('ERR_APP_INSTANCE_LOCKED', 'this app is locked after too many wrong PINs', {
    status: 423,
    messageId: 'app.instance.locked',
  });
}

export function instanceNotFound(): ServerError {
  return new ServerError('ERR_APP_INSTANCE_NOT_FOUND', 'no such app instance', {
    status: 404,
    messageId: 'app.instance.notFound',
  });
}

/**
 * Checks `pin` on `instanceId`. A wrong PIN is counted by compare-and-set before answering (racing guesses
 * all count); the one that reaches the limit locks the instance, writes the audit event and notifies.
 * Returns the instance as it is after the check.
 */
export async function verifyInstancePin(
  deps: Pick<AppAuthenticatorDeps, 'store' | 'hmacKey' | 'notifier'>,
  input: {
    instanceId: string;
    pin: string;
    now: number;
    /** The instance's row as this request already read it (saves a read; a stale one loses the race and is re-read). */
    known?: AppInstanceRow;
  },
): Promise<AppInstanceRow> {
  const repo = deps.store.appInstances;
  for (let race = 0; race < MAX_RACES; race++) {
    const instance =
      race === 0 && input.known?.id === input.instanceId ? input.known : await repo.get(input.instanceId);
    if (!instance || instance.status === 'revoked') throw instanceNotFound();
    if (instance.status === 'locked') throw instanceLocked();
    const pin = typeof input.pin === 'string' && /^\d{6}$/.test(input.pin) ? input.pin : '';
    const matches = verifyKeyedHash(deps.hmacKey, 'pin', `${instance.id}\u0000${pin}`, instance.pinHash);
    if (matches) {
      if (instance.pinFailures === 0) return instance;
      if (await repo.update(instance.id, instance.version, { pinFailures: 0 }, input.now))
        return { ...instance, pinFailures: 0, version: instance.version + 1 };
      continue;
    }
    const failures = instance.pinFailures + 1;
    const lock = failures >= PIN_POLICY.maxFailures;
    const changed = await repo.update(
      instance.id,
      instance.version,
      lock ? { pinFailures: failures, status: 'locked', lockedAt: input.now } : { pinFailures: failures },
      input.now,
    );
    if (!changed) continue;
    if (lock) {
      await deps.store.audit.append(
        {
          type: 'app.instance.locked',
          actor: `app-instance:${instance.id}`,
          subject: `identity:${instance.identityId}`,
          data: { instanceId: instance.id, failures },
        },
        input.now,
      );
      await deps.notifier.notify(
        {
          identityId: instance.identityId,
          type: 'app.locked',
          data: { instanceId: instance.id, name: instance.name },
        },
        input.now,
      );
      throw instanceLocked();
    }
    throw new ServerError('ERR_APP_PIN_WRONG', 'the PIN is not right', {
      status: 422,
      messageId: 'app.pin.wrong',
      details: { attemptsLeft: PIN_POLICY.maxFailures - failures },
    });
  }
  throw new ServerError('ERR_CONFLICT', 'the app is busy; try again', { status: 409 });
}
