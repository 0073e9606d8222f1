// Entry of the phone app: reads the server's app settings, starts React, registers the service worker.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import { initialLocale } from './i18n.ts';
import type { AppConfig } from './journey/journey-context.tsx';
import './styles.css';

async function loadConfig(): Promise<AppConfig> {
  try {
    const r = await fetch('/app/config.json', { headers: { accept: 'application/json' } });
    const body = (await r.json()) as { development?: unknown };
    return { development: body.development === true };
  } catch {
    return { development: false };
  }
}

const root = document.getElementById('root');
if (root) {
  const config = await loadConfig();
  createRoot(root).render(
    <StrictMode>
      <App initialLocale={initialLocale()} config={config} />
    </StrictMode>,
  );
}

if ('serviceWorker' in navigator && location.protocol !== 'file:') {
  void navigator.serviceWorker.register('/app/sw.js', { scope: '/app/' }).catch(() => undefined);
}
