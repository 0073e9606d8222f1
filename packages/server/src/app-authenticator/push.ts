// Web push to app instances (RFC 8030 with VAPID, RFC 8292): the server's VAPID key pair is made on first use
// and kept in the database with the private key sealed; in development messages go to an outbox instead.
import { randomUUID } from 'node:crypto';
import * as webpushModule from 'web-push';
import { z } from 'zod';
import type { SecretBox } from '../crypto/secret-box.ts';
import type { Store } from '../store/store.ts';

// web-push is CommonJS; its functions sit on the default export when imported from ESM.
const webpush =
  (webpushModule as unknown as { default?: typeof webpushModule }).default ??
  (webpushModule as typeof webpushModule);

/** A browser's PushSubscription as JSON (Push API §PushSubscription.toJSON). */
export const pushSubscriptionSchema = z.object({
  endpoint: z.url().max(2000),
  expirationTime: z.number().nullable().optional(),
  keys: z.object({ p256dh: z.string().max(200), auth: z.string().max(100) }),
});

export type PushSubscriptionJson = z.infer<typeof pushSubscriptionSchema>;

export interface PushMessage {
  readonly identityId: string;
  /** The instance it goes to. */
  readonly instanceId: string;
  readonly type: string;
  readonly data: Readonly<Record<string, string | number | boolean | null>>;
}

/** Where push messages go; `gone` means the subscription no longer exists and should be dropped. */
export interface PushSender {
  readonly kind: 'outbox' | 'web-push';
  send(subscription: PushSubscriptionJson, message: PushMessage, now: number): Promise<'sent' | 'gone'>;
}

const VAPID_ID = 'current';
const VAPID_PURPOSE = 'vapid-private-key';

/** The server's VAPID key pair, created once (the first node to ask wins; the others read its keys). */
export async function vapidKeys(
  deps: { store: Store; secretBox: SecretBox },
  now: number,
): Promise<{ publicKey: string; privateKey: string }> {
  const db = deps.store.db;
  const read = () =>
    db.selectFrom('app_vapid_keys').selectAll().where('id', '=', VAPID_ID).executeTakeFirst();
  let row = await read();
  if (!row) {
    const fresh = webpush.generateVAPIDKeys();
    await db
      .insertInto('app_vapid_keys')
      .values({
        id: VAPID_ID,
        public_key: fresh.publicKey,
        private_key_sealed: deps.secretBox.seal(VAPID_PURPOSE, fresh.privateKey, VAPID_ID),
        created_at: now,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    row = await read();
  }
  if (!row) throw new TypeError('VAPID keys missing after insert');
  return {
    publicKey: row.public_key,
    privateKey: deps.secretBox.open(VAPID_PURPOSE, row.private_key_sealed, VAPID_ID),
  };
}

/** Development: messages are stored in app_notifications (see /dev/notifications), never sent. */
export function outboxPushSender(store: Store): PushSender {
  return {
    kind: 'outbox',
    async send(subscription, message, now) {
      await store.db
        .insertInto('app_notifications')
        .values({
          id: randomUUID(),
          at: now,
          identity_id: message.identityId,
          channel: 'push',
          recipient: message.instanceId,
          type: message.type,
          payload: JSON.stringify({ endpoint: new URL(subscription.endpoint).origin, data: message.data }),
        })
        .execute();
      return 'sent';
    },
  };
}

/** Production: web-push with the server's VAPID keys. `subject` is a mailto: or https: contact (RFC 8292 §2.1). */
export function webPushSender(deps: { store: Store; secretBox: SecretBox; subject: string }): PushSender {
  return {
    kind: 'web-push',
    async send(subscription, message, now) {
      const keys = await vapidKeys(deps, now);
      try {
        await webpush.sendNotification(
          { endpoint: subscription.endpoint, keys: subscription.keys },
          JSON.stringify({ type: message.type, data: message.data }),
          { vapidDetails: { subject: deps.subject, ...keys }, TTL: 120, urgency: 'high' },
        );
        return 'sent';
      } catch (e) {
        const status = (e as { statusCode?: unknown }).statusCode;
        // RFC 8030 §7.3: 404/410 — the subscription expired or was removed.
        if (status === 404 || status === 410) return 'gone';
        throw e;
      }
    },
  };
}

export interface StoredNotification {
  readonly id: string;
  readonly at: number;
  readonly channel: string;
  readonly recipient: string;
  readonly type: string;
  readonly payload: Record<string, unknown>;
}

/** The development outbox, newest first. */
export async function listNotifications(
  store: Store,
  options: { identityId?: string; limit?: number } = {},
): Promise<StoredNotification[]> {
  let q = store.db.selectFrom('app_notifications').selectAll().orderBy('at', 'desc').orderBy('id', 'desc');
  if (options.identityId !== undefined) q = q.where('identity_id', '=', options.identityId);
  const rows = await q.limit(options.limit ?? 50).execute();
  return rows.map((r) => ({
    id: r.id,
    at: Number(r.at),
    channel: r.channel,
    recipient: r.recipient,
    type: r.type,
    payload: JSON.parse(r.payload) as Record<string, unknown>,
  }));
}
