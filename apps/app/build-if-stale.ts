// Builds the app with Vite when dist/ is missing or older than any source file; otherwise does nothing.
// Used by the end-to-end tests, and proposed for `npm start` (docs/app.md), so a fresh clone serves a
// current app without a separate build command.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const APP_DIR = fileURLToPath(new URL('.', import.meta.url));
// The app's own files and the packages it bundles.
const INPUTS = [
  'src',
  'public',
  'index.html',
  'login.html',
  'vite.config.ts',
  'package.json',
  '../../packages/core/src',
  '../../packages/mrtd/src',
];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let newest = s.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

export function isBuildStale(appDir = APP_DIR): boolean {
  const built = join(appDir, 'dist', 'index.html');
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  return INPUTS.some((p) => newestMtime(join(appDir, p)) > builtAt);
}

/** Returns true when it built. `log` gets one progress line. */
export async function buildIfStale(
  options: { log?: (line: string) => void; appDir?: string } = {},
): Promise<boolean> {
  const appDir = options.appDir ?? APP_DIR;
  if (!isBuildStale(appDir)) return false;
  options.log?.('Building the Tillid app (apps/app) with Vite …');
  const { build } = await import('vite');
  await build({ root: appDir, configFile: join(appDir, 'vite.config.ts'), logLevel: 'warn' });
  return true;
}

// `node --import tsx apps/app/build-if-stale.ts`: the step `npm start` can run first.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildIfStale({ log: (l) => process.stdout.write(`${l}\n`) });
}
