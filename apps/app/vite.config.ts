// Builds the phone app (PWA) and the login pages (journey D, login.html, served by the server at
// /login/<uid>) into dist/; assets are served under /app/.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const page = (name: string) => fileURLToPath(new URL(name, import.meta.url));

export default defineConfig({
  base: '/app/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // The chip, camera and face code are split off by dynamic import; keep the first load small.
    chunkSizeWarningLimit: 400,
    // Two pages sharing styles, texts and i18n: the app and the OIDC login pages.
    rolldownOptions: { input: { index: page('index.html'), login: page('login.html') } },
  },
  server: {
    // `npm run dev -w @tillid/app`: the API comes from a Tillid server on :8080.
    proxy: { '/v1': 'http://localhost:8080', '/dev': 'http://localhost:8080' },
  },
});
