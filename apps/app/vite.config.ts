// Builds the phone app (PWA) into dist/, served by the Tillid server under /app/.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

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
  },
  server: {
    // `npm run dev -w @tillid/app`: the API comes from a Tillid server on :8080.
    proxy: { '/v1': 'http://localhost:8080', '/dev': 'http://localhost:8080' },
  },
});
