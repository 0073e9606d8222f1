// Web push for the app's notifications (RFC 8030/8292 via the Push API): asks for permission and subscribes
// with the server's VAPID key. Any "no" (no service worker, no Push API, permission refused) is undefined:
// the app then works without notifications, and the person can turn them on later.

function vapidKeyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const b64 = base64url.replace(/-/g, '+').replace(/_/g, '/');
  const raw = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  const bytes = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

function within<T>(ms: number, work: Promise<T>): Promise<T | undefined> {
  return Promise.race([work, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ms))]);
}

export async function subscribeToPush(
  vapidPublicKey: () => Promise<string>,
): Promise<PushSubscriptionJSON | undefined> {
  if (!('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window))
    return undefined;
  try {
    const permission = await Notification.requestPermission();
    if (permission !== 'granted') return undefined;
    // A page without an active service worker (blocked, or not installed yet) never becomes ready.
    const registration = await within(3000, navigator.serviceWorker.ready);
    if (!registration) return undefined;
    const subscription = await registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: vapidKeyBytes(await vapidPublicKey()),
    });
    return subscription.toJSON();
  } catch {
    return undefined;
  }
}
