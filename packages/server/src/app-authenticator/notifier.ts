// Tells a person about every important event of their identity (DESIGN §2 "notifications"): a push message to
// each app instance that accepted notifications and, for events that change who can log in, an SMS to the
// identity's mobile number too. Delivery problems never undo the event itself; they are reported to `onError`.
import type { SecretBox } from '../crypto/secret-box.ts';
import { openPii } from '../identity/identity-service.ts';
import type { SmsGateway } from '../sms/sms-gateway.ts';
import type { Store } from '../store/store.ts';
import { together } from '../together.ts';
import { type PushSender, type PushSubscriptionJson, pushSubscriptionSchema } from './push.ts';

export type NotificationType =
  | 'app.activated'
  | 'app.revoked'
  | 'app.locked'
  | 'app.renamed'
  | 'app.transfer-requested'
  | 'app.biometrics-changed'
  | 'chip.registered'
  | 'login.requested';

/** Events that change who can log in also go by SMS: a thief holding the phone cannot silence them. */
const BY_SMS: ReadonlySet<NotificationType> = new Set([
  'app.activated',
  'app.revoked',
  'app.locked',
  'chip.registered',
]);

const SMS_TEXT: Partial<Record<NotificationType, string>> = {
  'app.activated':
    'Tillid: en ny app er aktiveret til dit Tillid. Var det ikke dig, så ring til support. / A new app was activated for your Tillid.',
  'app.revoked': 'Tillid: en app er fjernet fra dit Tillid. / An app was removed from your Tillid.',
  'app.locked': 'Tillid: en app er spærret efter forkerte PIN-koder. / An app was locked after wrong PINs.',
  'chip.registered':
    'Tillid: en chip (sikkerhedsnøgle) er tilknyttet dit Tillid. / A security key was added to your Tillid.',
};

export interface NotifyInput {
  readonly identityId: string;
  readonly type: NotificationType;
  readonly data?: Readonly<Record<string, string | number | boolean | null>>;
  /** Instances not to push to (e.g. the one that did the change itself). */
  readonly exceptInstances?: readonly string[];
  /** Push only to these instances (a login request goes to the identity's apps only). */
  readonly onlyInstances?: readonly string[];
  /**
   * The write this notification tells about, still running: the instances are read meanwhile, and nothing
   * is sent unless it succeeds (notify then fails with its error).
   */
  readonly after?: Promise<unknown>;
}

export interface Notifier {
  notify(input: NotifyInput, now: number): Promise<void>;
}

export const PUSH_PURPOSE = 'app-push-subscription';

export function sealPushSubscription(box: SecretBox, instanceId: string, s: PushSubscriptionJson): string {
  return box.seal(PUSH_PURPOSE, JSON.stringify(s), instanceId);
}

function openPushSubscription(
  box: SecretBox,
  instanceId: string,
  sealed: string,
): PushSubscriptionJson | undefined {
  const parsed = pushSubscriptionSchema.safeParse(JSON.parse(box.open(PUSH_PURPOSE, sealed, instanceId)));
  return parsed.success ? parsed.data : undefined;
}

export function createNotifier(deps: {
  readonly store: Store;
  readonly secretBox: SecretBox;
  readonly sms: SmsGateway;
  readonly push: PushSender;
  readonly onError?: (error: unknown, context: { type: NotificationType; channel: 'push' | 'sms' }) => void;
}): Notifier {
  const report = deps.onError ?? (() => {});
  return {
    async notify(input, now) {
      const [instances] = await together(deps.store.appInstances.ofIdentity(input.identityId), input.after);
      const targets = instances.filter(
        (i) =>
          i.status === 'active' &&
          i.pushSealed !== null &&
          !(input.exceptInstances ?? []).includes(i.id) &&
          (input.onlyInstances === undefined || input.onlyInstances.includes(i.id)),
      );
      await Promise.all(
        targets.map(async (instance) => {
          try {
            const subscription = openPushSubscription(deps.secretBox, instance.id, instance.pushSealed ?? '');
            if (!subscription) return;
            const outcome = await deps.push.send(
              subscription,
              {
                identityId: input.identityId,
                instanceId: instance.id,
                type: input.type,
                data: input.data ?? {},
              },
              now,
            );
            if (outcome === 'gone') {
              await deps.store.appInstances.update(instance.id, instance.version, { pushSealed: null }, now);
            }
          } catch (e) {
            report(e, { type: input.type, channel: 'push' });
          }
        }),
      );
      const text = SMS_TEXT[input.type];
      if (BY_SMS.has(input.type) && text) {
        try {
          const identity = await deps.store.identities.get(input.identityId);
          const phone = identity ? openPii(deps.secretBox, identity.id, identity.piiSealed).phone : undefined;
          if (phone) await deps.sms.send({ to: phone, text });
        } catch (e) {
          report(e, { type: input.type, channel: 'sms' });
        }
      }
    },
  };
}
