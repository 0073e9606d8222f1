#!/usr/bin/env node
// The whole test suite: starts a throwaway PostgreSQL (Debian's binaries, loopback, temporary data
// directory, unprivileged user) for the PostgreSQL half, then runs every *.test.ts with node's runner.
// Usage: node scripts/test.mjs [PATH_PREFIX…]   (only test files under these paths)
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const filters = process.argv.slice(2).map((p) => p.replace(/\/+$/, ''));

function findTests(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name === 'fixtures' || name.startsWith('.')) continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) findTests(full, out);
    else if (/\.test\.(ts|mts|js|mjs)$/.test(name)) out.push(relative(root, full));
  }
  return out;
}

const files = ['packages', 'apps']
  .filter((d) => existsSync(join(root, d)))
  .flatMap((d) => findTests(join(root, d)))
  .filter((f) => filters.length === 0 || filters.some((p) => f === p || f.startsWith(`${p}${sep}`)))
  .sort();

function pgBinDir() {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base)
    .filter((v) => existsSync(join(base, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(base, versions[0], 'bin') : undefined;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Starts PostgreSQL in a temporary directory; returns { url, stop } or { skip: reason }. */
async function startPostgres() {
  if (process.env.TILLID_TEST_PG_ADMIN_URL)
    return { url: process.env.TILLID_TEST_PG_ADMIN_URL, stop: () => {} };
  const bin = pgBinDir();
  if (!bin)
    return { skip: 'PostgreSQL binaries not found under /usr/lib/postgresql (apt-get install postgresql)' };
  const dir = mkdtempSync(join(tmpdir(), 'tillid-pg-'));
  chmodSync(dir, 0o777);
  const asRoot = process.getuid?.() === 0;
  // PostgreSQL refuses to run as root: run it as the unprivileged `postgres` user the package created.
  const run = (cmd, args, opts = {}) =>
    asRoot
      ? spawnSync('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args], { encoding: 'utf8', ...opts })
      : spawnSync(join(bin, cmd), args, { encoding: 'utf8', ...opts });
  const data = join(dir, 'data');
  const init = run('initdb', ['-D', data, '-U', 'tillid', '--auth=trust', '-E', 'UTF8', '--no-sync'], {
    cwd: dir,
  });
  if (init.status !== 0) return { skip: `initdb failed: ${init.stderr || init.error}` };
  const port = await freePort();
  const start = run(
    'pg_ctl',
    [
      '-D',
      data,
      '-l',
      join(dir, 'log'),
      '-w',
      '-t',
      '60',
      'start',
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`,
    ],
    { cwd: dir },
  );
  if (start.status !== 0) return { skip: `pg_ctl start failed: ${start.stderr || start.stdout}` };
  const stop = () => {
    run('pg_ctl', ['-D', data, '-m', 'immediate', 'stop'], { cwd: dir });
    rmSync(dir, { recursive: true, force: true });
  };
  return { url: `postgres://tillid@127.0.0.1:${port}/postgres`, stop };
}

const pgNeeded = files.some((f) => f.startsWith('packages/server') || f.startsWith('apps'));
const pg = pgNeeded ? await startPostgres() : { skip: 'no test here needs it' };
const env = { ...process.env };
if (pg.url) {
  env.TILLID_TEST_PG_ADMIN_URL = pg.url;
  console.log(`PostgreSQL for tests: ${pg.url}`);
} else {
  console.log(`\n*** PostgreSQL tests SKIPPED: ${pg.skip} ***\n`);
  if (pgNeeded && process.env.CI) {
    console.error('CI must run the PostgreSQL half of the suite; install postgresql (see .ci/run).');
    process.exit(1);
  }
}

// The browser tests serve apps/app/dist: build it once here, so two test files never rebuild it at once
// (a build empties dist/ while the other file's browser is loading from it).
if (files.some((f) => f.endsWith('.e2e.test.ts'))) {
  const built = spawnSync(process.execPath, ['--import', 'tsx', 'apps/app/build-if-stale.ts'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (built.status !== 0) {
    pg.stop?.();
    process.exit(built.status ?? 1);
  }
}

// spec for people, TAP to a file from which the closing `N passed, N failed` line is taken.
const tapDir = mkdtempSync(join(tmpdir(), 'tillid-tap-'));
const tapFile = join(tapDir, 'results.tap');
const args = [
  '--import',
  'tsx',
  '--test',
  '--test-concurrency=2',
  '--test-reporter=spec',
  '--test-reporter-destination=stdout',
  '--test-reporter=tap',
  `--test-reporter-destination=${tapFile}`,
  ...files,
];
const child = spawn(process.execPath, args, { cwd: root, env, stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => {
  pg.stop?.();
  const tap = existsSync(tapFile) ? readFileSync(tapFile, 'utf8') : '';
  rmSync(tapDir, { recursive: true, force: true });
  const count = (name) => Number(tap.match(new RegExp(`^# ${name} (\\d+)$`, 'm'))?.[1] ?? 0);
  const line = `${count('pass')} passed, ${count('fail') + count('cancelled')} failed, ${count('skipped') + count('todo')} skipped`;
  console.log(`\n${line}`);
  process.exit(code ?? (signal ? 1 : 0));
});
