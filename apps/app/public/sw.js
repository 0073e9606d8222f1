// Tillid app service worker: makes the app installable and opens offline to its shell. API calls
// (/v1, /dev, /login, /oidc) are never cached: every step goes to the server.
const CACHE = 'tillid-app-v1';
const SHELL = ['/app/', '/app/manifest.webmanifest', '/app/icon.svg', '/app/icon-192.png'];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((c) => c.addAll(SHELL))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (!url.pathname.startsWith('/app/')) return;
  if (url.pathname.startsWith('/app/assets/')) {
    // Hashed file names: a cached copy is always the right one.
    event.respondWith(
      caches.match(event.request).then(
        (hit) =>
          hit ||
          fetch(event.request).then((res) => {
            if (res.ok) {
              const copy = res.clone();
              caches.open(CACHE).then((c) => c.put(event.request, copy));
            }
            return res;
          }),
      ),
    );
    return;
  }
  // The shell: network first, so a new version shows at once; the cache only when offline.
  event.respondWith(
    fetch(event.request).catch(() => caches.match(event.request).then((hit) => hit || caches.match('/app/'))),
  );
});

// Web push (docs/app-authenticator.md "Notifications"): the server sends { type, data } and never names the
// service or the person, so the lock screen shows only that something happened; the app shows the details.
// The Greenlandic texts are best effort and await a native speaker's review, like the rest of kl.
const PUSH_TEXTS = {
  da: {
    'login.requested': 'Et login venter på din godkendelse.',
    'app.activated': 'Tillid er aktiveret på en ny enhed.',
    'app.revoked': 'En Tillid app er slettet fra din identitet.',
    'app.locked': 'En Tillid app er spærret efter forkerte PIN-koder.',
    'chip.registered': 'En chip er tilføjet til din identitet.',
    other: 'Der er nyt fra Tillid.',
  },
  en: {
    'login.requested': 'A login is waiting for your approval.',
    'app.activated': 'Tillid was activated on a new device.',
    'app.revoked': 'A Tillid app was removed from your identity.',
    'app.locked': 'A Tillid app was locked after wrong PINs.',
    'chip.registered': 'A chip was added to your identity.',
    other: 'There is news from Tillid.',
  },
  kl: {
    'login.requested': 'Iserneq akuersissutissannik utaqqivoq.',
    'app.activated': 'Tillid atortumi nutaami atulersinneqarpoq.',
    'app.revoked': 'Tillid app-i kinaassutsinnit peerneqarpoq.',
    'app.locked': 'Tillid app-i PIN-kodit kukkusut pissutigalugit parnaarneqarpoq.',
    'chip.registered': 'Chip kinaassutsinnut ilanngunneqarpoq.',
    other: 'Tillid-imit nutaaqarpoq.',
  },
};

self.addEventListener('push', (event) => {
  let type = 'other';
  try {
    type = String(event.data?.json()?.type ?? 'other');
  } catch {
    // Not JSON: shown as a plain notice.
  }
  const lang = (self.navigator.language || 'da').slice(0, 2);
  const texts = PUSH_TEXTS[lang] || PUSH_TEXTS.da;
  event.waitUntil(
    self.registration.showNotification('Tillid', {
      body: texts[type] || texts.other,
      icon: '/app/icon-192.png',
      tag: type,
      data: { url: '/app/' },
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      const open = windows.find((w) => new URL(w.url).pathname.startsWith('/app/'));
      return open ? open.focus() : self.clients.openWindow('/app/');
    }),
  );
});
