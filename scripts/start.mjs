#!/usr/bin/env node
// `npm start`: Tillid on the embedded default with the phone app at /app/, and (in development) the demo
// relying service beside it, pre-registered through apps/demo-service/tillid-clients.dev.json.
// Ctrl+C or SIGTERM stops both.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ALLOCATOR } from './allocator.mjs';

const root = new URL('..', import.meta.url).pathname;
const production = process.env.TILLID_MODE === 'production';
const devClients = `${root}apps/demo-service/tillid-clients.dev.json`;
const withDemo = !production && process.env.TILLID_DEMO_SERVICE !== 'off' && existsSync(devClients);

const env = { ...process.env };
// glibc's allocator read at process start: fewer arenas and returning freed blocks keep the vision engine's
// native memory bounded (docs/operations.md "Memory"). An operator's own settings win.
for (const [k, v] of Object.entries(ALLOCATOR)) env[k] ??= v;
if (withDemo && !env.TILLID_OIDC_CLIENTS) env.TILLID_OIDC_CLIENTS = devClients;

// A fresh clone has no app build yet: build it (a second or two) when it is missing or stale.
if (!production) {
  spawnSync(process.execPath, ['--import', 'tsx', 'apps/app/build-if-stale.ts'], {
    cwd: root,
    stdio: 'inherit',
  });
}

const tillid = spawn(process.execPath, ['--import', 'tsx', 'scripts/dev-server.ts'], {
  cwd: root,
  env,
  stdio: 'inherit',
});
let demo;

async function waitForTillid() {
  const port = env.TILLID_PORT ?? '8080';
  for (let i = 0; i < 120 && tillid.exitCode === null; i++) {
    try {
      if ((await fetch(`http://localhost:${port}/healthz`)).ok) return true;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

if (withDemo && (await waitForTillid())) {
  demo = spawn(process.execPath, ['--import', 'tsx', 'apps/demo-service/src/main.ts'], {
    cwd: root,
    env: process.env,
    stdio: 'inherit',
  });
  demo.on('exit', (code) => {
    if (code) console.error(`demo service exited with ${code}; Tillid keeps running`);
  });
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    demo?.kill(signal);
    tillid.kill(signal);
  });
}
tillid.on('exit', (code, signal) => {
  demo?.kill('SIGTERM');
  process.exit(code ?? (signal ? 0 : 1));
});
